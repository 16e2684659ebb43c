"""A bug the code did not expect (an exception nothing caught), while the real window runs: the customer sees
APP-INTERNAL with its sentence and the report button, never a page that no longer moves; the traceback goes to
the log; a QuickSupport that runs is ended and its password forgotten (launcher/ui/unexpected_errors.py,
Controller.on_unexpected_error). The window comes up through start_gui, as in the app; the bug is planted in
the window's own code (a slot), the session is the demo's real stand-in."""

from __future__ import annotations

import logging
import sys
import threading

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QCheckBox, QLabel, QPushButton

from launcher.config import load_config
from launcher.core.paths import app_paths
from launcher.ui.app import start_gui
from launcher.ui.controller import State
from launcher.ui.single_instance import lock_name

# the bug is planted on purpose: pytest-qt must not fail the test for it (the launcher's hook handles it)
pytestmark = pytest.mark.qt_no_exception_capture

SESSION_LIMIT_MS = 60_000
PASSWORD = "zq7wk3xv"


class PlantedBug(Exception):
    pass


def _raise(*_args, **_kwargs) -> None:
    raise PlantedBug("planted")


@pytest.fixture
def start(qtbot, tmp_path):
    started = []
    hooks = (sys.excepthook, threading.excepthook)

    def start_window(config=None, paths=None, demo: bool = False):
        config = config or load_config()
        paths = paths or app_paths(str(tmp_path / "data")).ensure()
        run = start_gui(config, paths, language="pl", demo=demo, instance_name=lock_name(str(tmp_path)),
                        lock_dir=tmp_path / "lock")
        assert run is not None
        started.append(run)
        qtbot.addWidget(run.window)
        qtbot.waitUntil(lambda: run.window.startup_finished, timeout=SESSION_LIMIT_MS)
        return run

    yield start_window
    for run in started:
        if run.controller.session_active or run.controller._worker.active:
            run.controller.disconnect_session()
            qtbot.waitUntil(lambda run=run: not run.controller._worker.active, timeout=SESSION_LIMIT_MS)
        run.close()
    assert (sys.excepthook, threading.excepthook) == hooks  # close() gave the hooks back


def _error_code(window) -> str:
    return window.findChild(QLabel, "errorCode").text()


def test_a_bug_in_a_slot_shows_app_internal_and_logs_its_traceback(start, qtbot, monkeypatch, caplog):
    run = start()
    window = run.window
    window.findChild(QCheckBox, "acceptTerms").click()
    window.findChild(QCheckBox, "confirmHotline").click()
    monkeypatch.setattr(run.controller, "accept_terms", _raise)  # what Dalej's slot calls
    window.findChild(QPushButton, "continueButton").click()
    qtbot.waitUntil(lambda: run.controller.state is State.ERROR)
    assert _error_code(run.window) == "APP-INTERNAL"
    assert "PlantedBug: planted" in run.controller.error.detail
    assert run.window.findChild(QPushButton, "copyReportButton").isVisible()
    [record] = [r for r in caplog.records if r.name == "launcher.ui.unexpected_errors"]
    assert record.levelno == logging.ERROR and record.exc_info[0] is PlantedBug


@pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")  # pytest hears of it too
def test_a_bug_on_a_thread_of_ours_shows_app_internal(start, qtbot):
    run = start()
    worker = threading.Thread(target=_raise, name="planted-worker")
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: run.controller.state is State.ERROR)
    assert _error_code(run.window) == "APP-INTERNAL"
    assert "thread planted-worker" in run.controller.error.detail


def test_a_bug_while_the_error_page_shows_keeps_the_first_error_and_does_not_loop(start, qtbot, caplog):
    run = start()
    run.controller.errorRaised.connect(_raise)  # the error page's own code fails as it is shown
    QTimer.singleShot(0, _raise)
    qtbot.waitUntil(lambda: run.controller.state is State.ERROR)
    first = run.controller.error
    # the second bug (raised while the first error was shown) is handled, and starts nothing more
    qtbot.waitUntil(lambda: len([r for r in caplog.records if r.name == "launcher.ui.unexpected_errors"]) == 2)
    # a loop would go on raising through queued slots: let every event queued so far, and those they queue in
    # turn, run (two rounds of a zero timer posted behind them) before counting again
    for _round in range(2):
        behind = QTimer()
        behind.setSingleShot(True)
        with qtbot.waitSignal(behind.timeout, timeout=SESSION_LIMIT_MS):
            behind.start(0)
    assert len([r for r in caplog.records if r.name == "launcher.ui.unexpected_errors"]) == 2
    assert run.controller.error is first and _error_code(run.window) == "APP-INTERNAL"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the in-process demo session here uses the "
                                                                 "Linux stand-in (Windows: tests/windows)")
def test_a_bug_during_a_session_ends_quicksupport_and_forgets_the_password(start, qtbot, monkeypatch):
    from launcher.demo.session import demo_environment
    from tests.support.processes import processes_mentioning

    monkeypatch.setenv("OVERMAX_DEMO_PASSWORD", PASSWORD)  # what the stand-in shows, wherever it is read

    with demo_environment() as (config, paths):
        run = start(config, paths, demo=True)
        window, controller = run.window, run.controller
        window.findChild(QCheckBox, "acceptTerms").click()
        window.findChild(QCheckBox, "confirmHotline").click()
        window.findChild(QPushButton, "continueButton").click()
        session_id = window.findChild(QLabel, "sessionId")
        qtbot.waitUntil(lambda: any(ch.isdigit() for ch in session_id.text()) or controller.state is State.ERROR,
                        timeout=SESSION_LIMIT_MS)
        assert controller.state is State.SESSION, controller.error
        assert processes_mentioning(str(paths.runtime)) != []

        QTimer.singleShot(0, _raise)  # a bug in some slot while the consultant may be connected
        qtbot.waitUntil(lambda: controller.state is State.ERROR)
        assert _error_code(window) == "APP-INTERNAL"
        qtbot.waitUntil(lambda: not controller._worker.active, timeout=SESSION_LIMIT_MS)
        assert processes_mentioning(str(paths.runtime)) == []
        assert controller._password == "" and PASSWORD not in window.findChild(QLabel, "sessionPassword").text()
        qtbot.waitUntil(lambda: "Sesja zakończona z powodu błędu." in controller.watch.receipt_text)
