"""A reference point for start-up: the launcher's first page written in plain PySide6 and the stdlib.

The same widgets as the Regulamin page (step indicator, title, scam warning, the Regulamin as HTML in a
QTextBrowser inside a scroll area, two wrapping check boxes, Dalej, the hotline footer), the same style
sheet, the system language read from QLocale, the Qt namespace used for alignment and keys — and none of
the launcher: no config, no logging, no single-instance lock, no controller, no translations.

What it shows: how much of the app's start-up any PySide6 program showing this page pays, and how much
is the launcher's own. Prints `SELFTEST OK first_paint_epoch=<s> peak_rss_kib=<KiB>` like `--self-test`
(tests/perf/minimal_window.py measures the bare window the same way). Reads resources/ from the checkout.
"""

from __future__ import annotations

import os
import sys
from html import escape
from pathlib import Path

RESOURCES = Path(__file__).resolve().parents[2] / "resources"


def regulamin_html(text: str) -> str:
    """The Regulamin's numbered points as an HTML list (the app parses the file with more care)."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    items = "".join(f"<li style='margin-bottom:6px'>{escape(line)}</li>" for line in lines[1:])
    return f"<h3>{escape(lines[0])}</h3><ol>{items}</ol>"


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from minimal_window import paint_and_report  # this script's folder is first on sys.path
    from PySide6.QtCore import QLocale, Qt
    from PySide6.QtWidgets import (
        QApplication,
        QCheckBox,
        QHBoxLayout,
        QLabel,
        QMainWindow,
        QPushButton,
        QScrollArea,
        QStackedWidget,
        QTextBrowser,
        QVBoxLayout,
        QWidget,
    )

    polish = QLocale.system().language() == QLocale.Language.Polish
    app = QApplication(sys.argv[:1])
    app.setStyleSheet((RESOURCES / "style.qss").read_text(encoding="utf-8"))
    window = QMainWindow()
    window.resize(860, 640)
    central = QWidget()
    column = QVBoxLayout(central)
    column.addWidget(QLabel("Krok 1 z 5" if polish else "Step 1 of 5"))

    page = QWidget()
    layout = QVBoxLayout(page)
    title = QLabel("Regulamin Pomocy Zdalnej")
    title.setObjectName("pageTitle")
    layout.addWidget(title)
    warning = QLabel("Uwaga: jeśli ktoś do Ciebie zadzwonił i poprosił o uruchomienie tego programu, rozłącz się "
                     "i samodzielnie zadzwoń do Overmax.")
    warning.setObjectName("scamWarning")
    warning.setWordWrap(True)
    layout.addWidget(warning)
    view = QTextBrowser()
    view.setHtml(regulamin_html((RESOURCES / "regulamin.txt").read_text(encoding="utf-8")))
    layout.addWidget(view, 1)
    boxes = []
    for text in ("Przeczytałem(-am) i akceptuję Regulamin Pomocy Zdalnej",
                 "Rozmawiam przez telefon z konsultantem Overmax, pod którego numer sam(a) zadzwoniłem(-am)"):
        row = QHBoxLayout()
        box = QCheckBox()
        boxes.append(box)
        row.addWidget(box, 0, Qt.AlignmentFlag.AlignTop)
        label = QLabel(text)
        label.setWordWrap(True)
        row.addWidget(label, 1)
        layout.addLayout(row)
    buttons = QHBoxLayout()
    buttons.addStretch(1)
    dalej = QPushButton("Dalej")
    dalej.setDefault(True)
    dalej.setEnabled(False)
    for box in boxes:
        box.toggled.connect(lambda _checked: dalej.setEnabled(all(b.isChecked() for b in boxes)))
    buttons.addWidget(dalej)
    layout.addLayout(buttons)

    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setWidget(page)
    stack = QStackedWidget()
    stack.addWidget(scroll)
    column.addWidget(stack, 1)
    footer = QLabel("Infolinia techniczna Overmax: 61 653 12 93")
    footer.setWordWrap(True)
    column.addWidget(footer)
    window.setCentralWidget(central)

    return paint_and_report(app, window)


if __name__ == "__main__":
    sys.exit(main())
