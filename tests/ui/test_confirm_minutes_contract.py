"""DESIGN.md `[session] confirm_minutes = 30`: "is the consultant still helping you?" this often while a
consultant is connected; the built-in 30 and a config's value both reach the window's question timer, which
runs only while one is connected (tests/ui/test_roster_ui.py answers the question itself)."""

from __future__ import annotations

import pytest

from launcher.core.quicksupport.tvlog import TvEvent
from launcher.ui.controller import State


@pytest.mark.parametrize(("overrides", "minutes"), [(None, 30), ({"session": {"confirm_minutes": 7}}, 7)])
def test_the_question_comes_every_confirm_minutes_while_a_consultant_is_connected(make_window, overrides, minutes):
    c = make_window(overrides).controller
    ask = c.watch._ask
    assert ask.interval() == minutes * 60_000
    c._enter(State.STARTING)
    c._on_session_event(TvEvent(kind="id", when=None, tv_id="123456789"))
    assert c.state is State.SESSION and not ask.isActive()  # nobody connected yet: nothing to confirm
    c._on_session_event(TvEvent(kind="joined", when=None, tv_id="1660360496", name="Anna Nowak"))
    assert ask.isActive() and ask.interval() == minutes * 60_000
    c._on_session_event(TvEvent(kind="left", when=None, tv_id="1660360496"))
    assert not ask.isActive()
