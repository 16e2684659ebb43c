"""A reference point for start-up: what the launcher cannot leave until after its first paint, and nothing else.

The launcher's own code for the first window, without the workflow behind it: its command line parsed, the
config read and checked (`launcher.config`: tomllib, the time-zone and URL checks), the data folders made
(`launcher.core.paths`: platformdirs, private folders), the log set up (records kept until the first paint),
the QApplication as the launcher makes it (names, style sheet, translations), the single-instance lock, the
Regulamin read (`launcher.core.terms`) and the real Regulamin page (`TermsPage`) in a scroll area between the
step indicator and the hotline footer. Not loaded: the controller with the session state, the worker, the
consultant watch and the stop machinery, the main window's class (its module brings the controller), the
self-test.

What it shows: how close to the bare window the launcher's first paint could come if everything that can
wait did, with the libraries the issue asks for (tomllib, platformdirs, importlib.resources, logging,
argparse, dataclasses). Prints `SELFTEST OK first_paint_epoch=<s> peak_rss_kib=<KiB>` like `--self-test`.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from minimal_window import paint_and_report  # this script's folder is first on sys.path

    from launcher.cli.parser import parse_args
    from launcher.config import load_config
    from launcher.core.applog import setup_logging, shutdown_logging
    from launcher.core.paths import app_paths

    with tempfile.TemporaryDirectory(prefix="first-page-") as data:
        config = load_config(None)
        paths = app_paths(data).ensure()
        setup_logging(paths.logs, open_now=False)
        try:
            return _show(config, paths, parse_args, paint_and_report)
        finally:
            shutdown_logging()


def _show(config, paths, parse_args, paint_and_report) -> int:
    from PySide6.QtCore import QLocale
    from PySide6.QtWidgets import QLabel, QMainWindow, QScrollArea, QVBoxLayout, QWidget

    from launcher.core import terms
    from launcher.ui.app import create_app, load_translations
    from launcher.ui.pages.terms_page import TermsPage
    from launcher.ui.single_instance import SingleInstance, lock_name

    parse_args([], system_language=lambda: "pl")
    language = "pl" if QLocale.system().language() == QLocale.Language.Polish else "en"
    app = create_app()
    load_translations(app, language)
    instance = SingleInstance(lock_name(f"first-page-{os.getpid()}"), Path(paths.runtime))
    if not instance.acquire():
        print("ERROR: the lock was taken", file=sys.stderr)
        return 1
    try:
        regulamin = terms.load_regulamin(config.hotline.email, language=language)
        window = QMainWindow()
        window.resize(860, 640)
        central = QWidget()
        column = QVBoxLayout(central)
        column.addWidget(QLabel("Krok 1 z 5" if language == "pl" else "Step 1 of 5"))
        frame = QScrollArea()
        frame.setWidgetResizable(True)
        frame.setWidget(TermsPage(regulamin, config.hotline.phone))
        column.addWidget(frame, 1)
        footer = QLabel(config.hotline.phone)
        footer.setWordWrap(True)
        column.addWidget(footer)
        window.setCentralWidget(central)
        return paint_and_report(app, window)
    finally:
        instance.release()


if __name__ == "__main__":
    sys.exit(main())
