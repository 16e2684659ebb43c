"""The copied password as another program on the same X display sees it: run inside one app process on a real
display (tests/ui/test_real_clipboard.py starts it under Xvfb). The launcher's window on Qt's xcb platform, a
session with an ID and a password on its session page, "Kopiuj" pressed; then xclip, a separate X client as a
clipboard manager is, asks the X server for the clipboard's targets and their contents (the launcher answers
from its event loop, which keeps running meanwhile); then the session ends and xclip asks again.

Prints one JSON object: {"targets": [...], "hint": str|null, "text": str|null, "after_end": str|null,
"id_targets": [...]}.

    python -m tests.support.clipboard_check --data DIR
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

from launcher.selftest import spin_until

PASSWORD = "k7wq2mzp"
TV_ID = "123456789"


def xclip(app, target: str) -> str | None:
    """The clipboard's `target` as xclip reads it (None where the clipboard has none or no owner). The
    launcher owns the selection and must answer while xclip waits: its events are processed meanwhile."""
    proc = subprocess.Popen(["xclip", "-selection", "clipboard", "-t", target, "-o"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    spin_until(app, lambda: proc.poll() is not None, 60)
    if proc.poll() is None:
        proc.kill()
    out, _err = proc.communicate()
    return out.decode("utf-8") if proc.returncode == 0 else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True, help="a throw-away data folder")
    args = parser.parse_args(argv)
    if "DISPLAY" not in os.environ:
        print("needs an X display", file=sys.stderr)
        return 2
    from PySide6.QtWidgets import QPushButton

    from launcher.config import load_config
    from launcher.core.paths import app_paths
    from launcher.core.quicksupport.tvlog import TvEvent
    from launcher.ui.app import create_app, load_translations
    from launcher.ui.controller import Controller, State
    from launcher.ui.main_window import MainWindow

    logging.getLogger().addHandler(logging.NullHandler())  # stderr is for Qt's warnings (they fail the test)
    app = create_app()
    load_translations(app, "pl")
    controller = Controller(load_config(), app_paths(str(Path(args.data))).ensure(), language="pl")
    window = MainWindow(controller)
    result: dict = {}
    try:
        window.show()
        spin_until(app, lambda: window.startup_finished, 60)
        # the session as the worker reports it: QuickSupport's ID, then its password
        controller._enter(State.STARTING)
        controller._on_session_event(TvEvent(kind="id", when=None, tv_id=TV_ID))
        controller._on_password(PASSWORD)
        spin_until(app, lambda: window.current_page() is window.session_page, 10)
        window.findChild(QPushButton, "copyIdButton").click()
        result["id_targets"] = (xclip(app, "TARGETS") or "").split()
        window.findChild(QPushButton, "copyPasswordButton").click()
        result["targets"] = (xclip(app, "TARGETS") or "").split()
        result["hint"] = xclip(app, "x-kde-passwordManagerHint")
        result["text"] = xclip(app, "UTF8_STRING")
        controller._on_session_stopped()  # the session ended (Rozłącz, the consultant, the time limit)
        result["after_end"] = xclip(app, "UTF8_STRING")
    finally:
        controller.shutdown()
        controller.state = State.ENDED  # closes without asking
        window.close()
        app.processEvents()
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
