"""Every error page has a main button: „Spróbuj ponownie” where a new attempt can help, else „Zamknij”
(`closeButton`, as on the ended page), which Enter presses and which closes the program the normal way
(SEC-UNKNOWN-SUPPORTER and QS-OUTDATED had only the two report buttons). Focus and Enter on the real window:
tests/ui/test_real_window_focus.py."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton

from launcher.core.errors import CATALOGUE, LauncherError
from launcher.ui.controller import State


def test_every_error_page_has_one_main_button_enter_presses(window):
    page = window.error_page
    for code, spec in CATALOGUE.items():
        window.controller._fail(LauncherError(code))
        shown = [b for b in (page.retry_button, page.close_button) if b.isVisible()]
        assert shown == [page.retry_button if spec.retry else page.close_button], code
        assert page.primary_button is shown[0] and shown[0].isDefault(), code
        hidden = page.close_button if spec.retry else page.retry_button
        assert not hidden.isDefault(), code


@pytest.mark.parametrize("code", ["SEC-UNKNOWN-SUPPORTER", "QS-OUTDATED"])
@pytest.mark.parametrize(("language", "text", "name"), [("pl", "Zamknij", "Zamknij program"),
                                                        ("en", "Close", "Close the program")])
def test_an_error_with_no_retry_is_closed_with_zamknij(make_window, translated, qtbot, code, language, text, name):
    translated(language)
    window = make_window(language=language)
    window.controller.state = State.SESSION  # both end a session (the impostor cut off, QuickSupport too old)
    window.controller._fail(LauncherError(code))
    button = window.stack.currentWidget().findChild(QPushButton, "closeButton")  # the page and its pinned row
    assert button.isVisible() and not window.error_page.retry_button.isVisible()
    assert (button.text(), button.accessibleName()) == (text, name)
    assert QApplication.focusWidget() is button or not window.isActiveWindow()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.isVisible())


def test_enter_on_an_error_with_no_retry_closes_the_window(window, qtbot):
    window.controller.state = State.SESSION
    window.controller._fail(LauncherError("SEC-UNKNOWN-SUPPORTER"))
    qtbot.keyClick(window, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not window.isVisible())
