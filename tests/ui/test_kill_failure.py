"""When QuickSupport cannot be ended (an elevated process), the customer is told, and nothing moves on
until a later attempt has ended it. Root can kill anything, so the unkillable process is simulated."""

from __future__ import annotations

from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QLabel

from launcher.core.errors import LauncherError
from launcher.core.quicksupport.tvlog import TvEvent
from launcher.ui.controller import State


class SurvivesFirstStop:
    """Stands in for a QuickSupportSession whose first stop() leaves a process it may not kill."""

    tv_id = "123456789"

    def __init__(self) -> None:
        self.stops = 0

    def poll(self) -> list:
        return []

    def stop(self, grace_s: float = 1.0) -> None:
        self.stops += 1
        if self.stops == 1:
            raise LauncherError("QS-KILL", "still running: [4242]")


def test_kill_failure_is_shown_and_retry_stops_first(window, qtbot):
    c = window.controller
    c._enter(State.STARTING)
    c._on_session_event(TvEvent(kind="id", when=None, tv_id="123456789"))
    session = SurvivesFirstStop()
    c._worker._session = session
    checks = []
    c.consent = {"regulamin_version": "01.09.2018"}  # accepted earlier in this run
    c.start_check = lambda: checks.append("check")  # noqa: E731 - no probes; the order is what matters

    c.disconnect_session()
    qtbot.waitUntil(lambda: c.state is State.ERROR, timeout=5000)
    assert window.findChild(QLabel, "errorCode").text() == "QS-KILL"
    assert c._worker.active  # kept: not forgotten while something of it may still run

    c.retry()  # first ends QuickSupport for good, then goes on
    qtbot.waitUntil(lambda: checks == ["check"], timeout=5000)
    assert session.stops == 2 and not c._worker.active


def test_the_session_thread_is_made_when_a_session_first_needs_it(window, qtbot):
    """Not at start-up: at the first request,
    and the worker then runs on it, off the GUI thread."""
    from PySide6.QtCore import QThread

    c = window.controller
    assert c._thread is None
    assert c._worker.thread() is QThread.currentThread()
    c._enter(State.STARTING)
    c._on_session_event(TvEvent(kind="id", when=None, tv_id="123456789"))
    c._worker._session = SurvivesFirstStop()
    c.disconnect_session()
    assert c._thread is not None and c._thread.isRunning()
    assert c._worker.thread() is c._thread
    qtbot.waitUntil(lambda: c.state is State.ERROR, timeout=5000)


class SlowStop:
    """Stands in for a QuickSupportSession whose stop() takes a moment (a tree being ended): it waits for `go`."""

    tv_id = "123456789"

    def __init__(self) -> None:
        import threading

        self.go = threading.Event()
        self.stops = 0

    def poll(self) -> list:
        return []

    def stop(self, grace_s: float = 1.0) -> None:
        self.stops += 1
        assert self.go.wait(10)


class StopAnswers(QObject):
    """Counts the worker's `stopped` answers on the GUI thread, each after the controller has handled it."""

    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    @Slot()
    def on_stopped(self) -> None:
        self.count += 1


def test_retry_during_the_stop_after_a_failure_goes_on_and_stays_on(window, qtbot):
    """QuickSupport failed (QS-NO-ID): its stop is under way when the customer presses Enter on Spróbuj
    ponownie. The retry asks for a stop of its own and waits; the first answer starts the new attempt, and the
    second must not turn the new attempt's page into "Sesja zakończona" (it did, the check then ignored)."""
    c = window.controller
    c._enter(State.STARTING)
    c._on_session_event(TvEvent(kind="id", when=None, tv_id="123456789"))
    session = SlowStop()
    c._worker._session = session
    answers = StopAnswers()
    c._worker.stopped.connect(answers.on_stopped)
    checks = []
    c.consent = {"regulamin_version": "01.09.2018"}  # accepted earlier in this run

    def start_check() -> None:  # no probes: the page the new attempt shows is what matters
        checks.append("check")
        c._enter(State.CHECK)

    c.start_check = start_check
    c._on_session_event(TvEvent(kind="no-id", when=None))
    assert c.state is State.ERROR
    c.retry()  # while the first stop still runs
    session.go.set()
    qtbot.waitUntil(lambda: answers.count == 2, timeout=10000)
    assert checks == ["check"] and c.state is State.CHECK
    assert not c._worker.active


def test_closing_waits_for_a_stop_under_way_instead_of_stopping_beside_it(window, qtbot):
    """An error page shows while the worker still ends QuickSupport, and that takes longer than usual (its
    processes end slowly); the customer closes the window. Closing waited 5 s, then ended the session a second
    time on the GUI thread beside the worker, and the program ended with the thread still running (Qt aborts
    the process then: no receipt, a crash report)."""
    import threading

    c = window.controller
    c._enter(State.STARTING)
    c._on_session_event(TvEvent(kind="id", when=None, tv_id="123456789"))
    session = SlowStop()
    c._worker._session = session
    c._on_session_event(TvEvent(kind="no-id", when=None))  # the error page; the worker is told to stop
    assert c.state is State.ERROR
    qtbot.waitUntil(lambda: session.stops == 1, timeout=5000)  # the worker's stop is under way
    release = threading.Timer(6.0, session.go.set)  # past the old 5 s
    release.start()
    try:
        c.shutdown()
    finally:
        release.cancel()
        session.go.set()
    assert not c._thread.isRunning()
    assert session.stops == 1  # ended once, by the worker


class RefusesButSurvives:
    """Stands in for a QuickSupportSession whose roster refusal could not end QuickSupport (its poll raises
    what the real one raises then); the next stop works."""

    tv_id = "123456789"

    def __init__(self) -> None:
        self.polls = 0

    def poll(self) -> list:
        from datetime import datetime

        from launcher.core.quicksupport.session import EndFailed

        self.polls += 1
        joined = TvEvent("joined", datetime.now(), tv_id="1555000111", name="Pomoc Techniczna", verdict="unknown")
        refused = TvEvent("refused", datetime.now(), tv_id="1555000111", name="Pomoc Techniczna", verdict="unknown")
        raise EndFailed(LauncherError("QS-KILL", "still running: [4242]"), [joined, refused])

    def stop(self, grace_s: float = 1.0) -> None:
        pass


def test_a_refusal_that_could_not_end_quicksupport_is_recorded_and_the_failure_shown(window, qtbot):
    c = window.controller
    c._enter(State.STARTING)
    c._on_session_event(TvEvent(kind="id", when=None, tv_id="123456789"))
    c._worker._session = RefusesButSurvives()
    c._session_worker()  # its thread
    from PySide6.QtCore import QMetaObject, Qt

    QMetaObject.invokeMethod(c._worker, "_poll", Qt.ConnectionType.QueuedConnection)
    qtbot.waitUntil(lambda: c.error is not None and c.error.code == "QS-KILL", timeout=5000)
    kinds = [entry.kind for entry in c.session.activity.entries]
    assert "joined" in kinds and "refused" in kinds
