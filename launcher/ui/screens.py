"""The screen a window is on, found without `QWidget.screen()` or `QWindow.screen()`.

Qt owns every QScreen (the application creates and deletes them as monitors come and go). PySide6 (seen
with 6.11) nevertheless records the QScreen that `QWidget.screen()` and `QWindow.screen()` return as a
child of the widget's (or window's) Python wrapper. When that wrapper is later freed by Python's cycle
collection, the collector may clear the screen's wrapper before the widget's: shiboken then hands the
screen's wrapper "ownership" back and, as its last reference goes, deletes the application's QScreen.
Qt keeps using the freed screen, and the next new widget crashes in `QScreen::virtualSiblings` (reached
from `QWidget::screen()` through `QGuiApplication::screenAt`), far from the cause and only when the
collector happens to clear the two wrappers in that order. QGuiApplication's static look-ups
(`screenAt`, `primaryScreen`) link the screen to nothing, so this module uses only them.
"""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QWidget


def screen_of(widget: QWidget) -> QScreen | None:
    """The screen under the centre of `widget`'s window (frame included), as Qt itself places a window by
    its centre; the primary screen where no screen is there (a window not shown yet, or moved off every
    screen). None only while the platform has no screen at all (a monitor being reconnected)."""
    centre = widget.window().frameGeometry().center()
    return QGuiApplication.screenAt(centre) or QGuiApplication.primaryScreen()
