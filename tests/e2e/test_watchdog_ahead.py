"""The watchdog is launched when the customer clicks "Dalej" (its interpreter starts while the connection is
checked and QuickSupport downloaded) and is then handed the QuickSupport that starts; one never used is
released. The real session worker on its own thread, a real download from the loopback demo server, the
real stand-in."""

from __future__ import annotations

import psutil
import pytest
from PySide6.QtCore import QObject, Slot

from launcher.config import load_config
from launcher.core.fetch import fetch_quicksupport
from launcher.core.paths import app_paths
from launcher.core.quicksupport.session import POLL_S
from launcher.demo.session import demo_overrides
from launcher.ui.controller import State
from launcher.ui.session_worker import SessionWorker, make_session_thread
from tests.e2e.test_flow import WAIT_MS, accept_terms, make_window, shutdown

pytestmark = pytest.mark.e2e


class Heard(QObject):
    """What the worker reported, heard on the GUI thread as the controller hears it (a bound slot: a plain
    callable connected to the worker's signals would run on the worker's thread)."""

    def __init__(self, worker: SessionWorker) -> None:
        super().__init__()
        self.said: list[str] = []
        worker.started.connect(self.started)
        worker.stopped.connect(self.stopped)

    @Slot()
    def started(self) -> None:
        self.said.append("started")

    @Slot()
    def stopped(self) -> None:
        self.said.append("stopped")


def _stop(worker: SessionWorker, heard: Heard, qtbot) -> None:
    count = heard.said.count("stopped")
    worker.requestStop.emit()
    qtbot.waitUntil(lambda: heard.said.count("stopped") > count, timeout=WAIT_MS)


@pytest.fixture
def worker(qtbot):
    worker = SessionWorker()
    worker.heard = Heard(worker)
    thread = make_session_thread(worker)
    thread.start()
    yield worker
    _stop(worker, worker.heard, qtbot)
    thread.quit()
    assert thread.wait(WAIT_MS)


def _launched(worker: SessionWorker, qtbot) -> psutil.Process:
    worker.requestPrepare.emit()
    qtbot.waitUntil(lambda: worker._standby is not None, timeout=WAIT_MS)
    standby = worker._standby
    assert standby.waiting
    return psutil.Process(standby.pid)


def test_the_watchdog_launched_at_dalej_guards_the_quicksupport_that_starts(qtbot, worker, demo_server,
                                                                            tmp_path):
    config = load_config(overrides=demo_overrides(demo_server, tmp_path / "data"))
    paths = app_paths(config.paths.data_dir).ensure()
    watchdog = _launched(worker, qtbot)
    worker.requestPrepare.emit()  # a second Dalej (a retry) keeps the waiting one
    verified = fetch_quicksupport(config, paths)
    worker.requestStart.emit(verified, paths.runtime, config.quicksupport)
    qtbot.waitUntil(lambda: "started" in worker.heard.said, timeout=WAIT_MS)
    session = worker._session
    assert session._proc.watchdog.pid == watchdog.pid  # the one launched ahead, now guarding
    assert worker._standby is None
    qtbot.waitUntil(lambda: session.tv_id is not None, timeout=WAIT_MS)
    paced = round(POLL_S * 1000)  # the usual pace once the ID is known
    qtbot.waitUntil(lambda: worker._timer is not None and worker._timer.interval() == paced, timeout=WAIT_MS)
    tree = session.pids
    assert tree
    _stop(worker, worker.heard, qtbot)
    assert not any(psutil.pid_exists(pid) and psutil.Process(pid).status() != psutil.STATUS_ZOMBIE for pid in tree)
    qtbot.waitUntil(lambda: not watchdog.is_running() or watchdog.status() == psutil.STATUS_ZOMBIE, timeout=WAIT_MS)


def test_a_watchdog_launched_for_a_session_that_never_starts_is_released(qtbot, worker):
    watchdog = _launched(worker, qtbot)
    _stop(worker, worker.heard, qtbot)  # the check failed; the customer closes
    assert worker._standby is None
    qtbot.waitUntil(lambda: not watchdog.is_running() or watchdog.status() == psutil.STATUS_ZOMBIE, timeout=WAIT_MS)


class StateAtRequest(QObject):
    """The controller's state each time it asks its worker to launch the watchdog ahead (a bound slot on
    the GUI thread, the emitter's: run at the emit, in order)."""

    def __init__(self, controller) -> None:
        super().__init__()
        self.controller, self.states = controller, []
        controller._worker.requestPrepare.connect(self.asked)

    @Slot()
    def asked(self) -> None:
        self.states.append(self.controller.state)


def test_dalej_launches_the_watchdog_before_the_connection_check(qtbot, demo_server, tmp_path):
    config = load_config(overrides=demo_overrides(demo_server, tmp_path / "data"))
    controller, window, _paths = make_window(qtbot, config)
    try:
        asked = StateAtRequest(controller)
        accept_terms(qtbot, window)
        qtbot.waitUntil(lambda: controller.state in (State.SESSION, State.ERROR), timeout=WAIT_MS)
        assert controller.state is State.SESSION, controller.error
        assert asked.states == [State.TERMS]  # at the click, before the check and the download
        assert controller._worker._session._proc.watchdog.guarding
    finally:
        shutdown(controller, window)
