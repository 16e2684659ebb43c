"""Preparing the verified artifact: safe tar.gz unpack against hostile archives, entry checks, environment."""

from __future__ import annotations

import hashlib
import io
import os
import sys
import tarfile
from pathlib import Path

import pytest

from launcher.core.download import open_verified
from launcher.core.errors import LauncherError
from launcher.core.manifest import Artifact
from launcher.core.quicksupport.launch import copy_exe, prepare, safe_extract
from tests.support.folder_owner import FolderOwner
from tests.support.tmpfs import mounted_tmpfs

ENTRY = "teamviewerqs/teamviewer"


def add_file(tar: tarfile.TarFile, name: str, data: bytes = b"x", mode: int = 0o644, **extra) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mode = len(data), mode
    for key, value in extra.items():
        setattr(info, key, value)
    tar.addfile(info, io.BytesIO(data) if info.isfile() else None)


def make_tgz(path: Path, build) -> Path:
    with tarfile.open(path, "w:gz") as tar:
        build(tar)
    return path


def artifact_for(path: Path, entry: str = ENTRY) -> Artifact:
    data = path.read_bytes()
    return Artifact(platform="linux-x86_64", url=f"http://127.0.0.1/{path.name}", size=len(data),
                    sha256=hashlib.sha256(data).hexdigest(), version="15.0", kind="tar.gz", entry=entry)


def good_archive(tar: tarfile.TarFile) -> None:
    add_file(tar, "teamviewerqs/", mode=0o755, type=tarfile.DIRTYPE)
    add_file(tar, ENTRY, b"#!/bin/sh\nexit 0\n", mode=0o755)
    add_file(tar, "teamviewerqs/lib/libfoo.so.1", b"lib")
    add_file(tar, "teamviewerqs/lib/libfoo.so", type=tarfile.SYMTYPE, linkname="libfoo.so.1")
    add_file(tar, "teamviewerqs/lib/hard", type=tarfile.LNKTYPE, linkname="teamviewerqs/lib/libfoo.so.1")


def test_prepare_deletes_what_a_killed_launcher_left_and_owns_its_new_folder(tmp_path: Path):
    tgz = make_tgz(tmp_path / "teamviewer_qs.tar.gz", good_archive)
    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o700)
    killed = FolderOwner(runtime, "qs-")
    killed.kill()
    prepared = prepare(tgz, artifact_for(tgz), runtime, open_verified)
    assert not killed.path.exists()
    lock = runtime / f"{prepared.root.name}.lock"
    assert sorted(runtime.iterdir()) == sorted([prepared.root, lock])
    assert prepared.folder is not None and prepared.folder.path == prepared.root
    assert prepared.folder.remove() is None
    assert list(runtime.iterdir()) == []


def test_a_failed_prepare_leaves_neither_folder_nor_lock(tmp_path: Path):
    tgz = make_tgz(tmp_path / "teamviewer_qs.tar.gz", good_archive)
    runtime = tmp_path / "run"
    with pytest.raises(LauncherError) as err:
        prepare(tgz, artifact_for(tgz, entry="teamviewerqs/not-there"), runtime, open_verified)
    assert err.value.code == "QS-UNPACK"
    assert list(runtime.iterdir()) == []


def test_prepare_good_archive(tmp_path: Path):
    tgz = make_tgz(tmp_path / "teamviewer_qs.tar.gz", good_archive)
    runtime = tmp_path / "run"
    prepared = prepare(tgz, artifact_for(tgz), runtime, open_verified)
    entry = prepared.root / ENTRY
    assert prepared.argv == [str(entry)] and os.access(entry, os.X_OK)
    assert prepared.cwd == entry.parent and prepared.root.parent == runtime
    assert prepared.log_dirs[0] == entry.parent / "logfiles"
    assert prepared.watch_dirs == [prepared.root / "teamviewerqs"]
    assert (prepared.root / "teamviewerqs/lib/hard").read_bytes() == b"lib"
    assert os.readlink(prepared.root / "teamviewerqs/lib/libfoo.so") == "libfoo.so.1"
    if sys.platform.startswith("linux"):
        assert prepared.env["QT_LINUX_ACCESSIBILITY_ALWAYS_ON"] == "1"
    if sys.platform != "win32":
        assert (prepared.root.stat().st_mode & 0o777) == 0o700
    second = prepare(tgz, artifact_for(tgz), runtime, open_verified)
    assert second.root != prepared.root  # a fresh folder every time


HOSTILE = {
    "absolute": lambda t: add_file(t, "/tmp/evil"),
    "dotdot": lambda t: add_file(t, "teamviewerqs/../../evil"),
    "windows-drive": lambda t: add_file(t, "C:\\evil"),
    "symlink-out": lambda t: add_file(t, "teamviewerqs/out", type=tarfile.SYMTYPE, linkname="../../../etc"),
    "symlink-abs": lambda t: add_file(t, "teamviewerqs/out", type=tarfile.SYMTYPE, linkname="/etc/passwd"),
    "write-through-link": lambda t: (
        add_file(t, "here", type=tarfile.SYMTYPE, linkname="."),  # inside by itself
        add_file(t, "up", type=tarfile.SYMTYPE, linkname="here/.."),  # looks inside, resolves outside
        add_file(t, "up/evil"),
    ),
    "hardlink-out": lambda t: add_file(t, "teamviewerqs/h", type=tarfile.LNKTYPE, linkname="/etc/passwd"),
    "device": lambda t: add_file(t, "teamviewerqs/dev", type=tarfile.CHRTYPE, devmajor=1, devminor=3),
    "fifo": lambda t: add_file(t, "teamviewerqs/fifo", type=tarfile.FIFOTYPE),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_archives_are_refused_and_leave_nothing(tmp_path: Path, name: str):
    def build(tar):
        good_archive(tar)
        HOSTILE[name](tar)

    tgz = make_tgz(tmp_path / "q.tar.gz", build)
    runtime = tmp_path / "run"
    with pytest.raises(LauncherError) as err:
        prepare(tgz, artifact_for(tgz), runtime, open_verified)
    assert err.value.code == "QS-UNPACK"
    assert list(runtime.iterdir()) == []  # the half-unpacked folder is gone
    assert not (tmp_path / "evil").exists()


def test_tar_bomb_limits(tmp_path: Path):
    many = make_tgz(tmp_path / "many.tar.gz", lambda t: [add_file(t, f"d/f{i}") for i in range(50)])
    with open(many, "rb") as fh, pytest.raises(LauncherError, match="more than 20 entries"):
        safe_extract(fh, tmp_path / "a", max_members=20)
    big = make_tgz(tmp_path / "big.tar.gz", lambda t: add_file(t, "d/zeros", b"\0" * 200_000))
    (tmp_path / "b").mkdir()
    with open(big, "rb") as fh, pytest.raises(LauncherError, match="too large"):
        safe_extract(fh, tmp_path / "b", max_total=100_000)
    assert not (tmp_path / "b" / "d" / "zeros").exists()


@pytest.mark.parametrize("entry", ["teamviewerqs/missing", "teamviewerqs/lib/libfoo.so.1", "../x", "/bin/sh"])
def test_entry_must_exist_inside_and_be_executable(tmp_path: Path, entry: str):
    tgz = make_tgz(tmp_path / "q.tar.gz", good_archive)
    with pytest.raises(LauncherError) as err:
        prepare(tgz, artifact_for(tgz, entry), tmp_path / "run", open_verified)
    assert err.value.code == "QS-UNPACK"


def test_tampered_file_is_not_unpacked(tmp_path: Path):
    tgz = make_tgz(tmp_path / "q.tar.gz", good_archive)
    artifact = artifact_for(tgz)
    data = bytearray(tgz.read_bytes())
    data[len(data) // 2] ^= 0x01
    tgz.write_bytes(bytes(data))
    with pytest.raises(LauncherError) as err:
        prepare(tgz, artifact, tmp_path / "run", open_verified)
    assert err.value.code == "DL-TAMPERED"
    assert list((tmp_path / "run").iterdir()) == []


def test_garbage_archive(tmp_path: Path):
    junk = tmp_path / "q.tar.gz"
    junk.write_bytes(b"not a tarball at all" * 10)
    with pytest.raises(LauncherError) as err:
        prepare(junk, artifact_for(junk), tmp_path / "run", open_verified)
    assert err.value.code == "QS-UNPACK"


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="the refusal is for the other OSes")
@pytest.mark.parametrize("kind", ["exe", "dmg", "zip"])
def test_foreign_kinds_are_refused_with_a_code(tmp_path: Path, kind: str):
    f = tmp_path / "x"
    f.write_bytes(b"MZ")
    art = Artifact(platform="x", url="http://127.0.0.1/x", size=2, sha256="0" * 64, version="1", kind=kind)
    with pytest.raises(LauncherError) as err:
        prepare(f, art, tmp_path / "run", open_verified)
    assert err.value.code == "QS-UNPACK"


def test_copy_exe_from_the_handle(tmp_path: Path):
    data = b"MZ" + os.urandom(5000)
    src = tmp_path / "TeamViewerQS.exe"
    src.write_bytes(data)
    art = Artifact(platform="windows-x86_64", url="https://127.0.0.1/dl/TeamViewerQS_x64.exe", size=len(data),
                   sha256=hashlib.sha256(data).hexdigest(), version="15", kind="exe")
    root = tmp_path / "root"
    root.mkdir()
    with open_verified(src, art) as fh:
        out = copy_exe(fh, art, root)
    assert out.name == "TeamViewerQS_x64.exe" and out.read_bytes() == data


@pytest.fixture
def small_disk(tmp_path):
    """A folder on a tmpfs of one page: room for folders, not for QuickSupport."""
    with mounted_tmpfs(tmp_path / "small", "size=4k") as folder:
        yield folder


def test_a_full_disk_while_unpacking_is_disk_full_not_a_broken_archive(tmp_path: Path, small_disk: Path):
    """It said QS-UNPACK ("could not be prepared"): the customer could not know that freeing space helps."""
    def build(tar):
        good_archive(tar)
        add_file(tar, "teamviewerqs/lib/big.so", os.urandom(256 * 1024))

    tgz = make_tgz(tmp_path / "q.tar.gz", build)
    runtime = small_disk / "run"
    with pytest.raises(LauncherError) as err:
        prepare(tgz, artifact_for(tgz), runtime, open_verified)
    assert err.value.code == "DL-DISK-FULL", err.value
    assert list(runtime.iterdir()) == []  # the half-unpacked folder is gone


@pytest.fixture
def noexec_folder(tmp_path):
    """A tmpfs mounted noexec, as hardened systems mount /tmp or /home."""
    with mounted_tmpfs(tmp_path / "noexec", "noexec,size=1m") as folder:
        yield folder


def test_a_data_folder_mounted_noexec_is_its_own_code_not_a_broken_archive(tmp_path: Path, noexec_folder: Path):
    """`--demo` with /tmp mounted noexec said QS-UNPACK, "click Try again": trying again changes nothing."""
    tgz = make_tgz(tmp_path / "q.tar.gz", good_archive)
    runtime = noexec_folder / "run"
    with pytest.raises(LauncherError) as err:
        prepare(tgz, artifact_for(tgz), runtime, open_verified)
    assert err.value.code == "QS-NOEXEC", err.value
    assert list(runtime.iterdir()) == []
