"""Two launchers at once, each wanting a QuickSupport: the second refuses with QS-ALREADY, as it would with a
real TeamViewer running, and the first goes on untouched. The --demo stand-in is a Python process (not
TeamViewer by name): it is seen by the mark every QuickSupport a launcher starts carries. Real launcher
subprocesses, real stand-ins; the window in this process where a window takes part."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel

from launcher.config import load_config
from launcher.demo.session import demo_overrides
from launcher.ui.controller import State
from tests.support.cli_session import CliSession
from tests.support.polling import wait_until
from tests.support.processes import processes_mentioning

pytestmark = [pytest.mark.e2e,
              pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the Linux demo stand-in")]

WAIT_MS = 30_000
ALREADY_PL = "ERROR QS-ALREADY: Na tym komputerze działa już inny program TeamViewer."


def _folder(tmp_path: Path, name: str) -> Path:
    folder = tmp_path / name
    folder.mkdir()
    return folder


def _assert_refused_and_left_nothing(session: CliSession, folder: Path) -> str:
    code, out, err = session.finish()
    assert code == 1, (out, err)
    assert err.startswith(ALREADY_PL), err
    assert "QuickSupport started by Pomoc Zdalna" in err  # the detail says which one it saw
    assert "Traceback" not in err
    assert "STARTED" not in out.splitlines()
    assert wait_until(lambda: processes_mentioning(str(folder)) == [], 10), processes_mentioning(str(folder))
    return err


def test_a_second_demo_session_refuses_and_the_first_goes_on(tmp_path):
    one, two, three = (_folder(tmp_path, name) for name in ("one", "two", "three"))
    first = CliSession("--demo", cwd=one, env={"OVERMAX_DEMO_JOIN_AFTER": "-1"})
    try:
        id_line = first.wait_for("ID ")
        second = CliSession("--demo", "--no-input", "--for", "30", cwd=two)
        try:
            _assert_refused_and_left_nothing(second, two)
        finally:
            second.kill()
        assert first.proc.poll() is None  # untouched: still running, still the same QuickSupport
        assert [line for line in first.lines if line.startswith("ID ")] == [id_line]
        assert processes_mentioning(str(one))
        first.quit()
        code, out, err = first.finish()
        assert code == 0, err
        assert "STOPPING q" in out.splitlines() and out.splitlines()[-1].startswith("STOPPED ")
    finally:
        first.kill()
    assert wait_until(lambda: processes_mentioning(str(one)) == [], 10)
    # the first has ended: nothing of it counts as running any more
    third = CliSession("--demo", "--no-input", "--for", "1", cwd=three)
    try:
        code, out, err = third.finish()
    finally:
        third.kill()
    assert code == 0, err
    assert out.splitlines()[-1].startswith("STOPPED ")


def test_a_session_command_beside_a_window_in_session_refuses(qtbot, tmp_path, demo_server):
    from tests.e2e.test_flow import accept_terms, find, make_window, shutdown

    config = load_config(overrides=demo_overrides(demo_server, tmp_path / "gui-data"))
    controller, window, _paths = make_window(qtbot, config)
    cli_folder = _folder(tmp_path, "cli")
    try:
        accept_terms(qtbot, window)
        session_id = find(window, QLabel, "sessionId")
        qtbot.waitUntil(lambda: controller.state is State.SESSION and session_id.text() != "…", timeout=WAIT_MS)
        shown = session_id.text()
        cli = CliSession("--demo", "--no-input", "--for", "30", cwd=cli_folder)
        try:
            _assert_refused_and_left_nothing(cli, cli_folder)
        finally:
            cli.kill()
        assert controller.state is State.SESSION and session_id.text() == shown  # the window's session goes on
        assert controller._worker.active
        controller.disconnect_session()
        qtbot.waitUntil(lambda: controller.state is State.ENDED, timeout=WAIT_MS)
    finally:
        shutdown(controller, window)
    assert wait_until(lambda: processes_mentioning(str(tmp_path / "gui-data")) == [], 10)


def test_a_window_beside_a_running_session_command_says_qs_already_then_retries(qtbot, tmp_path, demo_server):
    from tests.e2e.test_flow import accept_terms, find, make_window, shutdown

    cli_folder = _folder(tmp_path, "cli")
    cli = CliSession("--demo", env={"OVERMAX_DEMO_JOIN_AFTER": "-1"}, cwd=cli_folder)
    config = load_config(overrides=demo_overrides(demo_server, tmp_path / "gui-data"))
    controller, window, _paths = make_window(qtbot, config)
    try:
        id_line = cli.wait_for("ID ")
        accept_terms(qtbot, window)
        qtbot.waitUntil(lambda: controller.state is State.ERROR, timeout=WAIT_MS)
        assert find(window, QLabel, "errorCode").text() == "QS-ALREADY"
        assert not controller._worker.active
        assert wait_until(lambda: processes_mentioning(str(tmp_path / "gui-data")) == [], 10)
        assert cli.proc.poll() is None and [line for line in cli.lines if line.startswith("ID ")] == [id_line]
        cli.quit()
        code, out, err = cli.finish()
        assert code == 0, err
        assert out.splitlines()[-1].startswith("STOPPED ")
        # the other QuickSupport is gone: "Spróbuj ponownie" now gets the window its own
        assert wait_until(lambda: processes_mentioning(str(cli_folder)) == [], 10)
        controller.retry()
        qtbot.waitUntil(lambda: controller.state is State.SESSION, timeout=WAIT_MS)
        controller.disconnect_session()
        qtbot.waitUntil(lambda: controller.state is State.ENDED, timeout=WAIT_MS)
    finally:
        cli.kill()
        shutdown(controller, window)


def test_two_sessions_on_one_users_folders_the_second_refuses_and_leaves_the_firsts_alone(tmp_path, demo_server):
    """Real launchers of one user share the data, cache and run folders: the second one's refusal removes
    only its own unpacked copy, never the running one's."""
    from launcher.demo.session import demo_overrides
    from tests.support.demo_config import write_config

    data = tmp_path / "data"
    config = write_config(tmp_path / "c.toml", demo_overrides(demo_server, data))
    one, two = _folder(tmp_path, "one"), _folder(tmp_path, "two")
    first = CliSession("--config", str(config), cwd=one, env={"OVERMAX_DEMO_JOIN_AFTER": "-1"})
    try:
        first.wait_for("ID ")
        entries = sorted((data / "run").iterdir())
        running = [path for path in entries if path.is_dir()]
        assert len(running) == 1 and processes_mentioning(str(running[0]))
        assert entries == [running[0], running[0].with_name(running[0].name + ".lock")]  # its owner lock beside it
        second = CliSession("--config", str(config), "--no-input", "--for", "30", cwd=two)
        try:
            code, out, err = second.finish()
        finally:
            second.kill()
        assert code == 1 and err.startswith(ALREADY_PL), (out, err)
        # the first's copy and its owner lock untouched, the second's gone
        assert sorted((data / "run").iterdir()) == entries
        assert first.proc.poll() is None and processes_mentioning(str(running[0]))
        first.quit()
        code, out, err = first.finish()
        assert code == 0, err
    finally:
        first.kill()
    assert wait_until(lambda: processes_mentioning(str(data)) == [], 10)
    assert list((data / "run").iterdir()) == []
