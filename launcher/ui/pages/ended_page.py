"""Step 5: the connection is over for good."""

from __future__ import annotations

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton

from launcher.ui.pages.base import Page, name_widget, plain_label
from launcher.ui.receipt_view import ReceiptView


class EndedPage(Page):
    closeRequested = Signal()

    def __init__(self, language: str = "pl") -> None:
        super().__init__(self.tr("Pomoc zdalna zakończona"))
        text = QLabel(
            self.tr(
                "Połączenie zostało zakończone, a program TeamViewer QuickSupport zamknięty. "
                "Konsultant nie może już połączyć się z Twoim komputerem."
            )
        )
        text.setObjectName("endedMessage")
        text.setWordWrap(True)
        self.layout_.addWidget(text)
        self.key_widget = text  # in view on the smallest window (the title gives its room)
        self.reason = plain_label()
        self.reason.setObjectName("endedReason")
        self.reason.setWordWrap(True)
        self.layout_.addWidget(self.reason)
        self.receipt = ReceiptView(language)
        self.layout_.addWidget(self.receipt, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        self.close_button = name_widget(QPushButton(self.tr("Zamknij")), "closeButton", self.tr("Zamknij program"))
        self.primary_button = self.close_button
        self.close_button.clicked.connect(self._close)
        row.addWidget(self.close_button)
        self.pin_below(row)

    def show_reason(self, reason: str, max_minutes: int) -> None:
        texts = {
            "limit": self.tr("Pomoc zdalna zakończyła się automatycznie po {minutes} minutach.").format(
                minutes=max_minutes),
            "idle": self.tr("Pomoc zdalna zakończyła się, bo konsultant się nie połączył, "
                            "a nikt nie odpowiedział na pytanie, czy nadal czekasz."),
            "unanswered": self.tr("Pomoc zdalna zakończyła się, bo nikt nie odpowiedział na pytanie, "
                                  "czy konsultant nadal pomaga."),
        }
        self.reason.setText(texts.get(reason, ""))

    @Slot()
    def _close(self) -> None:
        self.closeRequested.emit()
