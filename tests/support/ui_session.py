"""A session in a real main window (tests/ui), driven through the controller's real slot as the session
worker delivers events: started, a consultant at work, and ended with its always-on-top panel closed."""

from __future__ import annotations

from datetime import datetime

NOW = datetime(2026, 11, 29, 10, 0)


def start_session(window) -> None:
    """QuickSupport started, its ID known and online: the session page, waiting for a consultant."""
    from launcher.core.quicksupport.tvlog import TvEvent
    from launcher.ui.controller import SessionInfo, State

    c = window.controller
    c.session = SessionInfo()
    c.watch.begin(c.session)
    c._enter(State.STARTING)
    c._on_session_event(TvEvent("id", NOW, tv_id="1660388656"))
    c._on_session_event(TvEvent("online", NOW))
    assert c.state is State.SESSION


def consultant_works(controller) -> None:
    """A verified consultant joins, takes control and sends a file: three activity lines."""
    from launcher.core.quicksupport.tvlog import TvEvent

    controller._on_session_event(TvEvent("joined", NOW.replace(minute=1), tv_id="1987654320", name="Anna Nowak",
                                         verdict="verified"))
    controller._on_session_event(TvEvent("control", NOW.replace(minute=2)))
    controller._on_session_event(TvEvent("file_in", NOW.replace(minute=3), name="sterownik.zip",
                                         folder="/home/jan/Pobrane", size=11481907))


def end_session(window, qtbot) -> None:
    """A session a test leaves open is ended before its window goes: the always-on-top panel (a top-level
    window of its own) must not outlive the window it keeps clear of."""
    c = window.controller
    if c.session_active:
        c.disconnect_session()
        qtbot.waitUntil(lambda: not c.session_active, timeout=5000)
    panel = window._compact_panel
    if panel is not None:
        panel.close()
        panel.deleteLater()
        window._compact_panel = None


STARTED: list = []  # windows whose session a test started (remember); ended after the test


def remember(window) -> None:
    """End this window's session after the test (tests/ui/conftest.py's `end_started_sessions`)."""
    STARTED.append(window)

