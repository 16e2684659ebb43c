"""Walk every page and every error page of the real window and report what a customer could not see.

Runs inside one app process on a real display (Qt's xcb platform under Xvfb, see tests/ui/test_real_window.py),
for one screen size and scale, in each language given; prints one JSON object:

    {"screen": [w, h], "available": [x, y, w, h], "scale": 1.5, "problems": ["pl terms: ...", ...],
     "pages": 92, "controls": 1234}

A problem is one of: the window (frame included) not inside the screen's available area; a page wider
than its window (a horizontal scroll bar, or a minimum width above the viewport's); a control with an
automation name (objectName + accessibleName) not fully on screen once its page is scrolled to it, or
covered by another widget; on every screen from 683x384 (logical px) up, the session page's ID and
password in view without scrolling and not under the always-on-top panel, Rozłącz in the window
(credentials_problems); where the window has
its real size (MainWindow.DEFAULT_SIZE, 860x640) at
scale 1, a connected session page that needs scrolling to show the ID, the password, Rozłącz and every
line of a four-line activity list (`unscrolled_checked` names the stages checked so).
`--shots DIR` also saves a picture of each page as the screen shows it.

    python -m tests.support.window_audit --lang pl --lang en [--shots DIR]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path


def _named_controls(root):
    from PySide6.QtWidgets import QWidget

    return [w for w in root.findChildren(QWidget) if w.objectName() and w.accessibleName() and w.isVisible()]


def _covered(widget, panel=None) -> bool:
    """True if, at any of five points inside it, the topmost widget on screen is not it (or a child of it).
    The always-on-top panel (`panel`) does not count: where it overlaps the window is checked on its own."""
    from PySide6.QtCore import QPoint
    from PySide6.QtWidgets import QApplication

    r = widget.rect()
    inset_x, inset_y = min(3, r.width() // 4), min(3, r.height() // 4)
    points = [r.center(), QPoint(r.left() + inset_x, r.top() + inset_y), QPoint(r.right() - inset_x, r.top() + inset_y),
              QPoint(r.left() + inset_x, r.bottom() - inset_y), QPoint(r.right() - inset_x, r.bottom() - inset_y)]
    panel_frame = panel.frameGeometry() if panel is not None and panel.isVisible() else None
    for point in points:
        spot = widget.mapToGlobal(point)
        if panel_frame is not None and panel_frame.contains(spot):
            continue  # the panel, its window manager's frame included
        top = QApplication.widgetAt(spot)
        if top is None or not (top is widget or widget.isAncestorOf(top)):
            return True
    return False


def _scroll_area_of(widget):
    from PySide6.QtWidgets import QScrollArea

    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QScrollArea):
            return parent
        parent = parent.parentWidget()
    return None


def _reveal(area, widget) -> None:
    """Scroll `area` so all of `widget` is in view where it fits (ensureWidgetVisible shows only a text
    box's cursor), as a customer scrolling down to it would."""
    from PySide6.QtCore import QPoint

    top_left = widget.mapTo(area.widget(), QPoint(0, 0))
    for bar, start, length, room in (
        (area.verticalScrollBar(), top_left.y(), widget.height(), area.viewport().height()),
        (area.horizontalScrollBar(), top_left.x(), widget.width(), area.viewport().width()),
    ):
        if start + length > bar.value() + room:
            bar.setValue(start + length - room)
        if start < bar.value():
            bar.setValue(start)


def _settle(app, window, *, frames_too: bool = True) -> None:
    """Events processed; with `frames_too`, until the window's and the panel's frames stop moving (the
    window manager answers moves and resizes asynchronously), at most a second."""
    if not frames_too:
        app.processEvents()
        return
    def frames():
        panel = getattr(window, "_compact_panel", None)
        return (window.frameGeometry(), panel.frameGeometry() if panel is not None and panel.isVisible() else None)

    deadline = time.monotonic() + 1.0
    last = None
    stable = 0
    while time.monotonic() < deadline and stable < 3:
        app.processEvents()
        now = frames()
        stable = stable + 1 if now == last else 0
        last = now
        time.sleep(0.005)
    window.update()
    app.processEvents()


def audit_page(app, window, label: str) -> tuple[list[str], int]:
    """Problems on the page the window shows now, and how many named controls were checked."""
    from PySide6.QtCore import QRect

    from launcher.ui.screens import screen_of

    problems: list[str] = []
    _settle(app, window)
    screen = screen_of(window)  # never window.screen(): see launcher/ui/screens.py
    available = screen.availableGeometry()
    frame = window.frameGeometry()
    if not available.contains(frame):
        problems.append(f"{label}: window {_r(frame)} outside the screen's available area {_r(available)}")
    page = window.current_page()
    area = _scroll_area_of(page)
    if area is not None:
        bar = area.horizontalScrollBar()
        if bar.isVisible() and bar.maximum() > 0:
            problems.append(f"{label}: horizontal scroll bar ({bar.maximum()} px more than the window)")
        need = page.minimumSizeHint().width()
        if need > area.viewport().width():
            problems.append(f"{label}: page needs {need} px, window shows {area.viewport().width()} px")
    problems += _main_buttons_unscrolled(window, label)
    holder = window.stack.currentWidget()
    controls = [w for w in _named_controls(window) if w is window or holder.isAncestorOf(w) or not
                window.stack.isAncestorOf(w)]
    visible_window = QRect(window.mapToGlobal(window.rect().topLeft()), window.size())
    for widget in controls:
        name = widget.objectName()
        area = _scroll_area_of(widget)
        if area is not None:
            _reveal(area, widget)
            _settle(app, window, frames_too=False)
        rect = QRect(widget.mapToGlobal(widget.rect().topLeft()), widget.size())
        if area is not None:
            viewport = area.viewport()
            clip = QRect(viewport.mapToGlobal(viewport.rect().topLeft()), viewport.size())
            if not clip.contains(rect):
                problems.append(f"{label}: {name} {_r(rect)} not fully inside its page's view {_r(clip)}")
                continue
        if not visible_window.contains(rect):
            problems.append(f"{label}: {name} {_r(rect)} cut off by the window {_r(visible_window)}")
        elif not available.contains(rect):
            problems.append(f"{label}: {name} {_r(rect)} off the screen {_r(available)}")
        elif _covered(widget, window._compact_panel):
            problems.append(f"{label}: {name} covered by another widget")
        elif not _focus_shows(app, window, widget):
            problems.append(f"{label}: {name} shows no clear focus ring when tabbed to")
    if area is not None:
        area.verticalScrollBar().setValue(0)
    panel = window._compact_panel
    if panel is not None and panel.isVisible():
        pframe = panel.frameGeometry()
        if not available.contains(pframe):
            problems.append(f"{label}: the panel {_r(pframe)} is outside the screen's available area")
        room = (available.width() >= frame.width() + pframe.width() + 48
                or available.height() >= frame.height() + pframe.height() + 48)
        if room and pframe.intersects(frame):
            problems.append(f"{label}: the panel {_r(pframe)} covers the window {_r(frame)} with room beside it")
        for widget in _named_controls(panel):
            rect = QRect(widget.mapToGlobal(widget.rect().topLeft()), widget.size())
            hint = widget.minimumSizeHint()
            if not available.contains(rect) or widget.width() < hint.width() or widget.height() < hint.height():
                problems.append(f"{label}: panel's {widget.objectName()} {_r(rect)} cut off")
        controls.extend(_named_controls(panel))
    return problems, len(controls)


MAIN_BUTTONS = ("continueButton", "cancelButton", "disconnectButton", "retryButton", "closeButton")


def _main_buttons_unscrolled(window, label: str) -> list[str]:
    """The page's main button (Dalej, Anuluj, Rozłącz, Spróbuj ponownie, Zamknij) in the window with the page
    scrolled to its top: "click the green button" never means "scroll down first"."""
    from PySide6.QtCore import QRect
    from PySide6.QtWidgets import QPushButton

    holder = window.stack.currentWidget()
    problems = []
    for name in MAIN_BUTTONS:
        button = holder.findChild(QPushButton, name)
        if button is None or not button.isVisible():
            continue
        area = _scroll_area_of(button)
        if area is not None:
            problems.append(f"{label}: {name} scrolls with the page (it is not pinned below it)")
            continue
        rect = QRect(button.mapToGlobal(button.rect().topLeft()), button.size())
        inside = QRect(window.mapToGlobal(window.rect().topLeft()), window.size())
        if not inside.contains(rect):
            problems.append(f"{label}: {name} {_r(rect)} not in the window {_r(inside)}")
    return problems


def unscrolled_session_problems(window, min_rows: int = 3) -> list[str]:
    """What a customer cannot see on the session page without scrolling at the window's current size:
    the ID, the password, the status, Rozłącz, and every line of the activity list (at least `min_rows`,
    each fully inside the list, the list not scrolled). Empty when all of it is in view at once."""
    from PySide6.QtCore import QRect

    def on_screen(widget) -> QRect:
        return QRect(widget.mapToGlobal(widget.rect().topLeft()), widget.size())

    page = window.session_page
    area = _scroll_area_of(page)
    problems: list[str] = []
    bar = area.verticalScrollBar()
    if bar.maximum() > 0:
        problems.append(f"the session page scrolls ({bar.maximum()} px more than its view)")
    bar.setValue(0)
    view = on_screen(area.viewport())
    inside = QRect(window.mapToGlobal(window.rect().topLeft()), window.size())
    for widget in (page.id_value, page.password_value, page.status, page.activity.list):
        if not (widget.isVisible() and view.contains(on_screen(widget))):
            problems.append(f"{widget.objectName()} {_r(on_screen(widget))} not in the page's view {_r(view)}")
    button = page.disconnect_button
    if not (button.isVisible() and inside.contains(on_screen(button))):
        problems.append(f"disconnectButton {_r(on_screen(button))} not in the window {_r(inside)}")
    rows = page.activity.list
    if rows.count() < min_rows:
        problems.append(f"only {rows.count()} activity lines to show, the check needs {min_rows}")
    if rows.verticalScrollBar().maximum() > 0:
        problems.append(f"the activity list scrolls ({rows.verticalScrollBar().maximum()} more)")
    shown = rows.viewport().rect()
    for i in range(rows.count()):
        item = rows.visualItemRect(rows.item(i))
        if not shown.contains(item):
            problems.append(f"activity line {i + 1} of {rows.count()} {_r(item)} not fully in the list {_r(shown)}")
    return problems


UNSCROLLED_CHECKED: list[str] = []  # the stages checked by unscrolled_session_problems
CREDENTIALS_CHECKED: list[str] = []  # the stages checked by credentials_problems
CREDENTIALS_MIN_SCREEN = (683, 384)  # the smallest screen (logical px) credentials_problems is asked for


def credentials_problems(window) -> list[str]:
    """At any size: what keeps a customer from reading the ID and the password without scrolling the
    session page (each fully inside the page's view, the page at its top) or from reaching Rozłącz (in
    the window), and whether the always-on-top panel lies over the ID or the password."""
    from PySide6.QtCore import QRect

    def on_screen(widget) -> QRect:
        return QRect(widget.mapToGlobal(widget.rect().topLeft()), widget.size())

    page = window.session_page
    area = _scroll_area_of(page)
    area.verticalScrollBar().setValue(0)
    view = on_screen(area.viewport())
    panel = window._compact_panel
    panel_frame = panel.frameGeometry() if panel is not None and panel.isVisible() else None
    problems = []
    for widget in (page.id_value, page.password_value):
        rect = on_screen(widget)
        if not (widget.isVisible() and view.contains(rect)):
            problems.append(f"{widget.objectName()} {_r(rect)} not in the page's view {_r(view)} unscrolled")
        elif panel_frame is not None and panel_frame.intersects(rect):
            problems.append(f"the panel {_r(panel_frame)} lies over {widget.objectName()} {_r(rect)}")
    button = page.disconnect_button
    inside = QRect(window.mapToGlobal(window.rect().topLeft()), window.size())
    if not (button.isVisible() and inside.contains(on_screen(button))):
        problems.append(f"disconnectButton {_r(on_screen(button))} not in the window {_r(inside)}")
    return problems


def _focus_shows(app, window, widget) -> bool:
    """A control reached with Tab looks clearly different: at least a one-pixel ring's worth of pixels
    around and on it change. Controls Tab never reaches (labels, disabled ones) pass."""
    from PySide6.QtCore import Qt

    if not widget.isEnabled() or not (widget.focusPolicy() & Qt.FocusPolicy.TabFocus):
        return True
    target = widget.window()
    rect = widget.geometry().adjusted(-4, -4, 4, 4)
    rect.moveTopLeft(widget.parentWidget().mapTo(target, rect.topLeft()))
    if not target.isActiveWindow():
        target.activateWindow()
        deadline = time.monotonic() + 5
        while not target.isActiveWindow() and time.monotonic() < deadline:
            app.processEvents()
            time.sleep(0.01)
    if widget.hasFocus():
        widget.clearFocus()
        _settle(app, target, frames_too=False)
    before = target.grab(rect).toImage()
    widget.setFocus(Qt.FocusReason.TabFocusReason)
    _settle(app, target, frames_too=False)
    after = target.grab(rect).toImage()
    widget.clearFocus()
    if not target.isActiveWindow():
        return False  # the window manager never gave the window the focus: a customer could not Tab either
    # a ring is drawn at the control's edge: compare a band along the edges, not the whole inside
    width, height, band = before.width(), before.height(), 10
    spots = {(x, y) for y in (*range(min(band, height)), *range(max(0, height - band), height)) for x in range(width)}
    spots |= {(x, y) for x in (*range(min(band, width)), *range(max(0, width - band), width)) for y in range(height)}
    changed = sum(1 for x, y in spots if before.pixel(x, y) != after.pixel(x, y))
    FOCUS_CHECKED.append((widget.objectName(), changed))
    return changed >= widget.width() + widget.height()


FOCUS_CHECKED: list[tuple[str, int]] = []  # (control, pixels changed) of every focus check


def _r(rect) -> str:
    return f"{rect.x()},{rect.y()} {rect.width()}x{rect.height()}"


def walk(app, lang: str, tmp: Path, shots: Path | None) -> tuple[list[str], int, int]:
    """Every page and every error page in `lang`: (problems, pages, controls)."""
    from launcher.config import load_config
    from launcher.core.errors import CATALOGUE, LauncherError
    from launcher.core.paths import app_paths
    from launcher.core.quicksupport.credentials import PasswordStatus
    from launcher.core.quicksupport.tvlog import TvEvent
    from launcher.ui.app import load_translations
    from launcher.ui.controller import Controller, State
    from launcher.ui.main_window import MainWindow
    from launcher.ui.screens import screen_of
    from tests.support.window_stages import show_check_running, show_consultant_at_work, show_download_running

    translators = load_translations(app, lang)
    config = load_config()
    controller = Controller(config, app_paths(str(tmp / lang)).ensure(), language=lang)
    window = MainWindow(controller)
    window.show()  # at the size it chose itself for this screen
    deadline = time.monotonic() + 20
    while not (window.isVisible() and window.startup_finished) and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.01)
    window.build_all_pages()
    problems: list[str] = []
    pages = controls = 0

    def check(name: str) -> None:
        nonlocal pages, controls
        found, count = audit_page(app, window, f"{lang} {name}")
        problems.extend(found)
        pages += 1
        controls += count
        if shots is not None:
            screen_of(window).grabWindow(0).save(str(shots / f"{lang}-{name}.png"))

    check("terms")
    show_check_running(controller, window, config)
    check("check")
    show_download_running(controller, window)
    check("download")
    controller._enter(State.STARTING)
    controller.watch.begin(controller.session)  # what starting QuickSupport does: the activity's language
    controller.sessionChanged.emit(controller.session)
    check("starting")
    controller._on_session_event(TvEvent(kind="id", when=None, tv_id="1660388656"))
    controller._on_session_event(TvEvent(kind="online", when=None))
    for status, until in ((PasswordStatus.NOT_READY, None), (PasswordStatus.FIXED, None),
                          (PasswordStatus.UNREADABLE, time.time() + 120), (PasswordStatus.GAVE_UP, None)):
        controller._on_password_status(status, until)
        check(f"session-password-{status.value}")
    controller._on_password("ab12cd")
    screen_size = screen_of(window).availableGeometry().size()
    # where the ID and the password fit side by side (683 px: 1366x768 at 200 %, 1024x600 at 150 %): both in
    # view without scrolling; narrower, the password goes under the ID and the page scrolls to it
    credentials_fit = screen_size.width() >= CREDENTIALS_MIN_SCREEN[0] and \
        screen_size.height() >= CREDENTIALS_MIN_SCREEN[1]
    if credentials_fit:
        _settle(app, window)
        problems += [f"{lang} session-waiting: {p}" for p in credentials_problems(window)]
    controller.idlePromptChanged.emit(True)
    check("session-waiting-prompt")
    controller.idlePromptChanged.emit(False)
    controller._on_session_event(TvEvent(kind="joined", when=None, tv_id="987654321", name="Anna Nowak",
                                         verdict="verified"))
    show_consultant_at_work(controller)
    window.session_page.spell_button.setChecked(True)
    check("session-connected")
    if credentials_fit:
        _settle(app, window)
        problems += [f"{lang} session-connected: {p}" for p in credentials_problems(window)]
        CREDENTIALS_CHECKED.append(f"{lang} session-connected")
    at_default = window.size().toTuple() == MainWindow.DEFAULT_SIZE and screen_of(window).devicePixelRatio() == 1
    if at_default:  # the window's real size: the whole session in view, no scrolling
        _settle(app, window)
        problems += [f"{lang} session-connected at 860x640: {p}" for p in unscrolled_session_problems(window)]
        UNSCROLLED_CHECKED.append(f"{lang} session-connected")
    controller.watch._on_ask()  # "Czy konsultant nadal Ci pomaga?": on the page and on the panel
    check("session-still-helping")
    if at_default:
        _settle(app, window)
        problems += [f"{lang} session-still-helping at 860x640: {p}" for p in unscrolled_session_problems(window)]
        UNSCROLLED_CHECKED.append(f"{lang} session-still-helping")
    controller.confirm_still_helping()
    controller._on_session_event(TvEvent(kind="left", when=None))
    check("session-ended-by-consultant")
    controller._enter(State.ENDED)
    window.ended_page.show_reason("idle", config.session.max_minutes)
    check("ended")
    state_of_step = {"terms": State.TERMS, "check": State.CHECK, "download": State.DOWNLOAD,
                     "session": State.SESSION, "app": State.TERMS}
    for code in sorted(CATALOGUE):
        controller.state = state_of_step[CATALOGUE[code].step]
        controller._fail(LauncherError(code))
        check(f"error-{code}")
    window.compact_panel.hide()
    controller.shutdown()
    controller.state = State.ENDED  # closes without asking
    window.close()
    window.compact_panel.deleteLater()
    window.deleteLater()
    controller.deleteLater()
    app.processEvents()
    for tr in translators:
        app.removeTranslator(tr)
    return problems, pages, controls


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", action="append", choices=("pl", "en"))
    parser.add_argument("--shots", type=Path)
    args = parser.parse_args(argv)
    from launcher.ui.app import create_app

    app = create_app()
    screen = app.primaryScreen()
    if args.shots:
        args.shots.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    pages = controls = 0
    with tempfile.TemporaryDirectory() as tmp:
        for lang in args.lang or ["pl", "en"]:
            found, n_pages, n_controls = walk(app, lang, Path(tmp), args.shots)
            problems += found
            pages += n_pages
            controls += n_controls
    geo, avail = screen.geometry(), screen.availableGeometry()
    print(json.dumps({"screen": [geo.width(), geo.height()], "available": [avail.x(), avail.y(), avail.width(),
                      avail.height()], "scale": screen.devicePixelRatio(), "problems": problems,
                      "pages": pages, "controls": controls, "focus_checked": len(FOCUS_CHECKED),
                      "unscrolled_checked": UNSCROLLED_CHECKED,
                      "credentials_checked": CREDENTIALS_CHECKED}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
