"""A forgotten session never stays open: the time limit and the unanswered 'are you still there?'."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from launcher.core.quicksupport.tvlog import TvEvent
from launcher.ui.controller import State


def start_session(window):
    c = window.controller
    c._enter(State.STARTING)
    c._on_session_event(TvEvent(kind="id", when=None, tv_id="123456789"))
    assert c.state is State.SESSION
    return c


def test_limits_come_from_config(make_window):
    window = make_window({"session": {"max_minutes": 90, "idle_prompt_minutes": 20, "idle_answer_s": 45}})
    c = window.controller
    assert c._limit_timer.interval() == 90 * 60_000
    assert c._idle_timer.interval() == 20 * 60_000
    assert c._answer_timer.interval() == 45_000


def test_unanswered_prompt_ends_the_session(window, qtbot):
    c = start_session(window)
    c._answer_timer.setInterval(50)
    with qtbot.waitSignal(c.idlePromptChanged, timeout=2000) as shown:
        c._idle_timer.start(10)
    assert shown.args == [True]
    assert window.session_page.idle_prompt.isVisible()
    qtbot.waitUntil(lambda: c.state is State.ENDED, timeout=5000)
    assert c.end_reason == "idle"
    assert "nikt nie odpowiedział" in window.ended_page.reason.text()


def test_answering_keeps_the_session(window, qtbot):
    c = start_session(window)
    c._answer_timer.setInterval(300)
    with qtbot.waitSignal(c.idlePromptChanged, timeout=2000):
        c._idle_timer.start(10)
    c._idle_timer.setInterval(60_000)  # the next question comes much later
    qtbot.mouseClick(window.findChild(QPushButton, "stillHereButton"), Qt.MouseButton.LeftButton)
    assert not window.session_page.idle_prompt.isVisible()
    qtbot.wait(500)
    assert c.state is State.SESSION
    assert c._idle_timer.isActive()  # asks again later


def test_no_prompt_while_the_consultant_is_connected(window, qtbot):
    c = start_session(window)
    c._on_session_event(TvEvent(kind="joined", when=None, tv_id="987654321", name="Jan"))
    assert not c._idle_timer.isActive()
    c._on_idle()  # even if it fired, it must not ask
    assert not window.session_page.idle_prompt.isVisible()
    c._on_session_event(TvEvent(kind="left", when=None, tv_id="987654321"))
    assert c._idle_timer.isActive()


def test_time_limit_ends_the_session(window, qtbot):
    c = start_session(window)
    c._on_session_event(TvEvent(kind="joined", when=None, tv_id="987654321", name="Jan"))
    c._limit_timer.start(20)
    qtbot.waitUntil(lambda: c.state is State.ENDED, timeout=5000)
    assert c.end_reason == "limit"
    assert "automatycznie" in window.ended_page.reason.text()
