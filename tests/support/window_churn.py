"""Windows made and let go of the way the UI tests do, many in one process; run as a child process.

    python -m tests.support.window_churn DATA_DIR [ROUNDS]

Each round builds a real MainWindow (and its compact panel), lets it find its screen as it does on start-up
and during a session, then lets go of it while a reference cycle still runs through it, so it is Python's
cycle collector that frees it (as happens to a test's window some time after the test). An older window
stays open throughout and looks up its screen first, so the screen's Python wrapper (where the app makes
one) is older than the window freed: the collector then clears the screen's wrapper first, the order that
once let PySide6 delete the application's QScreen (see launcher/ui/screens.py).

Prints "ok ROUNDS" and exits 0; exits 3 if a QScreen was destroyed; a crash (the freed screen used by the
next window) is a signal exit, which the caller reports.
"""

from __future__ import annotations

import gc
import os
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _wait_until(app, condition, timeout_s: float = 20.0) -> None:
    from PySide6.QtCore import QEventLoop

    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit("timed out waiting for the window to finish starting")
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)


def main(argv: list[str]) -> int:
    from PySide6.QtGui import QGuiApplication

    from launcher.config import load_config
    from launcher.core.paths import app_paths
    from launcher.ui.app import create_app
    from launcher.ui.controller import Controller
    from launcher.ui.main_window import MainWindow

    data_dir, rounds = argv[0], int(argv[1]) if len(argv) > 1 else 6
    app = create_app()  # as the launcher does: cycles collected on the GUI thread
    destroyed: list[str] = []
    for screen in QGuiApplication.screens():
        screen.destroyed.connect(lambda *_: destroyed.append("screen"))  # noqa: B023 - same list for all
    del screen
    paths = app_paths(data_dir).ensure()

    def new_window() -> MainWindow:
        window = MainWindow(Controller(load_config(), paths))
        window.show()
        _wait_until(app, lambda: window.startup_finished)
        return window

    anchor = new_window()  # lives through every round, as an earlier test's window not yet collected
    for number in range(rounds):
        anchor.fit_to_screen()  # the screen's wrapper, if the window makes one, is made by this older window
        gc.collect()  # ...and is then among the oldest objects
        window = new_window()
        window.fit_to_screen()  # on start-up
        window.compact_panel.show()  # during a session: the panel places itself on its screen
        app.processEvents()
        window.compact_panel.hide()
        window.fit_to_screen()
        window.close()
        window.controller.shutdown()
        # a cycle through the window, as a test's closures and tracebacks make: only the collector frees it
        window.keep = window
        del window
        gc.collect()
        app.processEvents()
        if destroyed:
            print(f"a QScreen was destroyed in round {number + 1}", flush=True)
            return 3
    anchor.close()
    anchor.controller.shutdown()
    print(f"ok {rounds}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
