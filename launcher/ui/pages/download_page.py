"""Step 3: download and verification progress (percent, MB, speed, time left) with a cancel button."""

from __future__ import annotations

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton

from launcher.core.formatting import format_size
from launcher.ui.pages.base import Page, name_widget, plain_label


class DownloadPage(Page):
    cancelRequested = Signal()

    def __init__(self, language: str = "pl") -> None:
        """`language` chooses the decimal mark of the sizes shown ("pl": 12,4 MB; "en": 12.4 MB)."""
        super().__init__(self.tr("Pobieranie i sprawdzanie TeamViewer QuickSupport"))
        self._language = language
        info = QLabel(
            self.tr(
                "Pobieramy program TeamViewer QuickSupport i sprawdzamy, czy jest oryginalny. "
                "Program zostanie uruchomiony tylko wtedy, gdy przejdzie sprawdzenie."
            )
        )
        info.setWordWrap(True)
        self.layout_.addWidget(info)
        self.bar = name_widget(QProgressBar(), "downloadProgress", self.tr("Postęp pobierania"))
        self.bar.setRange(0, 1000)
        self.layout_.addWidget(self.bar)
        self.detail = plain_label()
        self.layout_.addWidget(self.detail)
        self.layout_.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        self.cancel_button = name_widget(QPushButton(self.tr("Anuluj")), "cancelButton", self.tr("Anuluj"))
        self.cancel_button.clicked.connect(self._cancel)
        row.addWidget(self.cancel_button)
        self.pin_below(row)

    def reset(self) -> None:
        self.bar.setValue(0)
        self.bar.setFormat("%p%")
        self.detail.setText(self.tr("Łączenie z serwerem…"))
        self.cancel_button.setEnabled(True)

    @Slot("qint64", "qint64", float, float)
    def show_progress(self, done: int, total: int, speed: float, eta: float) -> None:
        if total > 0:
            self.bar.setValue(int(1000 * min(done, total) / total))
        text = self.tr("{done} z {total}").format(done=format_size(done, self._language),
                                                total=format_size(total, self._language))
        if speed > 0:
            text += self.tr(", {speed}/s").format(speed=format_size(int(speed), self._language))
        if eta >= 0:
            text += self.tr(", zostało ok. {seconds} s").format(seconds=int(eta + 0.5))
        self.detail.setText(text)

    @Slot()
    def _cancel(self) -> None:
        self.cancel_button.setEnabled(False)
        self.detail.setText(self.tr("Anulowanie…"))
        self.cancelRequested.emit()
