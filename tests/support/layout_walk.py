"""The real window's layout as a customer guided by phone meets it: Qt's xcb platform on an Xvfb screen with
openbox, at the size the window opens at, real mouse clicks and wheel turns (xdotool, through the X server);
see tests/ui/test_real_window_layout.py.

    python -m tests.support.layout_walk steady --lang pl   # the session page's ID, password, Rozłącz keep still
    python -m tests.support.layout_walk panel --lang en    # the always-on-top panel's size, no text cut off
    python -m tests.support.layout_walk wheel --lang pl    # the wheel over the Regulamin reaches Dalej's boxes

`steady`: the screen geometry of the ID, the password and Rozłącz (and their captions and copy buttons) is
recorded on the session page waiting for a consultant, and again after each thing that happens while the
customer reads them aloud: the password read, a consultant joining (the intro above them went away), Kopiuj
clicked („Skopiowano ID.”, „Skopiowano hasło.”), Przeliteruj, the consultant leaving. Each change is a problem.

`panel`: the panel's width and, for each of its labels in every state (waiting, a verified consultant with a
long name and a file sent, the question, an unknown supporter's warning, ending), whether the label's height
for its width shows all its lines (no text cut off) and the panel lies on the screen.

`wheel`: on the Regulamin page, the wheel turned over the text box (real wheel events: xdotool's buttons 4
and 5 at the pointer) scrolls the text to its end, then goes on to the page, so the two boxes under it come
into view; turned back, the page and then the text go back up.

Prints one JSON object: {"problems": [...], ...}.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import subprocess
import sys

from tests.support.keyboard_walk import PROBLEMS, _pump, click_back


def _rect(widget) -> list[int]:
    """`widget` on the screen: [x, y, width, height] in logical px."""
    top_left = widget.mapToGlobal(widget.rect().topLeft())
    return [top_left.x(), top_left.y(), widget.width(), widget.height()]


def _settle(app, probe, rounds: int = 3) -> None:
    """Events processed until `probe()` has given the same answer `rounds` times in a row (a layout is
    applied over a few turns of the event loop), at most 2 s."""
    last, same = None, 0

    def steady() -> bool:
        nonlocal last, same
        now = probe()
        same = same + 1 if now == last else 0
        last = now
        return same >= rounds

    _pump(app, steady, 2.0)


def click(app, widget) -> None:
    """A real left click in the middle of `widget` (xdotool: the pointer moved there, pressed, released)."""
    from PySide6.QtCore import QEvent, QObject

    centre = widget.mapToGlobal(widget.rect().center())
    ratio = widget.devicePixelRatioF()
    seen = []

    class Filter(QObject):
        def eventFilter(self, obj, event):  # noqa: N802 - Qt API
            if obj is widget and event.type() == QEvent.Type.MouseButtonRelease:
                seen.append(True)
            return False

    spy = Filter()
    widget.installEventFilter(spy)
    try:
        subprocess.run(["xdotool", "mousemove", "--sync", str(round(centre.x() * ratio)),
                        str(round(centre.y() * ratio)), "click", "1"], capture_output=True, timeout=60)
        if not _pump(app, lambda: bool(seen), 20):
            PROBLEMS.append(f"the click on {widget.objectName()} never arrived")
    finally:
        widget.removeEventFilter(spy)


def steady(app, lang: str, config, paths) -> dict:
    from launcher.ui.app import load_translations
    from launcher.ui.controller import Controller
    from launcher.ui.main_window import MainWindow
    from tests.support.focus_walk import _close
    from tests.support.ui_session import NOW, consultant_works, start_session

    load_translations(app, lang)
    controller = Controller(config, paths, language=lang)
    window = MainWindow(controller, demo=True)
    try:
        window.show()
        if not _pump(app, lambda: window.startup_finished and window.isActiveWindow(), 60):
            PROBLEMS.append("the window never became the active window")
        start_session(window)
        page = window.session_page
        _pump(app, lambda: window.compact_panel.isVisible(), 10)
        click_back(app, window)
        watched = {"sessionId": page.id_value, "sessionPassword": page.password_value,
                   "copyIdButton": page.copy_id_button, "copyPasswordButton": page.copy_password_button,
                   "disconnectButton": page.disconnect_button}

        def geometry() -> dict:
            return {name: _rect(widget) for name, widget in watched.items()}

        from launcher.core.quicksupport.tvlog import TvEvent

        controller._on_password("ab12cd")  # read from QuickSupport's window: the box and its buttons as they stay
        _settle(app, geometry)
        stages = {"password read": geometry()}

        def after(label: str) -> None:
            _settle(app, geometry)
            before, now = list(stages.values())[-1], geometry()
            stages[label] = now
            for name, rect in now.items():
                if rect != before[name]:
                    PROBLEMS.append(f"{label}: {name} moved from {before[name]} to {rect}")

        consultant_works(controller)
        after("consultant joined")
        click(app, page.copy_id_button)
        if not page.copied.text():
            PROBLEMS.append("Kopiuj (ID) clicked: nothing said it was copied")
        after("ID copied")
        click(app, page.copy_password_button)
        after("password copied")
        click(app, page.spell_button)
        after("password spelled")
        controller._on_session_event(TvEvent("left", NOW.replace(minute=30)))
        after("consultant left")
        return {"stages": stages, "window": _rect(window)}
    finally:
        _close(app, controller, window)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("check", choices=("steady", "panel", "wheel"))
    parser.add_argument("--lang", choices=("pl", "en"), default="pl")
    args = parser.parse_args(argv)
    if "DISPLAY" not in os.environ:
        print("needs an X display", file=sys.stderr)
        return 2
    from launcher.demo.session import demo_environment
    from launcher.ui.app import create_app

    logging.getLogger().addHandler(logging.NullHandler())
    app = create_app()
    checks = {"steady": steady, "panel": panel, "wheel": wheel}
    with demo_environment() as (config, paths):
        result = checks[args.check](app, args.lang, config, paths)
    print(json.dumps({"problems": PROBLEMS, **result}))
    return 0


def _cut_labels(widget) -> list[str]:
    """The labels (and buttons) of `widget` whose text does not fit the room they were given: a label shorter
    than its height for its width (wrapped lines cut off), or narrower than its one line; a button narrower
    or lower than its size hint."""
    from PySide6.QtWidgets import QAbstractButton, QLabel

    cut = []
    for label in widget.findChildren(QLabel):
        if not label.isVisibleTo(widget) or not label.text():
            continue
        if label.wordWrap():
            need = label.heightForWidth(label.width())
            if label.height() < need:
                cut.append(f"{label.objectName() or label.text()[:30]!r}: {label.height()} px of {need}")
        elif label.width() < label.sizeHint().width() or label.height() < label.sizeHint().height():
            cut.append(f"{label.objectName() or label.text()[:30]!r}: {label.width()}x{label.height()} of "
                       f"{label.sizeHint().width()}x{label.sizeHint().height()}")
    for button in widget.findChildren(QAbstractButton):
        if button.isVisibleTo(widget) and (button.width() < button.sizeHint().width()
                                           or button.height() < button.sizeHint().height()):
            cut.append(f"{button.objectName()!r}: {button.width()}x{button.height()} of "
                       f"{button.sizeHint().width()}x{button.sizeHint().height()}")
    return cut


def panel(app, lang: str, config, paths) -> dict:
    from launcher.core.quicksupport.tvlog import TvEvent
    from launcher.ui.app import load_translations
    from launcher.ui.controller import Controller
    from launcher.ui.main_window import MainWindow
    from launcher.ui.screens import screen_of
    from tests.support.focus_walk import _close
    from tests.support.ui_session import NOW, start_session

    load_translations(app, lang)
    controller = Controller(config, paths, language=lang)
    window = MainWindow(controller, demo=True)
    widths: dict[str, list[int]] = {}
    try:
        window.show()
        _pump(app, lambda: window.startup_finished, 60)
        start_session(window)
        compact = window.compact_panel
        _pump(app, compact.isVisible, 10)

        def look(label: str) -> None:
            _settle(app, lambda: (compact.frameGeometry(), compact.size()))
            widths[label] = [compact.width(), compact.height()]
            for problem in _cut_labels(compact):
                PROBLEMS.append(f"{label}: {problem}")
            area = screen_of(compact).availableGeometry()
            if not area.contains(compact.frameGeometry()):
                PROBLEMS.append(f"{label}: the panel {_rect(compact)} is not on the screen")

        look("waiting")
        # the longest a roster's name is likely to be, a file sent with a long name: the lines wrap
        controller._on_session_event(TvEvent("joined", NOW.replace(minute=1), tv_id="1987654320",
                                             name="Katarzyna Wiśniewska-Grabowska", verdict="verified"))
        controller._on_session_event(TvEvent("file_in", NOW.replace(minute=3), name="sterownik-drukarki-2026.zip",
                                             folder="C:\\Users\\Jan\\Downloads", size=11481907))
        look("consultant at work")
        controller.watch._on_ask()
        look("the question")
        controller.watch.confirmed()
        controller._on_session_event(TvEvent("left", NOW.replace(minute=20)))
        controller._on_session_event(TvEvent("joined", NOW.replace(minute=21), tv_id="1555000111",
                                             name="Pomoc Techniczna Microsoft", verdict="unknown"))
        look("someone outside Overmax (warn)")
        controller.disconnect_session()
        look("ending")
        return {"sizes": widths}
    finally:
        _close(app, controller, window)


def _turn_until(app, widget, button: int, done, limit: int = 60, at=None) -> int:
    """Notches turned (at most `limit`) until `done()`; the pointer over `widget`'s middle when the turning
    starts (or at the global point `at`), and left there."""
    turned = 0
    while turned < limit and not done():
        if not _turn(app, widget, button, 1, at if turned == 0 else None, move=turned == 0):
            break
        turned += 1
    return turned


def _turn(app, widget, button: int, times: int, at=None, *, move: bool = True) -> bool:
    """The wheel turned `times` notches (xdotool's button 4 up, 5 down) with the pointer over `widget`'s
    middle (or at the global point `at`); True once Qt has delivered them."""
    from PySide6.QtCore import QEvent, QObject

    seen = []

    class Filter(QObject):
        def eventFilter(self, _obj, event):  # noqa: N802 - Qt API
            if event.type() == QEvent.Type.Wheel and event.spontaneous():
                seen.append(event)
            return False

    spy = Filter()
    app.installEventFilter(spy)
    # the middle of the part of it in view (on a short screen the page hides the rest of it below the fold)
    centre = at if at is not None else widget.mapToGlobal(widget.visibleRegion().boundingRect().center())
    ratio = widget.devicePixelRatioF()
    try:
        if move:
            subprocess.run(["xdotool", "mousemove", "--sync", str(round(centre.x() * ratio)),
                            str(round(centre.y() * ratio))], capture_output=True, timeout=60)
        for _ in range(times):
            before = len(seen)
            subprocess.run(["xdotool", "click", str(button)], capture_output=True, timeout=60)
            if not _pump(app, lambda before=before: len(seen) > before, 20):
                PROBLEMS.append(f"a wheel turn over {widget.objectName()} never arrived")
                return False
            app.processEvents()
        return True
    finally:
        app.removeEventFilter(spy)


def wheel(app, lang: str, config, paths) -> dict:
    from launcher.ui.app import load_translations
    from launcher.ui.controller import Controller, State
    from launcher.ui.main_window import MainWindow

    load_translations(app, lang)
    controller = Controller(config, paths, language=lang)
    window = MainWindow(controller, demo=True)
    try:
        window.show()
        if not _pump(app, lambda: window.startup_finished and window.isActiveWindow(), 60):
            PROBLEMS.append("the window never became the active window")
        page = window.terms_page
        view = page.view
        from tests.support.window_audit import _scroll_area_of

        frame = _scroll_area_of(view.parentWidget())
        _settle(app, lambda: (_rect(view), frame.verticalScrollBar().maximum()))
        text_bar, page_bar = view.verticalScrollBar(), frame.verticalScrollBar()
        start = {"text": [text_bar.value(), text_bar.maximum()], "page": [page_bar.value(), page_bar.maximum()],
                 "view": _rect(view), "in_view": view.visibleRegion().boundingRect().getRect()}
        if page_bar.maximum() == 0:
            PROBLEMS.append("the page does not scroll on this screen: nothing to check")
        # down, the pointer where the customer starts, over the page just above the Regulamin's box (on a short
        # screen the box is below the fold): the page scrolls, the box comes under the pointer, and the page
        # goes on to its end, the boxes under the Regulamin in view
        above = page.view.mapToGlobal(page.view.rect().topLeft())
        above.setX(above.x() + view.width() // 2)
        above.setY(min(above.y(), frame.viewport().mapToGlobal(frame.viewport().rect().bottomLeft()).y()) - 8)
        notches = _turn_until(app, view, 5, lambda: page_bar.value() == page_bar.maximum(), at=above)
        if page_bar.value() != page_bar.maximum():
            PROBLEMS.append(f"the wheel over the Regulamin at its end never scrolled the page ({page_bar.value()} "
                            f"of {page_bar.maximum()}): the boxes under it stay below the fold")
        if text_bar.value() != 0:
            PROBLEMS.append(f"the wheel scrolling the page went into the Regulamin's text when it came under the "
                            f"pointer ({text_bar.value()} px of it scrolled before the page got to its end)")
        # the pointer over the text (moved: a new wheel), down to its end
        notches += _turn_until(app, view, 5, lambda: text_bar.value() == text_bar.maximum(), limit=150)
        if text_bar.value() != text_bar.maximum():
            PROBLEMS.append(f"the Regulamin's text did not reach its end ({text_bar.value()} of {text_bar.maximum()})")
        for box in (page.accept_box, page.hotline_box):
            top = box.mapTo(frame.viewport(), box.rect().topLeft())
            if top.y() < 0 or top.y() + box.height() > frame.viewport().height():
                PROBLEMS.append(f"{box.objectName()} is not in view after the wheel")
        down = {"text": [text_bar.value(), text_bar.maximum()], "page": [page_bar.value(), page_bar.maximum()],
                "notches": notches}
        down_at = None  # the pointer stays where it is
        # back up, the pointer where it was (the text has come up under it): the text to its start, then the page
        notches = _turn_until(app, view, 4, lambda: text_bar.value() == 0 and page_bar.value() == 0, limit=150,
                              at=down_at)
        if page_bar.value() != 0 or text_bar.value() != 0:
            PROBLEMS.append(f"the wheel turned back left the page at {page_bar.value()}, the text at "
                            f"{text_bar.value()}")
        up = {"text": text_bar.value(), "page": page_bar.value(), "notches": notches}
        controller.state = State.ENDED
        return {"start": start, "down": down, "up": up}
    finally:
        controller.shutdown()
        window.close()
        app.processEvents()


if __name__ == "__main__":
    sys.exit(main())
