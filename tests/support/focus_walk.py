"""Where the keyboard focus goes, on the real window: real key presses (xdotool, through the X server and the
window manager) on the main window and the always-on-top panel (see tests/ui/test_real_window_focus.py).

    python -m tests.support.focus_walk focus --lang pl     # the session page, the panel, the error page
    python -m tests.support.focus_walk minimum --lang pl   # the window dragged as small as it goes

`focus`: an answered question (the idle „Czy nadal czekasz na konsultanta?” and „Czy konsultant nadal Ci
pomaga?”, on the page and on the panel, also answered on the panel while the main window had its focus on
the page's question) never leaves the focus on a Rozłącz, and a Space after it never ends the session; Tab
still reaches Rozłącz. The error page starts with the focus on the button Enter presses (Spróbuj ponownie, or
Zamknij where there is no retry), and Enter on the focused „Co zaakceptowałem(-am)?” opens it.

`minimum`: the window dragged (xdotool, the window manager's resize) to 200x150 stops at its minimum size,
which fits the README's smallest screen (533x360 logical px with the frame); there, on every page, the pinned
main button is whole, the step indicator, the banner and the hotline footer show all their lines, and the
error page's code is in view.

Prints one JSON object: {"problems": [...], ...}.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import subprocess
import sys

from tests.support.keyboard_walk import PROBLEMS, _KeyCounter, _name, _pump, click_back, press, tab_to

ROZLACZ = ("disconnectButton", "confirmDisconnectButton", "compactDisconnectButton", "compactConfirmDisconnectButton")


def _focus_in(window) -> str:
    """The control `window` gives the keyboard to (its focus widget, active or not)."""
    return _name(window.focusWidget())


def _after_answer(app, counter, window, label: str) -> bool:
    """The question just answered: the focus is on no Rozłącz, and a stray Space does not end the session."""
    controller = window.controller if hasattr(window, "controller") else counter.controller
    focused = _focus_in(window)
    if focused in ROZLACZ:
        PROBLEMS.append(f"{label}: after the answer the focus went to {focused}")
    press(app, counter, "space")
    _pump(app, lambda: False, 0.2)  # a session ended by the Space would be STOPPING by now; nothing to wait on
    from launcher.ui.controller import State

    if controller.state is not State.SESSION:
        PROBLEMS.append(f"{label}: a Space after the answer ended the session (focus was on {focused})")
        return False
    return True


def focus(app, lang: str, config, paths) -> dict:
    from launcher.core.errors import LauncherError
    from launcher.ui.app import load_translations
    from launcher.ui.controller import Controller, State
    from launcher.ui.main_window import MainWindow
    from tests.support.ui_session import consultant_works, start_session

    load_translations(app, lang)
    controller = Controller(config, paths, language=lang)
    window = MainWindow(controller, demo=True)
    counter = _KeyCounter(app)
    counter.window = window
    counter.controller = controller
    seen: dict[str, str] = {}
    try:
        window.show()
        if not _pump(app, lambda: window.startup_finished and window.isActiveWindow(), 60):
            PROBLEMS.append("the window never became the active window")
        # the focused link: Enter opens it as Space does (a modal dialog: closed as soon as it is seen)
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QApplication

        opened = []

        def close_dialog() -> None:
            dialog = QApplication.activeModalWidget()
            if dialog is not None:
                opened.append(dialog.objectName() or type(dialog).__name__)
                dialog.reject()
            else:
                QTimer.singleShot(20, close_dialog)

        if not tab_to(app, counter, "consentButton"):
            PROBLEMS.append("terms: Tab never reached „Co zaakceptowałem(-am)?”")
        QTimer.singleShot(20, close_dialog)
        press(app, counter, "Return")
        if not _pump(app, lambda: bool(opened), 20):
            PROBLEMS.append("terms: Enter on the focused „Co zaakceptowałem(-am)?” did not open it")
        seen["consent"] = opened[0] if opened else ""

        # the error page: its focus ring is on the button Enter presses
        for code, main in (("NET-HTTPS", "retryButton"), ("SEC-UNKNOWN-SUPPORTER", "closeButton")):
            click_back(app, window)
            controller._enter(State.CHECK)
            window.check_page.setFocus()  # as when Dalej led here: the focus somewhere on the page before
            controller._fail(LauncherError(code))
            _pump(app, lambda: window.current_page() is window.error_page, 10)
            focused = _name(QApplication.focusWidget())
            seen[code] = focused
            if focused != main:
                PROBLEMS.append(f"error {code}: the focus starts on {focused}, Enter presses {main}")
        press(app, counter, "Return")  # Zamknij on SEC-UNKNOWN-SUPPORTER: is pressed, the window closes
        if not _pump(app, lambda: not window.isVisible(), 20):
            PROBLEMS.append("error SEC-UNKNOWN-SUPPORTER: Enter on Zamknij did not close the window")
        window.show()
        _pump(app, window.isVisible, 10)

        # the session page: the idle question answered with Space
        controller._enter(State.TERMS)
        start_session(window)
        panel = window.compact_panel
        _pump(app, panel.isVisible, 10)
        click_back(app, window)
        controller._on_idle()  # the idle timer's own slot: the question, the window brought forward
        page = window.session_page
        if not _pump(app, page.still_here_button.isVisible, 10):
            PROBLEMS.append("session: the idle question was not shown")
        if not tab_to(app, counter, "stillHereButton"):
            PROBLEMS.append("session: Tab never reached „Tak, czekam”")
        press(app, counter, "space")
        if page.idle_prompt.isVisible():
            PROBLEMS.append("session: Space on „Tak, czekam” did not answer")
        seen["idle"] = _focus_in(window)
        if not _after_answer(app, counter, window, "idle question"):
            return {"seen": seen}

        # „Czy konsultant nadal Ci pomaga?” answered on the page
        consultant_works(controller)
        controller.watch._on_ask()  # the question's own timer slot
        if not _pump(app, page.confirm_prompt.isVisible, 10):
            PROBLEMS.append("session: the question was not shown")
        click_back(app, window)
        if not tab_to(app, counter, "confirmYesButton"):
            PROBLEMS.append("session: Tab never reached the question's Tak")
        press(app, counter, "space")
        seen["confirm"] = _focus_in(window)
        if controller.watch.asking:
            PROBLEMS.append("session: Space on Tak did not answer the question")
        if not _after_answer(app, counter, window, "question on the page"):
            return {"seen": seen}

        # the same question answered on the panel, while the window's focus was on the page's Tak
        controller.watch._on_ask()
        _pump(app, lambda: page.confirm_prompt.isVisible() and panel.confirm_prompt.isVisible(), 10)
        click_back(app, window)
        page.confirm_prompt.yes_button.setFocus()
        counter.window = panel
        if not click_back(app, panel):
            PROBLEMS.append("panel: could not be made the active window")
        if not tab_to(app, counter, "compactConfirmYesButton"):
            PROBLEMS.append("panel: Tab never reached the question's Tak")
        press(app, counter, "space")
        seen["panel"] = _focus_in(panel)
        if controller.watch.asking:
            PROBLEMS.append("panel: Space on Tak did not answer the question")
        if not _after_answer(app, counter, panel, "question on the panel"):
            return {"seen": seen}
        counter.window = window
        click_back(app, window)  # back to the window: Qt gives its focus back, not to Rozłącz
        seen["window_again"] = _name(QApplication.focusWidget())
        if not _after_answer(app, counter, window, "the window again after the panel's answer"):
            return {"seen": seen}

        # Rozłącz is still reached with Tab, and Space on it ends the session
        if not tab_to(app, counter, "disconnectButton", limit=20):
            PROBLEMS.append("session: Tab never reached Rozłącz")
        press(app, counter, "space")
        if not _pump(app, lambda: controller.state is not State.SESSION, 20):
            PROBLEMS.append("session: Space on a focused Rozłącz did not end the session")
        return {"seen": seen}
    finally:
        _close(app, controller, window)


def _close(app, controller, window) -> None:
    from launcher.ui.controller import State

    if controller.session_active:
        controller.disconnect_session()
        _pump(app, lambda: not controller.session_active, 30)
    if window._compact_panel is not None:
        window._compact_panel.close()
    controller.shutdown()
    controller.state = State.ENDED  # closes without asking
    window.close()
    app.processEvents()


def _longest_hotline_status(hotline, lang: str) -> str:
    """The longest sentence the footer's hotline status takes over the coming year, hour by hour (weekday names,
    dates after holidays, "open until")."""
    from datetime import datetime, timedelta

    from launcher.core.hotline import describe_status, hotline_status, hotline_zone

    start = datetime.now(hotline_zone(hotline.timezone)).replace(minute=0, second=0, microsecond=0)
    moments = (start + timedelta(hours=h) for h in range(0, 366 * 24, 1))
    return max((describe_status(hotline_status(hotline, now), lang, now) for now in moments), key=len)


def minimum(app, lang: str, config, paths) -> dict:
    from PySide6.QtCore import QRect
    from PySide6.QtWidgets import QApplication, QLabel, QWidget

    from launcher.core.errors import LauncherError
    from launcher.ui.app import load_translations
    from launcher.ui.controller import Controller, State
    from launcher.ui.main_window import MainWindow
    from tests.support.ui_session import start_session

    load_translations(app, lang)
    controller = Controller(config, paths, language=lang)
    window = MainWindow(controller, demo=True)
    try:
        window.show()
        _pump(app, lambda: window.startup_finished, 60)
        window.build_all_pages()
        # the footer as long as it ever gets (it says when the hotline opens next, which depends on the day
        # and the hour of the run): the minimum must hold at any time, not only at the time of this run
        window._show_hotline(_longest_hotline_status(config.hotline, lang))
        subprocess.run(["xdotool", "windowsize", str(int(window.winId())), "200", "150"], capture_output=True,
                       timeout=60)
        _pump(app, lambda: window.width() < 860 and window.height() < 640, 20)
        _pump(app, lambda: False, 0.5)  # the window manager's last configure: nothing to wait on but time
        size, frame = window.size(), window.frameGeometry()
        smallest = {"size": [size.width(), size.height()], "frame": [frame.width(), frame.height()]}
        if size.width() < 400 or size.height() < 300:
            PROBLEMS.append(f"the window was dragged down to {size.width()}x{size.height()}")
        if frame.width() > 533 or frame.height() > 360:
            PROBLEMS.append(f"at its minimum the window ({frame.width()}x{frame.height()} with its frame) "
                            "is larger than the smallest supported screen, 533x360")

        def whole(widget: QWidget) -> bool:
            return widget.visibleRegion().boundingRect() == widget.rect() and not widget.visibleRegion().isEmpty()

        def check(label: str, sentence: QWidget | None) -> None:
            app.processEvents()
            page = window.current_page()
            for part in (window.step_indicator, window.findChild(QLabel, "demoBanner"), window.footer):
                if part.height() < part.heightForWidth(part.width()) or not whole(part):
                    PROBLEMS.append(f"{label}: {part.objectName()} cut off ({part.height()} px of "
                                    f"{part.heightForWidth(part.width())})")
            buttons = [page.primary_button] if page.primary_button is not None else []
            if label == "session":
                buttons = [page.disconnect_button]
            for button in buttons:
                rect = QRect(button.mapTo(window, button.rect().topLeft()), button.size())
                if (not window.rect().contains(rect) or button.height() < button.minimumSizeHint().height()
                        or not whole(button)):
                    PROBLEMS.append(f"{label}: the main button {button.objectName()} is clipped "
                                    f"({rect.width()}x{rect.height()} at {rect.x()},{rect.y()})")
            if sentence is not None and not whole(sentence):
                PROBLEMS.append(f"{label}: {sentence.objectName()} is not in view")

        pages = {"terms": None, "check": None, "download": None, "ended": "endedMessage"}
        for key, sentence in pages.items():
            page = window._page(key)
            window.stack.setCurrentWidget(window._frames[page])
            check(key, page.findChild(QWidget, sentence) if sentence else None)
        for code in ("NET-HTTPS", "SEC-UNKNOWN-SUPPORTER"):
            controller._enter(State.CHECK)
            controller._fail(LauncherError(code))
            _pump(app, lambda: window.current_page() is window.error_page, 10)
            check(f"error {code}", window.error_page.code)
        controller._enter(State.TERMS)
        start_session(window)
        _pump(app, lambda: window.current_page() is window.session_page, 10)
        check("session", None)
        del QApplication
        return {"smallest": smallest}
    finally:
        _close(app, controller, window)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("check", choices=("focus", "minimum"))
    parser.add_argument("--lang", choices=("pl", "en"), default="pl")
    args = parser.parse_args(argv)
    if "DISPLAY" not in os.environ:
        print("needs an X display", file=sys.stderr)
        return 2
    from launcher.demo.session import demo_environment
    from launcher.ui.app import create_app

    logging.getLogger().addHandler(logging.NullHandler())
    app = create_app()
    with demo_environment() as (config, paths):
        result = (focus if args.check == "focus" else minimum)(app, args.lang, config, paths)
    print(json.dumps({"problems": PROBLEMS, **result}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
