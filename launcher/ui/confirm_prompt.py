""""Czy konsultant nadal Ci pomaga?": asked every `session.confirm_minutes` while a consultant is connected,
with Tak and Rozłącz, on the session page (`confirmPrompt`, `confirmYesButton`, `confirmDisconnectButton`)
and on the always-on-top panel (the same names with the `compact` prefix: `compactConfirmPrompt`, ...).

It is one question: the controller's ConsultantWatch decides when it shows and what silence means (the
session ends after `session.idle_answer_s`), and both places only show its state (`confirmPromptChanged`).
An answer in either place goes to the controller, whose answer hides the question in both.
"""

from __future__ import annotations

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QBoxLayout, QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from launcher.ui.pages.base import name_widget


def _prefixed(prefix: str, name: str) -> str:
    return prefix + name[0].upper() + name[1:] if prefix else name


class ConfirmPrompt(QFrame):
    confirmed = Signal()
    disconnectRequested = Signal()

    def __init__(self, prefix: str = "", *, stacked: bool = False) -> None:
        """`prefix` goes before each automation name (the panel's "compact"); `stacked` puts the buttons
        under the text (a narrow panel) instead of beside it."""
        super().__init__()
        name = _prefixed(prefix, "confirmPrompt")
        self.setObjectName(name)
        self.setStyleSheet(f"QFrame#{name} {{ background: #fff3cd; border: 2px solid #e0a800; }}")
        outer: QBoxLayout = QVBoxLayout(self) if stacked else QHBoxLayout(self)
        self.text = QLabel(self.tr("Czy konsultant nadal Ci pomaga? Jeśli nikt nie odpowie, "
                                   "pomoc zdalna zakończy się za chwilę."))
        self.text.setWordWrap(True)
        outer.addWidget(self.text, 1)
        self.yes_button = name_widget(QPushButton(self.tr("Tak")), _prefixed(prefix, "confirmYesButton"),
                                      self.tr("Tak, konsultant nadal pomaga"))
        self.no_button = name_widget(QPushButton(self.tr("Rozłącz")), _prefixed(prefix, "confirmDisconnectButton"),
                                     self.tr("Nie, rozłącz"))
        self.yes_button.clicked.connect(self._yes)
        self.no_button.clicked.connect(self._no)
        buttons = QHBoxLayout()
        buttons.addWidget(self.yes_button)
        buttons.addWidget(self.no_button)
        if stacked:
            buttons.addStretch(1)
        outer.addLayout(buttons)
        self.setVisible(False)

    @Slot(bool)
    def show_prompt(self, visible: bool) -> None:
        self.setVisible(visible)

    @Slot()
    def _yes(self) -> None:
        self.confirmed.emit()

    @Slot()
    def _no(self) -> None:
        self.disconnectRequested.emit()
