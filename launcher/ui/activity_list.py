"""The session page's list of what the consultant does (`activityList`), newest first, and the red banner
shown while a supporter outside Overmax stays connected (warn mode, `supporterWarning`).

Both are drawn from the one session state (session_state.SessionInfo); the lines' words come from
launcher.core.activity, the same the receipt uses.
"""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QAbstractItemView, QLabel, QListWidget, QVBoxLayout, QWidget

from launcher.core.activity import line
from launcher.ui.pages.base import name_widget
from launcher.ui.session_state import SessionInfo, describe

VISIBLE_ROWS = 4  # a short list: the newest lines; older ones scroll


class ActivityList(QWidget):
    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.warning = name_widget(QLabel(""), "supporterWarning", self.tr("Ostrzeżenie o połączonej osobie"))
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("QLabel#supporterWarning { background: #c82333; color: white; "
                                   "font-weight: bold; padding: 8px; border-radius: 4px; }")
        self.warning.setVisible(False)
        layout.addWidget(self.warning)
        self.heading = QLabel(self.tr("Co robi konsultant:"))
        layout.addWidget(self.heading)
        self.list = name_widget(QListWidget(), "activityList", self.tr("Co robi konsultant"))
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.list.setWordWrap(True)
        self.list.setMaximumHeight(self.list.fontMetrics().lineSpacing() * VISIBLE_ROWS + 12)
        self.heading.setBuddy(self.list)
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
        self.heading.setVisible(bool(lines))
        self.list.setVisible(bool(lines))
        warning = describe(info).warning
        self.warning.setText(warning)
        self.warning.setVisible(bool(warning))
        self.setVisible(bool(lines) or bool(warning))

    def lines(self) -> list[str]:
        """The list's lines as shown, newest first."""
        return list(self._shown)
