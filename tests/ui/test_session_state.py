"""One truth for the session: the page, the always-on-top panel and the window title (the taskbar's text)
say the same thing in every phase, because all three are drawn from the one `SessionInfo`."""

from __future__ import annotations

import time

from PySide6.QtWidgets import QLabel

from launcher.core.errors import LauncherError
from launcher.core.quicksupport.credentials import PasswordStatus
from launcher.core.quicksupport.tvlog import TvEvent
from launcher.ui.controller import State
from launcher.ui.session_state import Phase, SessionInfo, describe


def _shown(window) -> dict[str, str]:
    panel = window.compact_panel
    return {  # a number's no-break spaces (launcher/ui/unbroken.py) read as spaces
        "page": window.findChild(QLabel, "sessionStatus").text().replace("\xa0", " "),
        "panel": panel.status.text().replace("\xa0", " "),
        "panel title": panel.windowTitle(),
        "title": window.windowTitle(),
    }


def _expected(window) -> dict[str, str]:
    texts = describe(window.controller.session)
    return {"page": texts.status, "panel": texts.panel, "panel title": texts.short, "title": texts.title}


def _same_except_clock(shown: dict[str, str], expected: dict[str, str]) -> None:
    # the connected timer ticks between the two readings: compare everything but the seconds
    def strip(text: str) -> str:
        return text.split("(")[0]

    assert {k: strip(v) for k, v in shown.items()} == {k: strip(v) for k, v in expected.items()}


def test_every_phase_reads_the_same_on_page_panel_and_title(window):
    c = window.controller
    seen: list[Phase] = []

    def check() -> None:
        seen.append(c.session.phase)
        _same_except_clock(_shown(window), _expected(window))

    c._enter(State.STARTING)
    c.sessionChanged.emit(c.session)
    check()  # STARTING
    c._on_session_event(TvEvent(kind="id", when=None, tv_id="1660388656"))
    check()  # CONNECTING
    c._on_session_event(TvEvent(kind="online", when=None))
    check()  # WAITING
    assert "czekamy na konsultanta" in window.compact_panel.status.text()
    c._on_session_event(TvEvent(kind="joined", when=None, tv_id="1660360496", name="Jan Konsultant"))
    check()  # CONNECTED
    assert "Jan Konsultant" in window.compact_panel.status.text()
    c._on_session_event(TvEvent(kind="left", when=None))
    check()  # ENDED_BY_CONSULTANT: the bug was a panel still "waiting for the consultant" here
    for text in _shown(window).values():
        assert "czekamy" not in text.lower(), text
        assert "zakończył" in text, text
    c.disconnect_session()
    check()  # STOPPING
    assert seen == list(Phase)


def test_password_states_each_have_a_plain_sentence_and_never_a_spinner(window):
    c = window.controller
    c._enter(State.STARTING)
    c._on_session_event(TvEvent(kind="id", when=None, tv_id="1660388656"))
    box = window.findChild(QLabel, "sessionPassword")
    hint = window.session_page.password_hint
    hints = {}
    for status, until in ((PasswordStatus.READING, None), (PasswordStatus.NOT_READY, None),
                          (PasswordStatus.FIXED, None), (PasswordStatus.UNREADABLE, time.time() + 120),
                          (PasswordStatus.GAVE_UP, None)):
        c._on_password_status(status, until)
        assert box.text() not in ("", "…", "...")
        assert hint.text() == describe(c.session).password_hint
        hints[status] = hint.text()
    assert len(set(hints.values())) == len(hints)  # five different sentences
    assert "„-”" in hints[PasswordStatus.NOT_READY]
    assert "****" in hints[PasswordStatus.FIXED] and "konsultant wie" in hints[PasswordStatus.FIXED]
    assert "do godziny" in hints[PasswordStatus.UNREADABLE]  # how long we keep trying
    assert "„Hasło”" in hints[PasswordStatus.GAVE_UP]  # where to read it
    c._on_password("ab12cd")
    assert box.text() == "ab12cd" and hint.text() == ""


def test_describe_has_a_text_for_every_phase():
    info = SessionInfo()
    phases = {}
    for step in ("starting", "id", "online", "joined", "left", "stop"):
        if step == "id":
            info.tv_id = "1660388656"
        elif step == "online":
            info.online = True
        elif step == "joined":
            info.connected_since, info.supporter = time.monotonic(), "Anna"
        elif step == "left":
            info.connected_since, info.ended_by_consultant = None, True
        elif step == "stop":
            info.stopping = True
        texts = describe(info)
        phases[texts.phase] = texts
        assert texts.status and texts.panel and texts.title
    assert set(phases) == set(Phase)
    assert len({t.status for t in phases.values()}) == len(Phase)


def test_titles_never_repeat_the_app_name(window):
    """Qt appends the application's display name to every title (X11, Windows): titles say only where we are."""
    c = window.controller
    titles = [window.windowTitle()]
    c._enter(State.STARTING)
    titles += [window.windowTitle(), window.compact_panel.windowTitle()]
    c._fail(LauncherError("NET-DNS"))
    titles.append(window.windowTitle())
    assert all(title and "Overmax" not in title and "Pomoc Zdalna" not in title for title in titles), titles
