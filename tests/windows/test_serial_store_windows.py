"""The manifest's highest serial among several real Windows processes at once (the window and a `session`
command): the lock is filelock's LockFileEx one here, and a killed holder is ended by TerminateProcess. The
same scenarios as tests/unit/test_serial_store_processes.py."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from launcher.core.errors import LauncherError
from launcher.core.fsutil import REPLACE_RETRY_S
from launcher.core.manifest import SerialStore
from tests.support.serial_store_race import (
    LIMIT_S,
    ReadHolder,
    check_killed_holder,
    check_known_serial_while_held,
    check_race,
    manifest,
)


def test_processes_accepting_at_once_never_lower_the_stored_serial(tmp_path: Path) -> None:
    check_race(tmp_path / "data" / "manifest_state.json")


def test_a_lock_left_by_a_terminated_process_blocks_nothing(tmp_path: Path) -> None:
    check_killed_holder(tmp_path / "data" / "manifest_state.json")


def test_a_known_serial_is_decided_at_once_while_another_process_holds_the_lock(tmp_path: Path) -> None:
    check_known_serial_while_held(tmp_path / "data" / "manifest_state.json")


def test_a_higher_serial_waits_for_a_reader_that_holds_the_file_longer_than_a_moment(tmp_path: Path) -> None:
    """Windows refuses to replace a file any process holds open, and other launchers read the stored serial
    without the lock. A writer refused for the 2 s other files wait (CI: four processes reading in turn kept it
    held that long) failed with APP-DATA-DIR; it now waits for the file as long as for the lock, and writes once
    the reader lets go."""
    path = tmp_path / "data" / "manifest_state.json"
    store = SerialStore(path)
    store.accept(manifest(1))
    reader = ReadHolder(path)
    outcome: dict[str, object] = {}

    def accept() -> None:
        try:
            store.accept(manifest(2))
            outcome["done"] = True
        except LauncherError as exc:
            outcome["error"] = exc

    writer = threading.Thread(target=accept)
    try:
        writer.start()
        # the writer's temporary file is written and waits to replace the held one
        deadline = time.monotonic() + LIMIT_S
        while not list(path.parent.glob(".manifest_state.json.*.tmp")) and writer.is_alive():
            assert time.monotonic() < deadline
            time.sleep(0.01)
        writer.join(REPLACE_RETRY_S + 1.0)  # past what a replace of any other file waits
        assert writer.is_alive(), outcome
        assert store.highest() == 1
    finally:
        reader.release()
        writer.join(LIMIT_S)
    assert outcome == {"done": True}, outcome
    assert store.highest() == 2
    assert list(path.parent.glob("*.tmp")) == []
