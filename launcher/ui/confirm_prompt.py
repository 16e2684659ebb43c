""""Czy konsultant nadal Ci pomaga?": asked on the session page every `session.confirm_minutes` while a
consultant is connected, with Tak and Rozłącz (`confirmPrompt`, `confirmYesButton`, `confirmDisconnectButton`).
The controller's timers decide when it shows and what silence means (the session ends after
`session.idle_answer_s`)."""

from __future__ import annotations

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton

from launcher.ui.pages.base import name_widget


class ConfirmPrompt(QFrame):
    confirmed = Signal()
    disconnectRequested = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("confirmPrompt")
        self.setStyleSheet("QFrame#confirmPrompt { background: #fff3cd; border: 2px solid #e0a800; }")
        row = QHBoxLayout(self)
        self.text = QLabel(self.tr("Czy konsultant nadal Ci pomaga? Jeśli nikt nie odpowie, "
                                   "pomoc zdalna zakończy się za chwilę."))
        self.text.setWordWrap(True)
        row.addWidget(self.text, 1)
        self.yes_button = name_widget(QPushButton(self.tr("Tak")), "confirmYesButton",
                                      self.tr("Tak, konsultant nadal pomaga"))
        self.no_button = name_widget(QPushButton(self.tr("Rozłącz")), "confirmDisconnectButton",
                                     self.tr("Nie, rozłącz"))
        self.yes_button.clicked.connect(self._yes)
        self.no_button.clicked.connect(self._no)
        row.addWidget(self.yes_button)
        row.addWidget(self.no_button)
        self.setVisible(False)

    @Slot(bool)
    def show_prompt(self, visible: bool) -> None:
        self.setVisible(visible)

    @Slot()
    def _yes(self) -> None:
        self.setVisible(False)
        self.confirmed.emit()

    @Slot()
    def _no(self) -> None:
        self.setVisible(False)
        self.disconnectRequested.emit()
