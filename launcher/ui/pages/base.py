"""What every page shares: a title and the automation naming rule (objectName == accessibleName key)."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)


class _LowHint:
    """A box that scrolls its own text (the Regulamin, the check list, the receipt) and takes the page's
    spare height (its stretch) but prefers only its minimum: a page in a scroll area is laid out at its
    widgets' preferred heights (its height for its width), so the 192 px every Qt text box prefers made the
    page scroll on a short screen and the box taller than the page's view."""

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        hint = super().sizeHint()
        hint.setHeight(max(self.minimumHeight(), self.minimumSizeHint().height()))
        return hint

    def wheelEvent(self, event) -> None:  # noqa: N802 - Qt API
        """The wheel scrolling the page goes on scrolling the page when this box comes under the pointer (a
        browser's wheel "transaction": the page keeps the wheel until the pointer moves), so the boxes and
        Dalej under the Regulamin are reached with the wheel; at its end the box hands the wheel on to the
        page (Qt's own chaining). Without it the page stopped as soon as the box came under the pointer."""
        parent = self.parentWidget()
        while parent is not None and not hasattr(parent, "wheel_holds"):
            parent = parent.parentWidget()
        if parent is not None and parent.wheel_holds(event):
            event.ignore()  # on to the page's scroll area
            return
        super().wheelEvent(event)


def scroll_within(widget: QWidget, lines: int) -> QWidget:
    """`widget` (one of the classes below) at least `lines` lines of its text tall."""
    widget.setMinimumHeight(lines * widget.fontMetrics().lineSpacing() + 2 * widget.frameWidth() + 8)
    return widget


class TextBox(_LowHint, QTextBrowser):
    """The Regulamin's view (see _LowHint)."""


class ListBox(_LowHint, QListWidget):
    """The check list (see _LowHint)."""


class PlainTextBox(_LowHint, QPlainTextEdit):
    """The receipt (see _LowHint)."""


def plain_label(text: str = "") -> QLabel:
    """A label that shows its text as plain text, whatever it holds. QLabel's default (Qt.AutoText) renders a
    text that merely looks like HTML as rich text: a supporter named `<font color=white>...` or `<img src=...>`
    would be drawn, not shown. Every label whose text can carry something the program did not write itself
    (a supporter's or a file's name, a path, a config value, a read password) is one of these."""
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(text)
    return label


class LinkButton(QPushButton):
    """A flat button that reads as a link („Co zaakceptowałem(-am)?”): Enter opens it as Space does. A QPushButton
    outside a dialog takes only Space, and Enter went to the page's primary button (or nowhere)."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.setFlat(True)

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt API
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.isAutoRepeat():
            self.animateClick()
            return
        super().keyPressEvent(event)


def name_widget(widget: QWidget, object_name: str, accessible_name: str) -> QWidget:
    """Give a control its stable automation name and a matching accessible name in the UI language."""
    widget.setObjectName(object_name)
    widget.setAccessibleName(accessible_name)
    return widget


class _ToggleLabel(QLabel):
    """A check box's text that wraps (QCheckBox's own text never does) and toggles it when clicked."""

    def __init__(self, text: str, box: QCheckBox) -> None:
        super().__init__(text)
        self._box = box
        self.setWordWrap(True)
        self.setBuddy(box)

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802 - Qt API
        if self.rect().contains(event.position().toPoint()) and self._box.isEnabled():
            self._box.setFocus()
            self._box.toggle()
        super().mouseReleaseEvent(event)


def wrapping_check_box(text: str, object_name: str, accessible_name: str) -> tuple[QCheckBox, QWidget]:
    """A check box whose long text wraps with the window instead of widening the page.

    Returns (the QCheckBox, named and with the text as its accessible description; the row to lay out)."""
    box = name_widget(QCheckBox(), object_name, accessible_name)
    box.setAccessibleDescription(text)
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    column = QVBoxLayout()  # the box stays by the first line of a wrapped text
    column.addWidget(box)
    column.addStretch(1)
    layout.addLayout(column)
    label = _ToggleLabel(text, box)
    label.setObjectName(object_name + "Text")
    layout.addWidget(label, 1)
    return box, row


PAGE_SIDE_MARGIN = 16


class Page(QWidget):
    # The button Enter presses on this page; None where Enter must do nothing (the session page:
    # a stray Enter must never end a session).
    primary_button: QPushButton | None = None
    # Shown below the page, outside its scroll area, so it is always in view (the session's Rozłącz).
    fixed_footer: QWidget | None = None

    # What must be in view without scrolling however short the window (the error code): where the page's
    # view is too short for the title and it, the title gives its room (the step indicator and the window's
    # title name the page too). None: the title always shows.
    key_widget: QWidget | None = None

    def fit_height(self, height: int) -> None:
        """The page's view is `height` px tall (its scroll area calls this when resized): see key_widget."""
        if self.key_widget is None:
            return
        width = self.width()
        top = self.layout_.contentsMargins().top()
        spacing = self.layout_.spacing()
        for index in range(self.layout_.count()):
            widget = self.layout_.itemAt(index).widget()
            if widget is None or widget is self.title or widget.isHidden():
                continue
            hfw = widget.heightForWidth(width) if widget.hasHeightForWidth() else -1
            top += (hfw if hfw > 0 else widget.sizeHint().height()) + spacing
            if widget is self.key_widget:
                break
        title = self.title.heightForWidth(width) + spacing
        self.title.setVisible(top + title <= height)

    def safe_focus(self) -> QWidget | None:
        """Where the keyboard focus goes when the control holding it is hidden or disabled (see
        launcher/ui/focus_guard.py): the page's primary button; None: the window itself."""
        return self.primary_button

    def pin_below(self, row: QHBoxLayout) -> None:
        """`row` (the page's main button: Dalej, Spróbuj ponownie, Anuluj, Zamknij) goes below the page's
        scrolling part, always in view: on a short screen (a netbook, 125-200 % scaling, a banner on top)
        "click the green button" must not mean "scroll down first" (Dalej was below the fold on 1366x768 at
        125 % with the DEMO banner)."""
        self.fixed_footer = QWidget()
        self.fixed_footer.setObjectName("pinnedButtons")
        row.setContentsMargins(PAGE_SIDE_MARGIN, 6, PAGE_SIDE_MARGIN, 8)
        self.fixed_footer.setLayout(row)

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.layout_ = QVBoxLayout(self)
        # 16 px at the sides, not more: on 800x600 at 125 % (640 px wide) 16 px more made the session
        # page put the password under the ID, out of view, instead of beside it
        self.layout_.setContentsMargins(PAGE_SIDE_MARGIN, 16, PAGE_SIDE_MARGIN, 16)
        self.layout_.setSpacing(12)
        self.title = QLabel(title)
        self.title.setObjectName("pageTitle")
        self.title.setWordWrap(True)
        self.layout_.addWidget(self.title)
