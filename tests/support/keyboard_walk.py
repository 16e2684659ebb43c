"""A customer with only a keyboard, on the real window: real key presses (xdotool, through the X server and
the window manager) against the whole --demo flow (loopback demo server, the QuickSupport stand-in).

Runs inside one app process on a real display (see tests/ui/test_real_window_keyboard.py); prints one JSON
object: {"problems": [...], "stops": {"terms": [...], "session": [...], ...}, "keys": N}.

What it checks: Tab from where a page leaves the focus reaches the page's own controls first and only named
controls (objectName + accessibleName) a customer can see, never an invisible stop; Space ticks the two
boxes and Enter presses Dalej; the whole flow reaches the session page; the always-on-top panel appears
without taking the keyboard; Enter and Esc (also with Rozłącz focused) never end a session; minimised and
then asked to come forward (a second start) the window is back, active, on the session page; Space on a
focused Rozłącz does end it.

    python -m tests.support.keyboard_walk --lang pl
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import subprocess
import sys
import time

PROBLEMS: list[str] = []


def _pump(app, condition, timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        app.processEvents()
        if condition():
            return True
        time.sleep(0.005)
    app.processEvents()
    return condition()


class _KeyCounter:
    """Counts the key presses Qt delivered, so a test knows its key arrived before it looks at the result
    (presses, not releases: a release goes to whichever window has the focus by then, and Enter on Dalej
    starts the flow that shows QuickSupport's own window)."""

    def __init__(self, app) -> None:
        from PySide6.QtCore import QEvent, QObject

        outer = self

        class Filter(QObject):
            def eventFilter(self, _obj, event):  # noqa: N802 - Qt API
                if event.type() == QEvent.Type.KeyPress and not event.isAutoRepeat():
                    outer.seen += 1
                return False

        self.seen = 0
        self.window = None  # the launcher's window the keys are meant for (walk sets it)
        self._filter = Filter()
        app.installEventFilter(self._filter)


def click_back(app, window) -> bool:
    """The customer clicks on the launcher's window to get back to it (QuickSupport's window, as TeamViewer's
    does, takes the focus when it appears): the window manager activates it. True once it is active."""
    if window.isActiveWindow():
        return True
    subprocess.run(["xdotool", "windowactivate", str(int(window.winId()))], capture_output=True, timeout=60)
    return _pump(app, window.isActiveWindow, 30)


def press(app, counter: _KeyCounter, key: str) -> None:
    """`key` (xdotool's name) pressed and released on the X server, into the launcher's window; returns once
    Qt has delivered it. A key event reaches the application's filter once per widget it passes, so: at
    least one more. Where another window took the focus before the key arrived (QuickSupport's window
    appearing), the customer clicks back and presses it again."""
    from PySide6.QtWidgets import QApplication

    window = counter.window
    for _attempt in range(3):
        if window is not None and not click_back(app, window):
            PROBLEMS.append(f"the window could not be made active again for the key {key}")
            return
        before = counter.seen
        proc = subprocess.Popen(["xdotool", "key", "--clearmodifiers", key])
        if not _pump(app, lambda proc=proc: proc.poll() is not None, 60):  # ceilings for a busy machine, not waits
            proc.kill()
        def arrived_or_elsewhere(before: int = before) -> bool:
            return counter.seen > before or (window is not None and not window.isActiveWindow())

        if _pump(app, arrived_or_elsewhere, 60) and counter.seen > before:
            app.processEvents()
            return
    active = QApplication.activeWindow()
    PROBLEMS.append(f"the key {key} never reached the window (the active window: "
                    f"{active.windowTitle() if active is not None else 'none of ours'})")


def _name(widget) -> str:
    return widget.objectName() if widget is not None else "(none)"


def tab_stops(app, counter, window, label: str, count: int) -> list[str]:
    """Press Tab `count` times; every stop must be a visible, named control of this window."""
    from PySide6.QtWidgets import QApplication

    stops = []
    for _ in range(count):
        press(app, counter, "Tab")
        focused = QApplication.focusWidget()
        stops.append(_name(focused))
        if focused is None or not focused.isVisible():
            PROBLEMS.append(f"{label}: Tab went to nothing a customer can see ({_name(focused)})")
        elif not (focused.objectName() and focused.accessibleName()):
            PROBLEMS.append(f"{label}: Tab stopped on an unnamed {type(focused).__name__} (no focus a customer "
                            "can see or a consultant can name)")
        elif focused.window() is not window:
            PROBLEMS.append(f"{label}: Tab left the window for {_name(focused)}")
    return stops


def tab_to(app, counter, name: str, limit: int = 12) -> bool:
    from PySide6.QtWidgets import QApplication

    for _ in range(limit):
        if _name(QApplication.focusWidget()) == name:
            return True
        press(app, counter, "Tab")
    return _name(QApplication.focusWidget()) == name


def walk(app, lang: str, config, paths) -> dict:
    """The walk on `config` (the demo's, see main) in `lang`: {"stops": {page: [control, ...]}}."""
    from PySide6.QtWidgets import QApplication

    from launcher.ui.app import load_translations
    from launcher.ui.controller import Controller, State
    from launcher.ui.main_window import MainWindow

    load_translations(app, lang)
    controller = Controller(config, paths, language=lang)
    window = MainWindow(controller, demo=True)
    counter = _KeyCounter(app)
    counter.window = window
    stops: dict[str, list[str]] = {}
    try:
        window.show()
        if not _pump(app, lambda: window.startup_finished and window.isActiveWindow(), 60):
            PROBLEMS.append("the window never became the active window")
        # 1. the Regulamin: Tab, Space on both boxes, Enter on Dalej
        press(app, counter, "Tab")
        first = QApplication.focusWidget()
        if first is None or not window.terms_page.isAncestorOf(first):
            PROBLEMS.append(f"terms: the first Tab went to {_name(first)}, not to the Regulamin page")
        stops["terms"] = [_name(first), *tab_stops(app, counter, window, "terms", 5)]
        for box in ("acceptTerms", "confirmHotline"):
            if not tab_to(app, counter, box):
                PROBLEMS.append(f"terms: Tab never reached {box}")
            press(app, counter, "space")
        press(app, counter, "Return")
        if not _pump(app, lambda: controller.state is not State.TERMS, 10):
            PROBLEMS.append("terms: Enter did not press Dalej with both boxes ticked")
        # 2. the whole demo flow to the session page, QuickSupport's stand-in started for real
        if not _pump(app, lambda: controller.state is State.SESSION and controller.session.tv_id, 120):
            PROBLEMS.append(f"the demo flow stopped at {controller.state.name} "
                            f"({getattr(controller, 'error', None)})")
            return {"stops": stops}
        panel = window.compact_panel
        _pump(app, panel.isVisible, 10)
        if panel.isActiveWindow():
            PROBLEMS.append("session: the always-on-top panel took the keyboard when it appeared")
        # the stand-in (as TeamViewer does) may have taken the focus: the customer clicks back (press does)
        for key in ("Return", "Escape", "KP_Enter"):
            press(app, counter, key)
            if controller.state is not State.SESSION:
                PROBLEMS.append(f"session: a stray {key} ended the session")
                return {"stops": stops}
        stops["session"] = tab_stops(app, counter, window, "session", 5)
        if not tab_to(app, counter, "disconnectButton"):
            PROBLEMS.append("session: Tab never reached Rozłącz")
        for key in ("Return", "Escape"):
            press(app, counter, key)
            if controller.state is not State.SESSION:
                PROBLEMS.append(f"session: {key} with Rozłącz focused ended the session")
                return {"stops": stops}
        # 3. minimised, then started again: the window is back, in front, on the session page
        window.showMinimized()
        _pump(app, window.isMinimized, 10)
        window.on_second_start()
        if not _pump(app, lambda: not window.isMinimized() and window.isActiveWindow(), 30):
            PROBLEMS.append("a second start did not bring the minimised window back to the front")
        if window.current_page() is not window.session_page or not window.session_page.id_value.isVisible():
            PROBLEMS.append("after minimise and restore the session page (the ID) is not shown")
        # 4. Space on a focused Rozłącz: the deliberate press ends it
        window.session_page.disconnect_button.setFocus()
        press(app, counter, "space")
        if not _pump(app, lambda: controller.state is State.ENDED, 30):
            PROBLEMS.append(f"session: Space on Rozłącz did not end the session ({controller.state.name})")
        return {"stops": stops}
    finally:
        if controller.session_active:
            controller.disconnect_session()
            _pump(app, lambda: not controller.session_active, 30)
        if window._compact_panel is not None:
            window._compact_panel.close()
        controller.shutdown()
        controller.state = State.ENDED  # closes without asking
        window.close()
        app.processEvents()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", choices=("pl", "en"), default="pl")
    args = parser.parse_args(argv)
    if "DISPLAY" not in os.environ:
        print("needs an X display", file=sys.stderr)
        return 2
    from launcher.demo.session import demo_environment
    from launcher.ui.app import create_app

    # stderr is for Qt's warnings (they fail the test); the launcher's own log lines are not looked at here
    logging.getLogger().addHandler(logging.NullHandler())
    app = create_app()
    with demo_environment() as (config, paths):  # what --demo runs on: the loopback server, the stand-in
        result = walk(app, args.lang, config, paths)
    print(json.dumps({"problems": PROBLEMS, "stops": result.get("stops", {})}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
