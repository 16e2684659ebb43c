"""What every page shares: a title and the automation naming rule (objectName == accessibleName key)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget


def name_widget(widget: QWidget, object_name: str, accessible_name: str) -> QWidget:
    """Give a control its stable automation name and a matching accessible name in the UI language."""
    widget.setObjectName(object_name)
    widget.setAccessibleName(accessible_name)
    return widget


class Page(QWidget):
    # The button Enter presses on this page; None where Enter must do nothing (the session page:
    # a stray Enter must never end a session).
    primary_button: QPushButton | None = None
    # Shown below the page, outside its scroll area, so it is always in view (the session's Rozłącz).
    fixed_footer: QWidget | None = None

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(24, 16, 24, 16)
        self.layout_.setSpacing(12)
        self.title = QLabel(title)
        self.title.setObjectName("pageTitle")
        self.title.setWordWrap(True)
        self.layout_.addWidget(self.title)
