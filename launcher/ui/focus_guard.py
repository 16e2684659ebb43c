"""The keyboard focus never lands on a Rozłącz by itself.

When a control that holds the focus is hidden or disabled (a question answered, a hint or button hidden, a
status change), Qt moves the focus on by itself to the next control in the Tab order
(QWidget::setVisible(false) and setEnabled(false) call focusNextPrevChild(true)); in a window that is not
active, the control keeps the window's focus and Qt moves on from it the same way when the window is
activated again. On the session page the next control after the idle question's „Tak, czekam” or after the
„Czy konsultant nadal Ci pomaga?” question is the big red Rozłącz: a stray Space (or the consultant's
keystrokes during remote control) would then end the session.

Both windows of a session (the main window and the always-on-top panel) handle every such case in one place:
their focusNextPrevChild and their activation call `rescue_focus`, which puts the focus on the window's
harmless control instead (the session page's Kopiuj of the ID, the panel's Pokaż okno). Tab and Shift+Tab
are untouched: Rozłącz stays reachable from the keyboard.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget


def stranded_focus(window: QWidget) -> QWidget | None:
    """The control of `window` that holds its focus though it can no longer take it (hidden or disabled):
    Qt is about to move the focus on from it by itself. None where the focus is where a customer put it."""
    focused = window.focusWidget()
    if focused is None or focused is window or (focused.isVisible() and focused.isEnabled()):
        return None
    return focused


def usable(widget: QWidget | None) -> bool:
    return widget is not None and widget.isVisible() and widget.isEnabled()


def rescue_focus(window: QWidget, safe: QWidget | None, fallback: QWidget | None = None) -> bool:
    """Where `window`'s focus is stranded, it goes to `safe` (else `fallback`, a widget that takes no Tab
    stop, such as the main window's central widget) and True; False where nothing was stranded."""
    if stranded_focus(window) is None:
        return False
    target = safe if usable(safe) else fallback
    if target is not None and target.isVisible():
        target.setFocus(Qt.FocusReason.OtherFocusReason)
    else:
        window.setFocus(Qt.FocusReason.OtherFocusReason)
    return True
