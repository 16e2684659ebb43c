"""Any failure: the stable code, what happened, what to do, retry, and the copyable report."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from launcher.core.errors import LauncherError
from launcher.core.formatting import group_id
from launcher.core.untrusted_text import one_line, quoted
from launcher.ui.pages.base import Page, name_widget, plain_label
from launcher.ui.side_by_side import SideBySideLayout
from launcher.ui.unbroken import keep_numbers_whole


class ErrorPage(Page):
    retryRequested = Signal()
    copyReportRequested = Signal()
    saveReportRequested = Signal()
    closeRequested = Signal()

    def __init__(self, language: str) -> None:
        super().__init__(self._heading(False))
        self.language = language
        caption = QLabel(self.tr("KOD BŁĘDU (przeczytaj go konsultantowi):"))
        caption.setWordWrap(True)
        self.layout_.addWidget(caption)
        self.code = name_widget(plain_label(), "errorCode", self.tr("Kod błędu"))
        self.layout_.addWidget(self.code)
        self.key_widget = self.code  # in view on the smallest window (the title gives its room)
        self.message = name_widget(plain_label(), "errorMessage", self.tr("Opis błędu"))
        self.message.setWordWrap(True)
        self.layout_.addWidget(self.message)
        # SEC-UNKNOWN-SUPPORTER: who was cut off, so the customer can tell the hotline (show_supporter)
        self.supporter = name_widget(plain_label(), "unknownSupporter", self.tr("Kto się połączył"))
        self.supporter.setWordWrap(True)
        self.supporter.setVisible(False)
        self.layout_.addWidget(self.supporter)
        self.receipt_note = name_widget(plain_label(), "errorReceipt", self.tr("Informacja o potwierdzeniu sesji"))
        self.receipt_note.setWordWrap(True)
        self.layout_.addWidget(self.receipt_note)
        # Every attempt leaves a mark: a retry that fails again at once must not look like nothing happened.
        self.attempt = name_widget(plain_label(), "attemptInfo", self.tr("Ostatnia próba"))
        self.attempt.setWordWrap(True)
        self.layout_.addWidget(self.attempt)
        self.layout_.addStretch(1)
        self.copied = plain_label()
        self.copied.setWordWrap(True)
        self.layout_.addWidget(self.copied)
        # side by side where they fit, else one under the other: on a small screen at 200 % the two
        # together were wider than the screen and made the whole window wider than it
        reports = QWidget()
        row = QHBoxLayout(reports)
        row.setContentsMargins(0, 0, 0, 0)
        columns = SideBySideLayout()
        columns.setSpacing(row.spacing())
        self.copy_button = name_widget(
            QPushButton(self.tr("Kopiuj raport dla konsultanta")), "copyReportButton", self.tr("Kopiuj raport")
        )
        self.copy_button.clicked.connect(self._copy)
        columns.addWidget(self.copy_button)
        self.save_button = name_widget(QPushButton(self.tr("Zapisz raport")), "saveReportButton",
                                       self.tr("Zapisz raport do pliku"))
        self.save_button.clicked.connect(self._save)
        columns.addWidget(self.save_button)
        row.addLayout(columns)
        row.addStretch(1)
        self.layout_.addWidget(reports)
        # on a row of its own: three buttons side by side are wider than a small screen at 150 %
        row = QHBoxLayout()
        row.addStretch(1)
        self.retry_button = name_widget(QPushButton(self.tr("Spróbuj ponownie")), "retryButton",
                                        self.tr("Spróbuj ponownie"))
        self.primary_button = self.retry_button
        self.retry_button.setDefault(True)
        self.retry_button.clicked.connect(self._retry)
        row.addWidget(self.retry_button)
        # where a new attempt is no help or the danger (SEC-UNKNOWN-SUPPORTER, QS-OUTDATED): the page's main
        # button closes the program, as the ended page's does (the same automation name, one per page)
        self.close_button = name_widget(QPushButton(self.tr("Zamknij")), "closeButton", self.tr("Zamknij program"))
        self.close_button.clicked.connect(self._close)
        self.close_button.setVisible(False)
        row.addWidget(self.close_button)
        self.pin_below(row)

    _attempts = 0
    _last_code: str | None = None

    def _heading(self, chosen: bool) -> str:
        return self.tr("Zatrzymano na Twoje polecenie") if chosen else self.tr("Wystąpił problem")

    def show_error(self, exc: LauncherError, when: datetime | None = None) -> None:
        """Show `exc`; from the second attempt on, say when this one was made and whether its result changed.
        What the customer chose (Anuluj: `ErrorSpec.chosen`) is said as such, its code not in an alarm's red:
        after their own Anuluj, "Wystąpił problem" in red read as a fault."""
        spec = exc.spec
        self.title.setText(self._heading(spec.chosen))
        self.code.setText(exc.code)
        if self.code.property("chosen") != spec.chosen:
            self.code.setProperty("chosen", spec.chosen)  # style.qss: QLabel#errorCode[chosen="true"]
            self.code.style().unpolish(self.code)
            self.code.style().polish(self.code)
        text = f"{spec.what(self.language)}\n\n{spec.todo(self.language)}"
        self.message.setText(keep_numbers_whole(text) + (f"\n\n{exc.url}" if exc.url else ""))
        self.copied.setText("")
        self._attempts += 1
        at = (when or datetime.now()).strftime("%H:%M:%S")
        if self._attempts == 1:
            text = self.tr("Próba o {time}.").format(time=at)
        elif exc.code == self._last_code:
            text = self.tr("Próba nr {n} o {time}: ten sam problem co poprzednio.").format(n=self._attempts, time=at)
        else:
            text = self.tr("Próba nr {n} o {time}: teraz inny problem (poprzednio {code}).").format(
                n=self._attempts, time=at, code=self._last_code)
        self._last_code = exc.code
        self.attempt.setText(text)
        # no "try again" where a new attempt is the danger (SEC-UNKNOWN-SUPPORTER): Zamknij is the main button
        # then, which Enter presses (the window moves the focus to it: launcher/ui/focus_guard.py)
        main, other = (self.retry_button, self.close_button) if spec.retry else (self.close_button, self.retry_button)
        self.primary_button = main
        main.setDefault(True)
        main.setVisible(True)
        other.setDefault(False)
        other.setVisible(False)
        self.receipt_note.setText("")
        self.show_supporter(None, None, shown=False)

    def show_supporter(self, name: str | None, tv_id: str | None, *, shown: bool = True) -> None:
        """SEC-UNKNOWN-SUPPORTER: the name and TeamViewer ID of the supporter who was cut off, as TeamViewer's
        log gave them (the receipt names them too). The name is theirs to choose: one plain line in quotes
        (launcher.core.untrusted_text), in a plain-text label, never the program's own words."""
        if not shown:
            self.supporter.setText("")
            self.supporter.setVisible(False)
            return
        who = quoted(one_line(name), self.language) if one_line(name) else self.tr("bez nazwy")
        number = keep_numbers_whole(group_id(tv_id)) if tv_id else self.tr("nieznany")
        self.supporter.setText(self.tr("Połączyła się osoba: {name}, ID TeamViewer: {id}. Podaj te dane "
                                       "konsultantowi na infolinii.").format(name=who, id=number))
        self.supporter.setVisible(True)

    def show_receipt(self, path: Path | None, error: LauncherError | None = None) -> None:
        """The session that this error ended left a receipt: say where (the ended page shows it whole); or,
        with `error`, that it could not be written, and where its facts are now."""
        if error is not None:
            self.receipt_note.setText(self.tr(
                "Nie udało się zapisać potwierdzenia sesji ({code}: {what}). Jego treść jest w raporcie dla "
                "konsultanta: kliknij „Kopiuj raport dla konsultanta” albo „Zapisz raport”.").format(
                code=error.code, what=error.spec.what(self.language)))
            return
        self.receipt_note.setText(
            self.tr("Potwierdzenie sesji (bez hasła) zapisano w pliku: {path}").format(path=path) if path else "")

    def reset_attempts(self) -> None:
        """The flow got past the error: the next failure is a first attempt again."""
        self._attempts = 0
        self._last_code = None

    def mark_copied(self) -> None:
        self.copied.setText(self.tr("Raport skopiowany. Możesz go wkleić w e-mailu do konsultanta."))

    def mark_saved(self, path: str) -> None:
        self.copied.setText(self.tr("Raport zapisany w pliku: {path}").format(path=path))

    @Slot()
    def _save(self) -> None:
        self.saveReportRequested.emit()

    @Slot()
    def _copy(self) -> None:
        self.copyReportRequested.emit()

    @Slot()
    def _close(self) -> None:
        self.closeRequested.emit()

    @Slot()
    def _retry(self) -> None:
        self.retryRequested.emit()
