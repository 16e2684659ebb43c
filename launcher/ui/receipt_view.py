"""The session receipt on the ended page (`receiptView`) with "Zapisz" (`saveReceiptButton`): a copy goes
where the customer chooses. The receipt itself was already written to the data folder by the controller
(launcher.core.receipt)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from launcher.core.errors import LauncherError
from launcher.core.receipt import save_copy
from launcher.ui.pages.base import PlainTextBox, name_widget, plain_label, scroll_within
from launcher.ui.qt_paths import from_qt, to_qt


class ReceiptView(QWidget):
    def __init__(self, language: str = "pl") -> None:
        super().__init__()
        self.language = language
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.heading = QLabel(self.tr("Potwierdzenie sesji (zapisane na tym komputerze):"))
        layout.addWidget(self.heading)
        self.text = name_widget(PlainTextBox(), "receiptView", self.tr("Potwierdzenie sesji"))
        self.text.setReadOnly(True)
        self.heading.setBuddy(self.text)
        layout.addWidget(scroll_within(self.text, 4), 1)
        row = QHBoxLayout()
        self.saved = plain_label()
        self.saved.setObjectName("receiptSaved")
        self.saved.setWordWrap(True)
        row.addWidget(self.saved, 1)
        self.save_button = name_widget(QPushButton(self.tr("Zapisz")), "saveReceiptButton",
                                       self.tr("Zapisz kopię potwierdzenia"))
        self.save_button.clicked.connect(self._ask_where)
        row.addWidget(self.save_button)
        layout.addLayout(row)
        self.dialog: QFileDialog | None = None
        self.show_receipt("", None)

    def show_receipt(self, text: str, path: Path | None, error: LauncherError | None = None) -> None:
        """`text` as written to `path` in the data folder ("" when no session left one); with `error`, the
        receipt that could not be written there (a full disk): shown all the same, and the page says so."""
        self.text.setPlainText(text)
        self._name = path.name if path is not None else "potwierdzenie-sesji.txt"
        if error is not None:
            self.heading.setText(self.tr("Potwierdzenie sesji (NIE zostało zapisane na tym komputerze):"))
            self.saved.setText(self.tr("Nie udało się zapisać potwierdzenia ({code}: {what}). Zapisz kopię "
                                       "przyciskiem „Zapisz” w innym miejscu, na przykład na pendrive.").format(
                code=error.code, what=error.spec.what(self.language)))
        else:
            self.heading.setText(self.tr("Potwierdzenie sesji (zapisane na tym komputerze):"))
            self.saved.setText(self.tr("Zapisano w: {path}").format(path=path) if path is not None else "")
        for widget in (self.heading, self.text, self.save_button, self.saved):
            widget.setVisible(bool(text))

    @Slot()
    def _ask_where(self) -> None:
        from launcher.core.diagnostics import report_folder

        # the folder the consultant's report goes to: one that exists (a Documents folder that does not opened
        # the dialog in the program's working folder)
        dialog = QFileDialog(self, self.tr("Zapisz potwierdzenie sesji"), to_qt(report_folder() / self._name),
                             self.tr("Plik tekstowy (*.txt)"))
        dialog.setObjectName("saveReceiptDialog")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix("txt")
        dialog.fileSelected.connect(self._save_to)
        self.dialog = dialog
        dialog.open()  # not exec(): the event loop (and the session worker's signals) keep running

    @Slot(str)
    def _save_to(self, target: str) -> None:
        if not target:
            return
        try:
            save_copy(self.text.toPlainText(), from_qt(target))
        except LauncherError as exc:
            self.saved.setText(f"{exc.code}: {exc.spec.what(self.language)}")
            return
        self.saved.setText(self.tr("Kopia zapisana: {path}").format(path=target))
