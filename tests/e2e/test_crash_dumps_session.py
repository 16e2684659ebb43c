"""The real `session` command crashing once QuickSupport runs (where it may hold the password) leaves no core
file, on a machine that writes one for any other crashing process; and its QuickSupport is ended all the same
(the watchdog). launcher.core.crash_dumps; the loopback demo server and the real stand-in."""

from __future__ import annotations

import signal
import sys

import pytest

from tests.e2e.test_cli_session import PASSWORD, SessionProcess
from tests.support.polling import wait_until
from tests.support.processes import processes_mentioning
from tests.unit.test_crash_dumps import core_files_allowed, machine_writes_cores

pytestmark = [pytest.mark.e2e, pytest.mark.skipif(not sys.platform.startswith("linux"), reason="core files, signals")]


def test_a_session_that_crashes_leaves_no_core_and_nothing_running(config_file, tmp_path):
    machine_writes_cores(tmp_path)
    work = tmp_path / "cwd"
    work.mkdir()
    with core_files_allowed():
        session = SessionProcess("--config", str(config_file), tmp_path=work)
    try:
        session.wait_for("PASSWORD ")
        session.proc.send_signal(signal.SIGSEGV)
        assert session.proc.wait(60) == -signal.SIGSEGV
    finally:
        session.kill()
    assert sorted(work.glob("core*")) == []
    assert wait_until(lambda: processes_mentioning(str(tmp_path)) == [], 30), processes_mentioning(str(tmp_path))
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert PASSWORD.encode() not in path.read_bytes(), path
