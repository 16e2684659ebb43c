"""'What did I accept?': the consent record (when, which version) and the Regulamin text again."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from launcher.core.terms import Regulamin
from launcher.ui.pages.base import name_widget, plain_label
from launcher.ui.pages.terms_page import regulamin_html


def _local_time(iso_utc: str) -> str:
    try:
        moment = datetime.fromisoformat(iso_utc.replace("Z", "+00:00"))
    except ValueError:
        return iso_utc
    return moment.astimezone().strftime("%d.%m.%Y %H:%M")


class ConsentDialog(QDialog):
    def __init__(self, record: dict | None, regulamin: Regulamin, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("consentDialog")
        self.setWindowTitle(self.tr("Co zaakceptowałem(-am)?"))
        self.resize(640, 520)
        layout = QVBoxLayout(self)
        if record:
            text = self.tr(
                "{when}: zaakceptowano Regulamin Pomocy Zdalnej z dnia {version} i potwierdzono rozmowę "
                "z konsultantem Overmax."
            ).format(when=_local_time(record.get("time", "")), version=record.get("regulamin_version", ""))
        else:
            text = self.tr("Na tym komputerze nie zapisano jeszcze akceptacji Regulaminu.")
        self.summary = name_widget(plain_label(text), "consentSummary", self.tr("Zapisana zgoda"))
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        view = name_widget(QTextBrowser(), "consentTermsView", self.tr("Treść Regulaminu"))
        view.setHtml(regulamin_html(regulamin))
        layout.addWidget(view, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
