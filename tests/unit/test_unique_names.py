"""The launcher's bounded mkstemp/mkdtemp (launcher/core/unique_names.py), and the writers built on it.

tempfile on Windows with CPython 3.11/3.12 read "access denied" as a name clash and tried 2,147,483,647 names
(python/cpython#66305): an unwritable folder hung the launcher. Here, on Linux: a name really taken is passed over,
a refusal is raised on the first try, the tries are bounded, and nothing is left behind. The Windows rule (a
PermissionError for a folder of that name is a clash, any other is not) runs under Wine in
tests/windows/test_unwritable_folders_windows.py. Names are drawn from `secrets.token_hex`; the tests that need
a clash script those draws (the files and folders are real), the others count them.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from launcher.core import owned_folders, unique_names
from launcher.core.errors import LauncherError
from launcher.core.fsutil import atomic_write_bytes
from launcher.core.paths import app_paths
from tests.support.tmpfs import mounted_tmpfs

_TOKEN_HEX = secrets.token_hex


class Draws:
    """secrets.token_hex as unique_names and owned_folders call it: the scripted names first, then random ones;
    counts every draw."""

    def __init__(self, scripted: list[str] | None = None, *, forever: str | None = None) -> None:
        self.scripted = list(scripted or [])
        self.forever = forever
        self.count = 0

    def __call__(self, nbytes: int | None = None) -> str:
        self.count += 1
        if self.scripted:
            return self.scripted.pop(0)
        return self.forever if self.forever is not None else _TOKEN_HEX(nbytes)


@pytest.fixture
def draws(monkeypatch: pytest.MonkeyPatch):
    def install(scripted: list[str] | None = None, *, forever: str | None = None) -> Draws:
        made = Draws(scripted, forever=forever)
        monkeypatch.setattr(unique_names.secrets, "token_hex", made)
        return made

    return install


@contextlib.contextmanager
def read_only(folder: Path, files: dict[str, bytes] | None = None, folders: tuple[str, ...] = ()) -> Iterator[Path]:
    """`folder` made with `files` and `folders` in it, then closed to writing for real: a read-only tmpfs as root
    (file modes do not stop root), mode 0500 on it and its folders otherwise."""
    files = files or {}
    if os.geteuid() != 0:
        folder.mkdir()
        for name, data in files.items():
            (folder / name).write_bytes(data)
        closed = [folder / name for name in folders] + [folder]
        for name in folders:
            (folder / name).mkdir(parents=True)
        for each in closed:
            each.chmod(0o500)
        try:
            yield folder
        finally:
            for each in closed:
                each.chmod(0o700)
        return
    with mounted_tmpfs(folder, "size=64k") as mounted:
        for name, data in files.items():
            (mounted / name).write_bytes(data)
        for name in folders:
            (mounted / name).mkdir(parents=True)
        done = subprocess.run(["mount", "-o", "remount,ro", str(mounted)], capture_output=True)
        if done.returncode != 0:
            pytest.skip(f"cannot remount a tmpfs read-only here: {done.stderr!r}")
        yield mounted


def test_a_new_file_is_empty_private_binary_and_not_inherited(tmp_path):
    fd, path = unique_names.create_file(tmp_path, ".state.json.", ".tmp")
    try:
        assert path.parent == tmp_path and path.name.startswith(".state.json.") and path.name.endswith(".tmp")
        assert len(path.name) == len(".state.json.") + 16 + len(".tmp")
        assert os.fstat(fd).st_size == 0 and path.stat().st_mode & 0o777 == 0o600
        assert not os.get_inheritable(fd)
        os.write(fd, b"a\nb")
    finally:
        os.close(fd)
    assert path.read_bytes() == b"a\nb"


def test_a_new_folder_is_empty_and_private(tmp_path):
    path = unique_names.create_folder(tmp_path, "overmax-selftest-")
    assert path.is_dir() and path.parent == tmp_path and path.name.startswith("overmax-selftest-")
    assert list(path.iterdir()) == [] and path.stat().st_mode & 0o777 == 0o700


@pytest.mark.parametrize("taken_as", ["file", "folder"])
def test_a_name_that_is_taken_is_passed_over_and_left_alone(tmp_path, draws, taken_as):
    names = ["a" * 16, "b" * 16, "c" * 16]
    for name in names[:2]:
        if taken_as == "file":
            (tmp_path / f"x{name}.tmp").write_bytes(b"someone else's")
        else:
            (tmp_path / f"x{name}.tmp").mkdir()
    counted = draws(names)
    fd, path = unique_names.create_file(tmp_path, "x", ".tmp")
    os.close(fd)
    assert path.name == f"x{names[2]}.tmp" and counted.count == 3
    if taken_as == "file":
        assert (tmp_path / f"x{names[0]}.tmp").read_bytes() == b"someone else's"
    folder = unique_names.create_folder(tmp_path, "x", ".tmp")  # the same rule for folders
    assert folder.is_dir() and folder.name not in {f"x{n}.tmp" for n in names}


@pytest.mark.parametrize("make", ["file", "folder"])
def test_the_tries_are_bounded_and_nothing_is_made(tmp_path, draws, make):
    (tmp_path / "xaaaa").mkdir()
    counted = draws(forever="aaaa")
    with pytest.raises(FileExistsError) as err:
        if make == "file":
            unique_names.create_file(tmp_path, "x", attempts=7)
        else:
            unique_names.create_folder(tmp_path, "x", attempts=7)
    assert err.value.errno == errno.EEXIST and str(tmp_path) in str(err.value)
    assert counted.count == 7
    assert [p.name for p in tmp_path.iterdir()] == ["xaaaa"]


@pytest.mark.parametrize("make", ["file", "folder", "probe", "owned folder"])
def test_a_folder_that_refuses_writing_is_raised_on_the_first_try(tmp_path, draws, make):
    counted = draws()
    with read_only(tmp_path / "ro") as folder, pytest.raises(OSError) as err:
        if make == "file":
            unique_names.create_file(folder, ".part.")
        elif make == "folder":
            unique_names.create_folder(folder, "qs-mount-")
        elif make == "probe":
            unique_names.check_writable(folder)
        else:
            owned_folders.create(folder, "qs-")
    assert err.value.errno in (errno.EACCES, errno.EROFS, errno.EPERM), err.value
    assert not isinstance(err.value, FileExistsError)
    assert counted.count == 1  # no second name: the refusal is no clash
    assert list((tmp_path / "ro").iterdir()) == []


def test_a_missing_folder_is_raised_at_once(tmp_path, draws):
    counted = draws()
    with pytest.raises(FileNotFoundError):
        unique_names.create_file(tmp_path / "gone")
    assert counted.count == 1 and list(tmp_path.iterdir()) == []


def test_the_probe_leaves_nothing_behind(tmp_path):
    unique_names.check_writable(tmp_path)
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------- owned folders: bounded too


def test_an_owned_folder_passes_over_a_stale_folder_of_its_name_a_bounded_number_of_times(tmp_path, draws):
    (tmp_path / "qs-aaaa").mkdir()
    counted = draws(forever="aaaa")
    with pytest.raises(FileExistsError):
        owned_folders.create(tmp_path, "qs-", attempts=5)
    assert counted.count == 5
    assert sorted(p.name for p in tmp_path.iterdir()) in (["qs-aaaa"], ["qs-aaaa", "qs-aaaa.lock"])
    draws(["aaaa"])  # the stale one first, then a free name: passed over
    folder = owned_folders.create(tmp_path, "qs-")
    assert folder.path.name != "qs-aaaa" and folder.path.is_dir()
    folder.remove()


# ---------------------------------------------------------------- what is built on it


def test_an_atomic_write_into_a_folder_that_refuses_it_fails_at_once_and_keeps_the_old_file(tmp_path, draws):
    counted = draws()
    with read_only(tmp_path / "ro", {"manifest_state.json": b'{"highest_serial": 1}\n'}) as folder:
        with pytest.raises(OSError) as err:
            atomic_write_bytes(folder / "manifest_state.json", b'{"highest_serial": 2}\n')
        assert err.value.errno in (errno.EACCES, errno.EROFS, errno.EPERM), err.value
        assert counted.count == 1
        assert (folder / "manifest_state.json").read_bytes() == b'{"highest_serial": 1}\n'
        assert [p.name for p in folder.iterdir()] == ["manifest_state.json"]


def test_an_atomic_write_that_fails_midway_leaves_no_temporary_file(tmp_path):
    target = tmp_path / "state.json"
    atomic_write_bytes(target, b"good")
    with pytest.raises(TypeError):
        atomic_write_bytes(target, "not bytes")  # type: ignore[arg-type] - fails after the file was made
    assert target.read_bytes() == b"good" and os.listdir(tmp_path) == ["state.json"]
    atomic_write_bytes(target, b"new", mode=0o640)
    assert target.read_bytes() == b"new" and target.stat().st_mode & 0o777 == 0o640
    assert os.listdir(tmp_path) == ["state.json"]


def test_data_folders_that_exist_but_refuse_writing_are_app_data_dir_at_start(tmp_path):
    """A data folder made earlier (a cache, logs, the run folder) and now read-only: found at start, not later as
    QS-UNPACK's "try again" or TERMS-RECORD's "free some space"."""
    if os.geteuid() != 0:
        pytest.skip("the launcher makes its own 0500 folder 0700 again: only a read-only mount (root) refuses it")
    with read_only(tmp_path / "ro", folders=("cache", "logs", "run")) as root:
        paths = app_paths(str(root))
        with pytest.raises(LauncherError) as err:
            paths.ensure()
    assert err.value.code == "APP-DATA-DIR" and str(root) in err.value.detail
    fine = app_paths(str(tmp_path / "dane")).ensure()
    for folder in (fine.data, fine.cache, fine.logs, fine.runtime):
        assert folder.is_dir() and not [p for p in folder.iterdir() if p.is_file()]  # no probe file left
