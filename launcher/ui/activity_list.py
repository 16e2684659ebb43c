"""The session page's list of what the consultant does (`activityList`), newest first, and the status
line turned into a red warning while a supporter outside Overmax stays connected (warn mode).

Both are drawn from the one session state (session_state.SessionInfo); the lines' words come from
launcher.core.activity, the same the receipt uses.
"""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QAbstractItemView, QLabel, QListWidget, QVBoxLayout, QWidget

from launcher.core.activity import line
from launcher.ui.pages.base import name_widget
from launcher.ui.session_state import SessionInfo

WARNING_STYLE = "background: #c82333; color: white; font-weight: bold; padding: 2px 6px; border-radius: 4px;"


def show_warning(label: QLabel, status: str, warning: str) -> None:
    """`label` (the session status) reads `status`; with a `warning` it adds it and turns red (warn mode)."""
    label.setText(f"{status}\n{warning}" if warning else status)
    label.setProperty("warning", bool(warning))
    label.setStyleSheet(WARNING_STYLE if warning else "")

VISIBLE_ROWS = 2  # a short list: the newest lines; older ones scroll (the page fits 1024x600)


class ActivityList(QWidget):
    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.list = name_widget(QListWidget(), "activityList", self.tr("Co robi konsultant"))
        self.list.setToolTip(self.tr("Co robi konsultant"))
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.list.setWordWrap(True)
        height = self.list.fontMetrics().lineSpacing() * VISIBLE_ROWS + 2 * self.list.frameWidth() + 4
        self.list.setFixedHeight(height)
        layout.addWidget(self.list)
        self._shown: list[str] = []
        self.setVisible(False)  # nothing to show yet: takes no room on the page

    @Slot(object)
    def show_session(self, info: SessionInfo) -> None:
        lines = [line(entry, info.language) for entry in info.activity.newest_first()]
        if lines != self._shown:
            self._shown = lines
            self.list.clear()
            self.list.addItems(lines)
        self.list.setVisible(bool(lines))
        self.setVisible(bool(lines))

    def lines(self) -> list[str]:
        """The list's lines as shown, newest first."""
        return list(self._shown)
