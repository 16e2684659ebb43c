"""Step 1: the Regulamin, two confirmations, and Dalej only when both are ticked."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton

from launcher.core.terms import Regulamin
from launcher.ui.pages.base import Page, TextBox, name_widget, plain_label, scroll_within, wrapping_check_box
from launcher.ui.unbroken import keep_numbers_whole


def regulamin_html(regulamin: Regulamin) -> str:
    items = []
    closing = []
    for number, text in regulamin.points:
        if number:
            items.append(f"<li value='{escape(number)}' style='margin-bottom:6px'>{escape(text)}</li>")
        else:
            closing.append(f"<p>{escape(text)}</p>")
    return (
        f"<h3>{escape(regulamin.title)}</h3><ol>{''.join(items)}</ol>{''.join(closing)}"
    )


class TermsPage(Page):
    accepted = Signal(bool, bool)

    def __init__(self, regulamin: Regulamin, phone: str, binding: Regulamin | None = None) -> None:
        """`regulamin` is shown; where it is a translation, `binding` is the Polish text it translates."""
        super().__init__(self.tr("Regulamin Pomocy Zdalnej"))
        self._texts = [regulamin] + ([binding] if binding is not None else [])
        self._showing = 0
        warning = QLabel(
            self.tr(
                "Uwaga: jeśli ktoś do Ciebie zadzwonił i poprosił o uruchomienie tego programu, rozłącz się "
                "i samodzielnie zadzwoń do Overmax pod numer {phone}. Overmax nigdy nie prosi o dane do banku "
                "ani o płatności."
            ).format(phone=keep_numbers_whole(phone))
        )
        warning.setObjectName("scamWarning")
        warning.setWordWrap(True)
        self.layout_.addWidget(warning)

        self.view = name_widget(TextBox(), "termsView", self.tr("Treść Regulaminu Pomocy Zdalnej"))
        self.view.setOpenExternalLinks(False)
        self.view.setHtml(regulamin_html(regulamin))
        if binding is not None:
            row = QHBoxLayout()
            self.translation_note = QLabel(self.tr(
                "To tłumaczenie Regulaminu. Wiążący jest tekst polski."))
            self.translation_note.setObjectName("translationNote")
            self.translation_note.setWordWrap(True)
            row.addWidget(self.translation_note, 1)
            self.original_button = name_widget(QPushButton(self.tr("Pokaż tekst polski")), "originalTermsButton",
                                               self.tr("Pokaż wiążący tekst polski Regulaminu"))
            self.original_button.setCheckable(True)
            self.original_button.toggled.connect(self._show_original)
            row.addWidget(self.original_button)
            self.layout_.addLayout(row)
        self.layout_.addWidget(scroll_within(self.view, 5), 1)

        self.accept_box, accept_row = wrapping_check_box(
            self.tr("Przeczytałem(-am) i akceptuję Regulamin Pomocy Zdalnej"),
            "acceptTerms",
            self.tr("Akceptuję Regulamin"),
        )
        self.hotline_box, hotline_row = wrapping_check_box(
            self.tr(
                "Rozmawiam przez telefon z konsultantem Overmax pod numerem {phone}, "
                "pod który sam(a) zadzwoniłem(-am)"
            ).format(phone=keep_numbers_whole(phone)),
            "confirmHotline",
            self.tr("Potwierdzam rozmowę z konsultantem Overmax"),
        )
        for box, row in ((self.accept_box, accept_row), (self.hotline_box, hotline_row)):
            box.toggled.connect(self._update)
            self.layout_.addWidget(row)

        row = QHBoxLayout()
        # Why Dalej is grey, beside it and always in view: on a short screen (1366x768 at 150 %) the ticks are
        # below the fold, and nothing said that there was something to tick further down
        self.continue_hint = name_widget(plain_label(self.tr(
            "Aby przejść dalej, zaznacz oba pola pod Regulaminem.")), "continueHint",
            self.tr("Co zrobić, aby przejść dalej"))
        self.continue_hint.setWordWrap(True)
        # hidden, not removed, once both are ticked: the row keeps its height, so Dalej does not jump
        policy = self.continue_hint.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        self.continue_hint.setSizePolicy(policy)
        row.addWidget(self.continue_hint, 1)
        self.continue_button = name_widget(QPushButton(self.tr("Dalej")), "continueButton", self.tr("Dalej"))
        self.primary_button = self.continue_button
        self.continue_button.setDefault(True)
        self.continue_button.clicked.connect(self._continue)
        row.addWidget(self.continue_button)
        self.pin_below(row)
        self._update()

    def shown(self) -> Regulamin:
        """The Regulamin on screen now: what an acceptance accepts."""
        return self._texts[self._showing]

    @Slot(bool)
    def _show_original(self, original: bool) -> None:
        self._showing = 1 if original else 0
        self.view.setHtml(regulamin_html(self.shown()))
        self.original_button.setText(self.tr("Pokaż tłumaczenie") if original else self.tr("Pokaż tekst polski"))

    @Slot()
    def _update(self) -> None:
        ready = self.accept_box.isChecked() and self.hotline_box.isChecked()
        self.continue_button.setEnabled(ready)
        self.continue_hint.setVisible(not ready)

    @Slot()
    def _continue(self) -> None:
        if self.continue_button.isEnabled():
            self.accepted.emit(self.accept_box.isChecked(), self.hotline_box.isChecked())
