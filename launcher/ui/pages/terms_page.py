"""Step 1: the Regulamin, two confirmations, and Dalej only when both are ticked."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QPushButton, QTextBrowser

from launcher.core.terms import Regulamin
from launcher.ui.pages.base import Page, name_widget


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

    def __init__(self, regulamin: Regulamin, phone: str) -> None:
        super().__init__(self.tr("Regulamin Pomocy Zdalnej"))
        warning = QLabel(
            self.tr(
                "Uwaga: jeśli ktoś do Ciebie zadzwonił i poprosił o uruchomienie tego programu, rozłącz się "
                "i sam zadzwoń do Overmax pod numer {phone}. Overmax nigdy nie prosi o dane do banku "
                "ani o płatności."
            ).format(phone=phone)
        )
        warning.setObjectName("scamWarning")
        warning.setWordWrap(True)
        self.layout_.addWidget(warning)

        self.view = name_widget(QTextBrowser(), "termsView", self.tr("Treść Regulaminu Pomocy Zdalnej"))
        self.view.setOpenExternalLinks(False)
        self.view.setHtml(regulamin_html(regulamin))
        self.layout_.addWidget(self.view, 1)

        self.accept_box = name_widget(
            QCheckBox(self.tr("Przeczytałem(-am) i akceptuję Regulamin Pomocy Zdalnej")),
            "acceptTerms",
            self.tr("Akceptuję Regulamin"),
        )
        self.hotline_box = name_widget(
            QCheckBox(
                self.tr(
                    "Rozmawiam przez telefon z konsultantem Overmax pod numerem {phone}, "
                    "pod który sam(a) zadzwoniłem(-am)"
                ).format(phone=phone)
            ),
            "confirmHotline",
            self.tr("Potwierdzam rozmowę z konsultantem Overmax"),
        )
        for box in (self.accept_box, self.hotline_box):
            box.toggled.connect(self._update)
            self.layout_.addWidget(box)

        row = QHBoxLayout()
        row.addStretch(1)
        self.continue_button = name_widget(QPushButton(self.tr("Dalej")), "continueButton", self.tr("Dalej"))
        self.primary_button = self.continue_button
        self.continue_button.setDefault(True)
        self.continue_button.clicked.connect(self._continue)
        row.addWidget(self.continue_button)
        self.layout_.addLayout(row)
        self._update()

    @Slot()
    def _update(self) -> None:
        self.continue_button.setEnabled(self.accept_box.isChecked() and self.hotline_box.isChecked())

    @Slot()
    def _continue(self) -> None:
        if self.continue_button.isEnabled():
            self.accepted.emit(self.accept_box.isChecked(), self.hotline_box.isChecked())
