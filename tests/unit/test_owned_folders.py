"""Working folders a killed launcher cannot leave behind (launcher/core/owned_folders.py): each is owned through a
lock file beside it, and the next sweep deletes exactly the folders whose owner is gone. Owners here are real
processes, killed outright as Task Manager or a crash would."""

from __future__ import annotations

import os

import pytest

from launcher.core import owned_folders
from launcher.core.owned_folders import LOCK_SUFFIX
from tests.support.folder_owner import FolderOwner
from tests.support.tmpfs import mounted_tmpfs

PREFIX = "qs-"


@pytest.fixture
def owners():
    made: list[FolderOwner] = []

    def make(parent, prefix: str = PREFIX) -> FolderOwner:
        made.append(FolderOwner(parent, prefix))
        return made[-1]

    yield make
    for owner in made:
        owner.end()


def test_a_new_folder_is_private_empty_and_locked_until_removed(tmp_path):
    folder = owned_folders.create(tmp_path, PREFIX)
    lock = folder.path.with_name(folder.path.name + LOCK_SUFFIX)
    assert folder.path.parent == tmp_path and folder.path.name.startswith(PREFIX)
    assert folder.path.is_dir() and list(folder.path.iterdir()) == [] and lock.is_file()
    if os.name == "posix":
        assert folder.path.stat().st_mode & 0o777 == 0o700
    assert owned_folders.sweep_stale(tmp_path, PREFIX) == []  # its owner (this process) lives
    assert folder.path.is_dir()
    assert folder.remove() is None
    assert list(tmp_path.iterdir()) == []  # the folder and its lock file


def test_two_folders_never_share_a_name(tmp_path):
    folders = [owned_folders.create(tmp_path, PREFIX) for _ in range(20)]
    assert len({f.path for f in folders}) == 20
    for folder in folders:
        folder.remove()


def test_the_folder_of_a_killed_owner_goes_at_the_next_sweep_and_a_living_ones_stays(tmp_path, owners):
    dead, alive = owners(tmp_path), owners(tmp_path)
    dead.kill()
    assert (dead.path / "teamviewerqs" / "logfiles").is_dir()  # killed: it could not clean up
    assert owned_folders.sweep_stale(tmp_path, PREFIX) == [dead.path]
    assert not dead.path.exists() and not dead.path.with_name(dead.path.name + LOCK_SUFFIX).exists()
    assert (alive.path / "teamviewerqs" / "logfiles" / "TeamViewer15_Logfile.log").is_file()
    alive.kill()
    assert owned_folders.sweep_stale(tmp_path, PREFIX) == [alive.path]
    assert list(tmp_path.iterdir()) == []


def test_a_folder_from_before_owner_locks_is_stale_and_a_lone_lock_file_goes(tmp_path):
    old = tmp_path / "qs-abc123"
    (old / "teamviewerqs").mkdir(parents=True)
    (old / "teamviewerqs" / "teamviewer").write_bytes(b"x")
    lone = tmp_path / ("qs-0f0f0f" + LOCK_SUFFIX)
    lone.write_bytes(b"")
    assert owned_folders.sweep_stale(tmp_path, PREFIX) == [old]
    assert list(tmp_path.iterdir()) == []


def test_other_names_files_and_prefixes_are_left_alone(tmp_path):
    keep = [tmp_path / "qs-file-not-a-folder", tmp_path / "someone-else", tmp_path / "overmax-demo-x"]
    keep[0].write_text("a file")
    keep[1].mkdir()
    keep[2].mkdir()
    assert owned_folders.sweep_stale(tmp_path, PREFIX) == []
    assert all(path.exists() for path in keep)


@pytest.mark.skipif(os.name != "posix", reason="POSIX symlinks")
def test_links_are_never_followed(tmp_path):
    precious = tmp_path / "precious"
    (precious / "inner").mkdir(parents=True)
    (precious / "inner" / "keep.txt").write_text("keep")
    runtime = tmp_path / "run"
    runtime.mkdir()
    (runtime / "qs-link").symlink_to(precious, target_is_directory=True)
    stale = runtime / "qs-stale"
    stale.mkdir()
    (stale / "escape").symlink_to(precious / "inner", target_is_directory=True)
    assert owned_folders.sweep_stale(runtime, PREFIX) == [stale]
    assert (runtime / "qs-link").is_symlink() and (precious / "inner" / "keep.txt").read_text() == "keep"


@pytest.mark.skipif(not hasattr(os, "getuid") or os.getuid() != 0, reason="needs root to make another user's folder")
def test_another_users_folder_and_lock_are_left_alone(tmp_path):
    theirs = tmp_path / "overmax-demo-theirs"
    theirs.mkdir()
    (theirs / "data").write_text("theirs")
    lock = tmp_path / ("overmax-demo-theirs" + LOCK_SUFFIX)
    lock.write_bytes(b"")
    for path in (theirs, theirs / "data", lock):
        os.chown(path, 65534, 65534)
    assert owned_folders.sweep_stale(tmp_path, "overmax-demo-") == []
    assert (theirs / "data").read_text() == "theirs" and lock.exists()


def test_a_missing_parent_is_nothing_to_sweep(tmp_path):
    assert owned_folders.sweep_stale(tmp_path / "not-there", PREFIX) == []


def test_a_stale_folder_that_cannot_be_deleted_stays_for_the_next_sweep(tmp_path):
    stale = tmp_path / "qs-stuck"
    busy = stale / "busy"
    stale.mkdir()
    with mounted_tmpfs(busy, "size=1m"):  # a mount point: rmdir is refused (EBUSY) as long as it is mounted
        assert owned_folders.sweep_stale(tmp_path, PREFIX) == []
        assert busy.is_dir()
    assert owned_folders.sweep_stale(tmp_path, PREFIX) == [stale]
    assert list(tmp_path.iterdir()) == []

