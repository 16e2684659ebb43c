"""The manifest's highest serial among several real Windows processes at once (the window and a `session`
command): the lock is filelock's LockFileEx one here, and a killed holder is ended by TerminateProcess. The
same scenarios as tests/unit/test_serial_store_processes.py."""

from __future__ import annotations

from pathlib import Path

from tests.support.serial_store_race import check_killed_holder, check_known_serial_while_held, check_race


def test_processes_accepting_at_once_never_lower_the_stored_serial(tmp_path: Path) -> None:
    check_race(tmp_path / "data" / "manifest_state.json")


def test_a_lock_left_by_a_terminated_process_blocks_nothing(tmp_path: Path) -> None:
    check_killed_holder(tmp_path / "data" / "manifest_state.json")


def test_a_known_serial_is_decided_at_once_while_another_process_holds_the_lock(tmp_path: Path) -> None:
    check_known_serial_while_held(tmp_path / "data" / "manifest_state.json")
