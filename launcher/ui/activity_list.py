"""The session page's list of what the consultant does (`activityList`), newest first, and the status
line turned into a red warning while a supporter outside Overmax stays connected (warn mode).

Both are drawn from the one session state (session_state.SessionInfo); the lines' words come from
launcher.core.activity, the same the receipt uses.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QListView,
    QListWidget,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from launcher.core.activity import line
from launcher.ui.pages.base import name_widget
from launcher.ui.session_state import SessionInfo
from launcher.ui.unbroken import keep_numbers_whole

WARNING_STYLE = "background: #c82333; color: white; font-weight: bold; padding: 2px 6px; border-radius: 4px;"


def show_warning(label: QLabel, status: str, warning: str) -> None:
    """`label` (the session status) reads `status`; with a `warning` it adds it and turns red (warn mode)."""
    label.setText(keep_numbers_whole(f"{status}\n{warning}" if warning else status))
    label.setProperty("warning", bool(warning))
    label.setStyleSheet(WARNING_STYLE if warning else "")

class _Rows(QListWidget):
    """The list itself: asks the page for room for the newest `MIN_ROWS` lines, measured from its rows as
    laid out (a line wrapped at the list's width is taller); on a small screen the page scrolls rather than
    show fewer. Its stretch gives it the rest of the page's height: on a window of ordinary size every line
    shows, and a list longer than that scrolls inside itself, never pushing Rozłącz or the ID away."""

    MIN_ROWS = 3  # who connected and the last things they did, without scrolling the list

    def __init__(self) -> None:
        super().__init__()
        self._laid_out: tuple[int, ...] = ()

    def _row_height(self, row: int) -> int:
        laid_out = self.visualItemRect(self.item(row))
        return laid_out.height() if laid_out.height() > 0 else max(self.sizeHintForRow(row), 0)

    def _rows_height(self, rows: int) -> int:
        count = min(rows, self.count())
        height = sum(self._row_height(i) for i in range(count))
        empty_rows = max(0, min(rows, self.MIN_ROWS) - count)  # room for lines still to come
        height += empty_rows * self.fontMetrics().lineSpacing()
        return height + 2 * self.frameWidth() + 2 * self.spacing()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        """The newest `MIN_ROWS` lines: the rest of the page's spare height comes from its stretch. (Asking
        for every line would make the page, not the list, scroll: a scroll area sizes its page by height
        for width, which is the layout's preferred height, not its minimum.)"""
        hint = super().sizeHint()
        hint.setHeight(self._rows_height(self.MIN_ROWS))
        return hint

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt API
        hint = super().minimumSizeHint()
        hint.setHeight(self._rows_height(self.MIN_ROWS))
        return hint

    def doItemsLayout(self) -> None:  # noqa: N802 - Qt API
        """Lines laid out again (new lines, another width): the page hears of the rows' new heights."""
        super().doItemsLayout()
        heights = tuple(self._row_height(i) for i in range(self.count()))
        if heights != self._laid_out:
            self._laid_out = heights
            self.updateGeometry()


class ActivityList(QWidget):
    """The lines, newest first; hidden (no room taken) until there is one. Placed in a layout with a
    stretch, it takes the page's spare height: on a window of ordinary size every line shows."""

    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.list = name_widget(_Rows(), "activityList", self.tr("Co robi konsultant"))
        self.list.setToolTip(self.tr("Co robi konsultant"))
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.list.setWordWrap(True)
        self.list.setResizeMode(QListView.ResizeMode.Adjust)  # long lines wrap again when the window changes
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
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
            self.list.updateGeometry()  # its height asks for the new lines
        self.list.setVisible(bool(lines))
        self.setVisible(bool(lines))

    def lines(self) -> list[str]:
        """The list's lines as shown, newest first."""
        return list(self._shown)
