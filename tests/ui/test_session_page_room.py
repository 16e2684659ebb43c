"""The session page at the window's real size (860x640) shows everything a customer guided by phone needs at
once: the ID and the password (side by side), Rozłącz, who is connected and what they did (several activity
lines); on a small screen (1024x600 at 150 %) both stay side by side, each at its own width, and in view;
on a smaller one (800x600 at 150 %) it stacks the ID over the password, scrolls down but never sideways.
"Czy konsultant nadal Ci pomaga?" is one question asked on the page and on the compact panel: answering it
in either place clears both.

The real window (Xvfb + openbox) checks the same at 860x640 in tests/ui/test_real_window.py."""

from __future__ import annotations

import contextlib

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QFrame, QPushButton

from launcher.core.quicksupport.tvlog import TvEvent
from launcher.ui.controller import State
from launcher.ui.screens import screen_of
from tests.support.ui_session import NOW, consultant_works, remember, start_session
from tests.support.window_audit import unscrolled_session_problems

pytestmark = pytest.mark.usefixtures("end_started_sessions")


def _connected(window, *, extra_lines: int = 1) -> None:
    """A verified consultant at work: 3 + `extra_lines` activity lines, the password read, spelled out."""
    remember(window)
    start_session(window)
    c = window.controller
    c._on_password("ab12cd")
    consultant_works(c)
    for i in range(extra_lines):
        c._on_session_event(TvEvent("file_out", NOW.replace(minute=10 + i), name=f"raport{i}.txt",
                                    folder="/home/jan/Dokumenty"))
    window.session_page.spell_button.setChecked(True)


def _top_left(widget):
    return widget.mapTo(widget.window(), widget.rect().topLeft())


def _settled(window, qtbot) -> list[str]:
    """The layout's answer once Qt has applied it (the list relays its rows out after a resize)."""
    problems: list[str] = []

    def done() -> bool:
        problems[:] = unscrolled_session_problems(window)
        return not problems

    with contextlib.suppress(qtbot.TimeoutError):  # the problems say why
        qtbot.waitUntil(done, timeout=3000)
    return problems


@pytest.mark.parametrize("language", ["pl", "en"])
def test_860x640_shows_id_password_rozlacz_and_every_line_unscrolled(make_window, qtbot, language):
    window = make_window(language=language)
    window.resize(860, 640)
    _connected(window)
    page = window.session_page
    assert page.activity.list.count() == 4
    # side by side: the ID and the password on one line, the ID on the left
    qtbot.waitUntil(lambda: _top_left(page.id_value).y() == _top_left(page.password_value).y(), timeout=3000)
    assert _top_left(page.id_value).x() < _top_left(page.password_value).x()
    assert _settled(window, qtbot) == []
    assert page.id_value.text() == "1 660 388 656" and page.password_value.text() == "ab12cd"


def test_860x640_with_the_question_still_shows_every_line(make_window, qtbot):
    window = make_window()
    window.resize(860, 640)
    _connected(window)
    window.controller.watch._on_ask()
    assert window.session_page.confirm_prompt.isVisible()
    assert _settled(window, qtbot) == []


def test_a_long_list_scrolls_inside_itself_never_the_page(make_window, qtbot):
    """Twenty lines: the page keeps the ID, password and Rozłącz in view; the newest lines are on top."""
    window = make_window()
    window.resize(860, 640)
    _connected(window, extra_lines=17)
    rows = window.session_page.activity.list
    assert rows.count() == 20
    problems = _settled(window, qtbot)
    assert problems and all(p.startswith(("the activity list scrolls", "activity line")) for p in problems), problems
    page_bar = window.session_page.parentWidget().parentWidget().verticalScrollBar()
    assert page_bar.maximum() == 0
    for i in range(3):  # the newest three at least, whole
        assert rows.viewport().rect().contains(rows.visualItemRect(rows.item(i))), i
    assert "raport16.txt" in rows.item(0).text()


def test_a_small_screen_keeps_id_and_password_side_by_side_where_their_own_widths_fit(make_window, qtbot):
    window = make_window(language="en")
    window.resize(683, 400)  # 1024x600 at 150 %: too narrow for equal columns, wide enough for both
    _connected(window)
    page = window.session_page
    frame = page.parentWidget().parentWidget()

    def side_by_side() -> bool:
        return _top_left(page.password_value).y() == _top_left(page.id_value).y() and \
            _top_left(page.password_value).x() >= _top_left(page.id_value).x() + page.id_value.width()

    qtbot.waitUntil(side_by_side, timeout=3000)
    assert page.id_value.width() >= page.id_value.sizeHint().width()  # each at least its own width
    assert page.password_value.width() >= page.password_value.sizeHint().width()
    assert page.id_value.width() > page.password_value.width()  # not equal: the ID is the longer
    assert frame.horizontalScrollBar().maximum() == 0
    assert not page.title.isVisible()  # short: the step indicator names the step, the title gives its room
    for widget in (page.id_value, page.password_value):
        top = widget.mapTo(frame.viewport(), widget.rect().topLeft())
        assert top.y() >= 0 and top.y() + widget.height() <= frame.viewport().height(), widget.objectName()
    window.resize(860, 640)  # room again: the title is back
    qtbot.waitUntil(page.title.isVisible, timeout=3000)


def test_a_smaller_screen_stacks_the_password_under_the_id_and_never_scrolls_sideways(make_window, qtbot):
    window = make_window(language="en")
    window.resize(533, 400)  # 800x600 at 150 %
    _connected(window)
    page = window.session_page
    frame = page.parentWidget().parentWidget()

    def stacked() -> bool:
        return _top_left(page.password_value).y() > _top_left(page.id_value).y() + page.id_value.height()

    qtbot.waitUntil(stacked, timeout=3000)
    assert page.minimumSizeHint().width() <= frame.viewport().width()
    assert frame.horizontalScrollBar().maximum() == 0
    assert page.id_value.width() >= page.id_value.minimumSizeHint().width()  # the ID whole, not cut
    assert window.session_page.disconnect_button.isVisible()
    # and back side by side when the window is large again
    window.resize(860, 640)
    qtbot.waitUntil(lambda: not stacked(), timeout=3000)


def _prompts(window) -> tuple[QFrame, QFrame]:
    panel = window.compact_panel
    return window.findChild(QFrame, "confirmPrompt"), panel.findChild(QFrame, "compactConfirmPrompt")


def _asking_soon(make_window, **session):
    window = make_window(overrides={"session": {"confirm_minutes": 1, "idle_answer_s": 60, **session}})
    c = window.controller
    c.watch._ask.setInterval(50)  # a minute is the config's smallest step; the test needs no minute
    _connected(window)
    return window, c


def test_the_question_is_asked_on_the_panel_too_and_either_answer_clears_both(make_window, qtbot):
    window, c = _asking_soon(make_window)
    page_prompt, panel_prompt = _prompts(window)
    assert window.compact_panel.isVisible()
    qtbot.waitUntil(lambda: page_prompt.isVisible() and panel_prompt.isVisible(), timeout=5000)
    assert c.watch.asking
    panel_yes = panel_prompt.findChild(QPushButton, "compactConfirmYesButton")
    assert panel_yes.accessibleName() == "Tak, konsultant nadal pomaga"
    qtbot.mouseClick(panel_yes, Qt.MouseButton.LeftButton)
    assert not page_prompt.isVisible() and not panel_prompt.isVisible() and not c.watch.asking
    assert c.state is State.SESSION
    qtbot.waitUntil(lambda: page_prompt.isVisible() and panel_prompt.isVisible(), timeout=5000)  # asked again
    qtbot.mouseClick(window.findChild(QPushButton, "confirmYesButton"), Qt.MouseButton.LeftButton)
    assert not page_prompt.isVisible() and not panel_prompt.isVisible()
    assert c.state is State.SESSION


def test_rozlacz_on_the_panels_question_ends_the_session_and_clears_the_page(make_window, qtbot):
    window, c = _asking_soon(make_window)
    page_prompt, panel_prompt = _prompts(window)
    qtbot.waitUntil(panel_prompt.isVisible, timeout=5000)
    qtbot.mouseClick(panel_prompt.findChild(QPushButton, "compactConfirmDisconnectButton"), Qt.MouseButton.LeftButton)
    assert c.state in (State.STOPPING, State.ENDED) and c.end_reason == "customer"
    assert page_prompt.isHidden() and panel_prompt.isHidden()
    qtbot.waitUntil(lambda: c.state is State.ENDED, timeout=5000)


def test_silence_ends_the_session_and_the_question_leaves_both_places(make_window, qtbot):
    window, c = _asking_soon(make_window)
    c.watch._answer.setInterval(200)
    page_prompt, panel_prompt = _prompts(window)
    qtbot.waitUntil(panel_prompt.isVisible, timeout=5000)
    qtbot.waitUntil(lambda: c.state is State.ENDED, timeout=5000)
    assert c.end_reason == "unanswered"
    assert page_prompt.isHidden() and panel_prompt.isHidden()


def test_the_panel_grows_to_show_the_question_whole(make_window, qtbot):
    window, c = _asking_soon(make_window)
    panel = window.compact_panel
    _, panel_prompt = _prompts(window)
    qtbot.waitUntil(panel_prompt.isVisible, timeout=5000)
    for name in ("compactConfirmYesButton", "compactConfirmDisconnectButton", "compactDisconnectButton",
                 "restoreButton"):
        button = panel.findChild(QPushButton, name)
        top_left = button.mapTo(panel, button.rect().topLeft())
        assert button.isVisible() and top_left.y() + button.height() <= panel.height(), name
        assert button.width() >= button.minimumSizeHint().width(), name


def test_the_panel_moves_off_the_window_that_came_under_it_after_it_was_placed(make_window, qtbot):
    """The panel is placed clear of the window when the session starts; a window that then grows or moves (a
    page that needs more room, the window manager's placement after a retry) came to lie under it, and the panel
    stayed over the password. It moves to a corner clear of the window, and the window is left where it is."""
    window = make_window()
    area = screen_of(window).availableGeometry()
    window.resize(area.width() // 2 - 40, area.height() // 2)
    window.move(area.topLeft())
    _connected(window)
    panel = window.compact_panel
    qtbot.waitUntil(lambda: panel.isVisible() and not panel.frameGeometry().intersects(window.frameGeometry()),
                    timeout=5000)
    QCoreApplication.processEvents()  # the placement the panel queues when shown (for the frame) is done too
    under = panel.frameGeometry().topLeft()
    window.move(under.x() - 20, area.top())  # the window now lies under the panel's corner
    qtbot.waitUntil(lambda: window.frameGeometry().topLeft().x() == under.x() - 20, timeout=5000)
    qtbot.waitUntil(lambda: not panel.frameGeometry().intersects(window.frameGeometry()), timeout=5000)
    assert area.contains(panel.frameGeometry())
    assert window.frameGeometry().topLeft().x() == under.x() - 20  # the window stays where it was put


def test_side_by_side_layout_switches_at_the_width_its_content_needs(qtbot):
    from PySide6.QtWidgets import QLabel, QWidget

    from launcher.ui.side_by_side import SideBySideLayout

    holder = QWidget()
    qtbot.addWidget(holder)
    columns = SideBySideLayout(holder)
    columns.setContentsMargins(0, 0, 0, 0)
    columns.setSpacing(10)
    short, long_ = QLabel("ab12cd"), QLabel("1 660 388 656 and more words")
    columns.addWidget(long_)
    columns.addWidget(short)
    need = 2 * long_.sizeHint().width() + 10  # equal columns, each as wide as the wider content
    assert columns.side_by_side_width() == need
    tallest = max(long_.sizeHint().height(), short.sizeHint().height())
    assert columns.heightForWidth(need) == tallest
    assert columns.heightForWidth(narrowest_width := long_.sizeHint().width() + 10 + short.sizeHint().width()) \
        == tallest
    assert columns.heightForWidth(narrowest_width - 1) == \
        long_.sizeHint().height() + 10 + short.sizeHint().height()
    assert holder.minimumSizeHint().width() == max(long_.minimumSizeHint().width(), short.minimumSizeHint().width())
    holder.resize(need, tallest)
    holder.show()
    qtbot.waitUntil(lambda: short.geometry().top() == long_.geometry().top() and short.geometry().left() > 0)
    narrowest = long_.sizeHint().width() + 10 + short.sizeHint().width()  # each column at its own width
    holder.resize(need - 1, 200)
    qtbot.waitUntil(lambda: short.geometry().top() == long_.geometry().top()
                    and long_.geometry().width() > short.geometry().width())
    assert columns.heightForWidth(narrowest) == tallest
    holder.resize(narrowest - 1, 200)
    qtbot.waitUntil(lambda: short.geometry().top() > long_.geometry().bottom() and short.geometry().left() == 0)
    short.hide()  # a hidden column takes no room
    assert columns.heightForWidth(narrowest - 1) == long_.sizeHint().height()
