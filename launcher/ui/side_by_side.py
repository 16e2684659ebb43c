"""A layout of two equal columns where the width allows them, else one under the other.

The session page puts the TeamViewer ID and the password beside each other on a window of ordinary size
(so the rest of the page keeps its room for what the consultant does) and one under the other on a small
screen at a large scale (so the page never scrolls sideways). Which one is decided from the content: the
columns go side by side, equal, when each gets at least the widest one's sizeHint; else side by side each
at its own sizeHint (the spare width shared out evenly) when their sum fits, so a short screen (a netbook,
a large scale) still shows both without scrolling; else one under the other.

Qt has no such layout (QBoxLayout keeps one direction; a flow layout would not keep the columns equal),
so this is a small QLayout: two items, `spacing()` between them, height for width reported for both
arrangements so a scroll area around it knows the page's real height.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtWidgets import QLayout, QLayoutItem, QWidget


class SideBySideLayout(QLayout):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []

    # ----- QLayout's item bookkeeping
    def addItem(self, item: QLayoutItem) -> None:  # noqa: N802 - Qt API
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 - Qt API
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 - Qt API
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:  # noqa: N802 - Qt API
        return Qt.Orientation.Horizontal

    # ----- sizes
    def _shown(self) -> list[QLayoutItem]:
        return [item for item in self._items if not item.isEmpty()]

    def _extra(self) -> tuple[int, int]:
        """The layout's own margins: (horizontal, vertical) total, in pixels."""
        m = self.contentsMargins()
        return m.left() + m.right(), m.top() + m.bottom()

    def column_width(self) -> int:
        """The width each column needs side by side: the widest item's sizeHint (the columns are equal)."""
        return max((item.sizeHint().width() for item in self._shown()), default=0)

    def side_by_side_width(self) -> int:
        """The narrowest width (margins included) at which the items go side by side in equal columns."""
        shown = self._shown()
        extra_w, _ = self._extra()
        return len(shown) * self.column_width() + max(0, len(shown) - 1) * self._gap() + extra_w

    def narrowest_side_by_side_width(self) -> int:
        """The narrowest width (margins included) at which the items go side by side at all: each column
        as wide as its own sizeHint."""
        shown = self._shown()
        extra_w, _ = self._extra()
        return sum(item.sizeHint().width() for item in shown) + max(0, len(shown) - 1) * self._gap() + extra_w

    def fits_side_by_side(self, width: int) -> bool:
        return width >= self.narrowest_side_by_side_width()

    def _column_widths(self, inner_width: int) -> list[int]:
        """Side by side: equal where each still gets the widest one's hint, else each its own hint plus an
        even share of what is left (`inner_width` without the margins)."""
        shown = self._shown()
        free = inner_width - self._gap() * (len(shown) - 1)
        if free >= len(shown) * self.column_width():
            return [free // len(shown)] * len(shown)
        hints = [item.sizeHint().width() for item in shown]
        share = max(0, free - sum(hints)) // len(shown)
        return [hint + share for hint in hints]

    def _gap(self) -> int:
        gap = self.spacing()
        return gap if gap >= 0 else 12

    def _heights(self) -> list[int]:
        return [item.sizeHint().height() for item in self._shown()]

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        extra_w, extra_h = self._extra()
        return QSize(self.side_by_side_width(), max(self._heights(), default=0) + extra_h)

    def minimumSize(self) -> QSize:  # noqa: N802 - Qt API
        """One column wide (the items stacked), as tall as side by side: the height for a width says more."""
        extra_w, extra_h = self._extra()
        width = max((item.minimumSize().width() for item in self._shown()), default=0)
        height = max((item.minimumSize().height() for item in self._shown()), default=0)
        return QSize(width + extra_w, height + extra_h)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt API
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt API
        heights = self._heights()
        _, extra_h = self._extra()
        if self.fits_side_by_side(width):
            return max(heights, default=0) + extra_h
        return sum(heights) + max(0, len(heights) - 1) * self._gap() + extra_h

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802 - Qt API
        super().setGeometry(rect)
        inner = self.contentsRect()
        shown = self._shown()
        if not shown:
            return
        gap = self._gap()
        if self.fits_side_by_side(rect.width()):
            x = inner.left()
            for item, width in zip(shown, self._column_widths(inner.width()), strict=True):
                item.setGeometry(QRect(x, inner.top(), width, inner.height()))
                x += width + gap
            return
        y = inner.top()
        for item in shown:
            height = item.sizeHint().height()
            item.setGeometry(QRect(inner.left(), y, inner.width(), height))
            y += height + gap
