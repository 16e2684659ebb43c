"""The manifest's highest serial (rollback protection) among several real processes: a window and a `session`
command, or two commands, accept manifests at once. A lower serial never replaces a higher one, the file is
never half-written, and a lock left by a killed process blocks nothing. The Windows suite runs the same
scenarios (tests/windows/test_serial_store_windows.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from launcher.core.errors import LauncherError
from launcher.core.manifest import SerialStore
from tests.support.serial_store_race import check_killed_holder, check_known_serial_while_held, check_race, manifest


def test_processes_accepting_at_once_never_lower_the_stored_serial(tmp_path: Path) -> None:
    check_race(tmp_path / "data" / "manifest_state.json")


def test_a_lock_left_by_a_killed_process_blocks_nothing(tmp_path: Path) -> None:
    check_killed_holder(tmp_path / "data" / "manifest_state.json")


def test_an_unwritable_folder_for_the_lock_is_a_coded_error(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data folder should be")
    with pytest.raises(LauncherError) as info:
        SerialStore(blocker / "manifest_state.json").accept(manifest(1))
    assert info.value.code == "APP-DATA-DIR"
    assert blocker.read_text() == "a file where the data folder should be"


def test_a_known_serial_is_decided_at_once_while_another_process_holds_the_lock(tmp_path: Path) -> None:
    check_known_serial_while_held(tmp_path / "data" / "manifest_state.json")


def test_a_known_serial_needs_no_lock_file_where_none_can_be_made(tmp_path: Path) -> None:
    # a folder whose state file is there but where no lock file can be created (read-only, a share that
    # refuses new files; here a folder in the lock file's place): the manifest already accepted still is,
    # as before the lock existed; only a raise, which must write, is APP-DATA-DIR
    path = tmp_path / "data" / "manifest_state.json"
    store = SerialStore(path)
    store.accept(manifest(3))
    store.lock_path.unlink(missing_ok=True)
    store.lock_path.mkdir()
    store.accept(manifest(3))
    with pytest.raises(LauncherError) as info:
        store.accept(manifest(2))
    assert info.value.code == "MAN-ROLLBACK"
    with pytest.raises(LauncherError) as info:
        store.accept(manifest(4))
    assert info.value.code == "APP-DATA-DIR"
    assert store.highest() == 3
