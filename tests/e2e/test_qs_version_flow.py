"""The manifest's `min_version` against the QuickSupport that actually runs, end to end: the real app and
the headless `session` command, the loopback demo server's signed manifest with a `min_version`, and the
real Linux stand-in naming an old build in its log header (OVERMAX_DEMO_VERSION), none at all, or a
new enough one. An old or unnamed build is ended as Rozłącz ends it (nothing of it left, its folder
gone), the page shows QS-OUTDATED without "try again", and the command exits 1 with `ERROR QS-OUTDATED`.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QLabel, QPushButton

from launcher.config import load_config
from launcher.demo.server import DemoServer
from launcher.demo.session import demo_overrides
from launcher.ui.controller import State
from tests.e2e.test_flow import WAIT_MS, accept_terms, find, make_window, shutdown, standin_processes

pytestmark = [pytest.mark.e2e,
              pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the Linux demo stand-in")]

MINIMUM = "15.0.0"
OLD = "14.7.1965"


@pytest.fixture
def server(tmp_path: Path):
    """A signed manifest whose artifact lists 15.0.0 and allows nothing older; nobody joins."""
    root = tmp_path / "www"
    root.mkdir()
    server = DemoServer(root, standin_args=("--join-after", "-1"), version=MINIMUM, min_version=MINIMUM).start()
    yield server
    server.stop()


def _finish(controller, window) -> None:
    shutdown(controller, window)
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@pytest.mark.parametrize("version", [OLD, "none"])
def test_the_window_ends_an_old_or_unnamed_build_and_offers_no_retry(qtbot, server, tmp_path, monkeypatch,
                                                                     version: str) -> None:
    monkeypatch.setenv("OVERMAX_DEMO_VERSION", version)  # the stand-in inherits the launcher's environment
    controller, window, paths = make_window(qtbot, load_config(overrides=demo_overrides(server, tmp_path / "data")))
    try:
        accept_terms(qtbot, window)
        seen: list = []
        qtbot.waitUntil(lambda: seen.extend(standin_processes(str(paths.runtime))) or controller.state is State.ERROR,
                        timeout=WAIT_MS)
        assert seen, "the stand-in never ran"
        assert find(window, QLabel, "errorCode").text() == "QS-OUTDATED"
        message = find(window, QLabel, "errorMessage").text()
        assert "zbyt starej wersji" in message and "61 653 12 93" in message.replace("\xa0", " ")
        assert not find(window, QPushButton, "retryButton").isVisible()  # it would start the same build again
        assert (OLD if version == OLD else "no version") in controller.error.detail
        # ended as Rozłącz ends it: nothing of it runs and its unpacked folder is gone
        assert standin_processes(str(paths.runtime)) == []
        assert not list(paths.runtime.rglob("teamviewer")), "unpacked QuickSupport folder left behind"
        qtbot.waitUntil(lambda: not controller.session_active, timeout=WAIT_MS)
    finally:
        _finish(controller, window)


def test_a_new_enough_build_reaches_the_session_page(qtbot, server, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("OVERMAX_DEMO_VERSION", "15.61.3")
    controller, window, paths = make_window(qtbot, load_config(overrides=demo_overrides(server, tmp_path / "data")))
    try:
        accept_terms(qtbot, window)
        qtbot.waitUntil(lambda: controller.state in (State.SESSION, State.ERROR), timeout=WAIT_MS)
        assert controller.state is State.SESSION, controller.error
        controller.disconnect_session()
        qtbot.waitUntil(lambda: controller.state is State.ENDED, timeout=WAIT_MS)
        assert standin_processes(str(paths.runtime)) == []
    finally:
        _finish(controller, window)


# ----- the headless `session` command: the same gate through core start_session


@pytest.mark.parametrize("version", [OLD, "none"])
def test_the_session_command_exits_1_with_qs_outdated_and_leaves_nothing(server, tmp_path, version: str) -> None:
    from tests.e2e.test_cli_session import SessionProcess, assert_no_password
    from tests.support.demo_config import write_config
    from tests.support.polling import wait_until
    from tests.support.processes import processes_mentioning

    config = write_config(tmp_path / "demo.toml", demo_overrides(server, tmp_path / "data"))
    session = SessionProcess("--config", str(config), tmp_path=tmp_path, env={"OVERMAX_DEMO_VERSION": version})
    try:
        session.wait_for("STOPPED")  # ended by itself, without anyone pressing anything
        code, out, err = session.finish()
        assert code == 1 and "ERROR QS-OUTDATED" in err, (out, err)
        assert "61 653 12 93" in err
        assert out.splitlines()[-1].startswith("STOPPED ")  # and it says nothing of it is left
        assert wait_until(lambda: processes_mentioning(str(tmp_path / "data")) == [], 5)
        assert not list((tmp_path / "data").rglob("teamviewer")), "unpacked QuickSupport folder left behind"
        assert_no_password(tmp_path, out, err)
    finally:
        session.kill()


def test_the_session_command_runs_a_new_enough_build(server, tmp_path) -> None:
    from tests.e2e.test_cli_session import SessionProcess
    from tests.support.demo_config import write_config

    config = write_config(tmp_path / "demo.toml", demo_overrides(server, tmp_path / "data"))
    session = SessionProcess("--config", str(config), tmp_path=tmp_path, env={"OVERMAX_DEMO_VERSION": MINIMUM})
    try:
        assert session.wait_for("ID ")
        code, out, err = session.finish()
        assert code == 0 and "ERROR" not in err, (out, err)
        assert "VERIFIED 15.0.0 " in out
    finally:
        session.kill()
