"""Working folders a killed launcher cannot leave behind, on Windows (launcher/core/owned_folders.py): the owner's
lock is LockFileEx's, which Windows lets go when TerminateProcess (Task Manager's "End task") ends the owner;
a folder with a file another program holds open (no FILE_SHARE_DELETE) cannot be deleted then and is deleted by
the sweep after that program let go."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from launcher.core import owned_folders
from launcher.core.owned_folders import LOCK_SUFFIX
from tests.support.folder_owner import FolderOwner

PREFIX = "qs-"

# Holds a file open as programs do by default (Python's open: no FILE_SHARE_DELETE) until its input ends.
HOLDER = "import sys; f = open(sys.argv[1], 'rb'); print('held', flush=True); sys.stdin.read()"


def test_the_folder_of_an_owner_ended_from_task_manager_goes_and_a_living_ones_stays(tmp_path):
    dead, alive = FolderOwner(tmp_path, PREFIX), FolderOwner(tmp_path, PREFIX)
    try:
        dead.kill()  # TerminateProcess: its lock is let go by Windows, its folder stays
        assert (dead.path / "teamviewerqs" / "logfiles" / "TeamViewer15_Logfile.log").is_file()  # read-only
        assert owned_folders.sweep_stale(tmp_path, PREFIX) == [dead.path]
        assert not dead.path.exists() and not Path(f"{dead.path}{LOCK_SUFFIX}").exists()
        assert (alive.path / "teamviewerqs").is_dir()  # LockFileEx held by a living owner
    finally:
        alive.end()
    assert owned_folders.sweep_stale(tmp_path, PREFIX) == [alive.path]
    assert list(tmp_path.iterdir()) == []


def test_a_stale_folder_with_a_file_held_open_stays_until_the_holder_lets_go(tmp_path):
    owner = FolderOwner(tmp_path, PREFIX)
    owner.kill()
    held = owner.path / "teamviewerqs" / "TeamViewer.exe"
    held.write_bytes(b"MZ")
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(held)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        assert owned_folders.sweep_stale(tmp_path, PREFIX) == []
        assert held.is_file()
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)
    assert owned_folders.sweep_stale(tmp_path, PREFIX) == [owner.path]
    assert list(tmp_path.iterdir()) == []
