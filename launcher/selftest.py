"""`--self-test`: prove an installed or frozen copy is whole without touching the network.

It starts Qt (offscreen unless a platform is forced), loads every shipped resource, the translations
and the config, builds the real main window with the real controller over a throwaway data folder,
waits for its first paint, paints every page, and exits 0. Anything missing exits 1 and says what
(`ERROR <CODE>: ...`). The last line is machine-readable for the benchmarks in tests/perf:
`SELFTEST OK first_paint_epoch=<s> peak_rss_kib=<KiB>`.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from launcher import APP_NAME, __version__
from launcher.cli.output import (
    EXIT_FAILED,
    EXIT_OK,
    attach_windows_console,
    exit_status,
    may_be_lost_output,
    print_error,
    say,
)
from launcher.cli.stopping import Stopped, StopRequest
from launcher.core.errors import LauncherError
from launcher.core.fsutil import remove_tree
from launcher.core.paths import temp_folder
from launcher.core.unique_names import create_folder

REQUIRED_RESOURCES = ("config.toml", "regulamin.txt", "regulamin_en.txt", "style.qss")
# The automation names DESIGN.md promises (objectName, with an accessibleName in the UI language): the
# vendor's UI automation, the phone guidance and the UI tests rely on them; a missing one means a broken build.
REQUIRED_NAMES = ("termsView", "acceptTerms", "confirmHotline", "continueButton", "checkList", "downloadProgress",
                  "cancelButton", "sessionId", "sessionPassword", "sessionStatus", "disconnectButton", "errorCode",
                  "errorMessage", "retryButton", "copyReportButton", "nonStandardBanner", "stepIndicator",
                  "activityList", "receiptView")
PAINT_TIMEOUT_S = 10.0
DEMO_TIMEOUT_S = 60.0
NATIVE_PLATFORM = {"linux": ("xcb", "wayland"), "win32": ("windows",), "darwin": ("cocoa",)}


def _say(text: str) -> None:
    say(text)


def peak_rss_kib() -> int:
    """Peak resident memory of this process so far, in KiB (0 where the OS won't say)."""
    if sys.platform.startswith("linux"):  # under Wine a Windows program would read Linux's file through Z:
        try:  # this process's own high-water mark (ru_maxrss would count the parent's size at fork)
            with open("/proc/self/status", encoding="ascii") as status:
                for line in status:
                    if line.startswith("VmHWM:"):
                        return int(line.split()[1])
        except OSError:
            pass
    try:
        import resource

        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak // 1024 if sys.platform == "darwin" else peak  # macOS reports bytes
    except ImportError:
        import psutil

        info = psutil.Process().memory_info()
        return getattr(info, "peak_wset", info.rss) // 1024


def check_resources() -> list[Path]:
    from launcher.resources import resource_path, resources_dir

    root = resources_dir()
    if not root.is_dir():
        raise LauncherError("APP-RESOURCE", f"resources folder missing: {root}")
    found = []
    for name in REQUIRED_RESOURCES:
        path = resource_path(name)
        try:
            if not path.read_text(encoding="utf-8").strip():
                raise LauncherError("APP-RESOURCE", f"{path} is empty")
        except (OSError, UnicodeDecodeError) as exc:
            raise LauncherError("APP-RESOURCE", f"{path}: {exc}") from exc
        found.append(path)
    return found


def expected_translations(lang: str) -> list[str]:
    """Our .qm files that must load: every one shipped, plus the one for `lang` wherever a .ts exists
    (source checkout) or the app is frozen (the build compiles every .ts)."""
    from launcher.resources import resource_path

    folder = resource_path("translations")
    names = {p.stem for p in folder.glob("launcher_*.qm")} if folder.is_dir() else set()
    has_sources = folder.is_dir() and any(folder.glob("launcher_*.ts"))
    if lang != "pl" and (has_sources or getattr(sys, "frozen", False)):
        names.add(f"launcher_{lang}")
    return sorted(names)


def check_calendar(hotline) -> str:
    """The hotline hours need the time zone database and the Polish public holidays, both easy to lose
    when frozen: run the app's own hotline code and check days every year has off."""
    from datetime import date, datetime
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    from launcher.core import hotline as hotline_mod

    try:
        year = datetime.now(ZoneInfo(hotline.timezone)).year
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise LauncherError("APP-RESOURCE", f"time zone {hotline.timezone!r}: {exc}") from exc
    try:
        status = hotline_mod.hotline_status(hotline)
        fixed = [date(year, 1, 1), date(year, 5, 3), date(year, 11, 11), date(year, 12, 25)]
        missing = [d.isoformat() for d in fixed if not hotline_mod.is_holiday(d)]
    except (ImportError, LookupError, NotImplementedError) as exc:
        raise LauncherError("APP-RESOURCE", f"Polish holidays calendar: {exc!r}") from exc
    if missing:
        raise LauncherError("APP-RESOURCE", f"Polish holidays calendar lacks {', '.join(missing)}")
    return f"time zone {hotline.timezone}, Polish public holidays, hotline {'open' if status.open else 'closed'} now"


def check_translations(app, lang: str) -> list[str]:
    from PySide6.QtCore import QLibraryInfo, QTranslator

    from launcher.resources import resource_path
    from launcher.ui.app import load_qt_translations, load_translations
    from launcher.ui.qt_paths import to_qt

    folder = str(resource_path("translations"))
    for name in expected_translations(lang):
        if not QTranslator(app).load(name, to_qt(folder)):
            raise LauncherError("APP-RESOURCE", f"translation {name}.qm missing or unreadable in {folder}")
    qt_name = f"qtbase_{lang}"
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if lang != "en" and not QTranslator(app).load(qt_name, qt_dir):
        raise LauncherError("APP-RESOURCE", f"Qt translation {qt_name}.qm missing in {qt_dir}")
    load_translations(app, lang)  # the same calls the GUI makes
    load_qt_translations(app, lang)
    return expected_translations(lang) + ([qt_name] if lang != "en" else [])


def check_native_platform_plugin() -> str:
    """Offscreen proves painting; this proves the plugin a customer's desktop needs was shipped too."""
    from PySide6.QtCore import QLibraryInfo

    folder = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)) / "platforms"
    wanted = NATIVE_PLATFORM.get(sys.platform, ())
    present = [p.name for p in folder.glob("*")] if folder.is_dir() else []
    for name in wanted:
        if not any(name in p for p in present):
            raise LauncherError("APP-RESOURCE", f"Qt platform plugin '{name}' missing in {folder}")
    return ", ".join(sorted(present))


def _wait_for_first_paint(app, window, stop: StopRequest | None = None) -> float:
    """Spin the event loop until the window has really been painted; returns time.time() of that paint."""
    if not spin_until(app, lambda: window.first_painted_at is not None, PAINT_TIMEOUT_S, stop):
        raise LauncherError("APP-INTERNAL", f"the window was not painted within {PAINT_TIMEOUT_S:.0f} s")
    return window.first_painted_at


def check_modules() -> int:
    """Import every module the app can run, so a frozen build missing one (a Qt module, a hidden import,
    a C extension) fails here instead of in front of a customer. Other OSes' backends are skipped."""
    import importlib
    import pkgutil

    import launcher

    other_os = {"win32": ("ax",), "darwin": ("uia",)}.get(sys.platform, ("uia", "ax"))
    names = [m.name for m in pkgutil.walk_packages(launcher.__path__, "launcher.")
             if m.name.rsplit(".", 1)[-1] not in other_os and m.name != "launcher.__main__"]
    if "launcher.ui.single_instance" not in names:  # a frozen importer that lists nothing proves nothing
        raise LauncherError("APP-RESOURCE", f"the program's modules cannot be listed (found {len(names)})")
    for name in names:
        try:
            importlib.import_module(name)
        except Exception as exc:  # noqa: BLE001 - name what is missing
            raise LauncherError("APP-RESOURCE", f"cannot import {name}: {exc!r}") from exc
    return len(names)


def _check_pixels(widget, label: str) -> None:
    pixmap = widget.grab()
    if pixmap.isNull() or pixmap.width() < 10 or pixmap.height() < 10:
        raise LauncherError("APP-INTERNAL", f"{label}: painting produced no image")
    image = pixmap.toImage()
    colours = {image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)}
    if len(colours) < 3:
        raise LauncherError("APP-INTERNAL", f"{label}: painted blank ({len(colours)} colours)")


def check_fonts(window) -> str:
    """Qt found fonts (offscreen on Windows it reads only `QT_QPA_FONTDIR`: launcher/ui/offscreen_fonts.py;
    without any, every glyph is an empty box) and which face shows the ID and password."""
    from PySide6.QtGui import QFontDatabase, QFontInfo
    from PySide6.QtWidgets import QLabel

    families = QFontDatabase.families()
    if not families:
        raise LauncherError("APP-INTERNAL", "Qt found no fonts: every letter would be drawn as an empty box")
    shown = QFontInfo(window.findChild(QLabel, "sessionId").font())
    kind = "monospace" if shown.fixedPitch() else "NOT monospace"
    return f"fonts: {len(families)} families; ID and password in {shown.family()} ({kind})"


def spin_until(app, until, timeout_s: float, stop: StopRequest | None = None) -> bool:
    """Run the event loop until `until()` holds (False after `timeout_s`). Events are handled the moment
    they come, as in app.exec(): a result another thread hands over is not left waiting for a sleep to end
    (the "Dalej" → ID figure counted such sleeps at each hand-over). Raises `launcher.cli.stopping.Stopped`
    once `stop` is set (a signal: see `run_self_test`)."""
    from PySide6.QtCore import QEventLoop, QTimer

    deadline = time.monotonic() + timeout_s
    wake = QTimer()  # so that the deadline is looked at when no event comes
    wake.start(50)
    try:
        while not until():
            _unless_stopped(stop)
            if time.monotonic() > deadline:
                return False
            app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
    finally:
        wake.stop()
    return True


def _unless_stopped(stop: StopRequest | None) -> None:
    if stop is not None and stop.is_set():
        raise Stopped(stop.reason)


def walk_demo_session(app, window, stop: StopRequest | None = None) -> tuple[int, float]:
    """--self-test --demo / --walk-session: the whole flow, clicked by the automation names the consultant
    guide uses, against the in-process demo server or the configured one: Regulamin -> check -> signed
    manifest -> verified download -> unpack -> QuickSupport (the demo's stand-in) -> its ID on the session
    page -> Rozłącz -> nothing left. Returns the peak RSS (KiB) at the session page and the seconds from
    the Dalej click to the ID painted there (what the customer waits for; the benchmarks read it)."""
    from PySide6.QtWidgets import QCheckBox, QLabel, QPushButton

    from launcher.ui.controller import State

    controller = window.controller
    window.findChild(QCheckBox, "acceptTerms").setChecked(True)
    window.findChild(QCheckBox, "confirmHotline").setChecked(True)
    session_id = window.findChild(QLabel, "sessionId")
    clicked = time.perf_counter()
    window.findChild(QPushButton, "continueButton").click()
    shown = spin_until(app, lambda: controller.state is State.ERROR or any(c.isdigit() for c in session_id.text()),
                       DEMO_TIMEOUT_S, stop)
    if controller.state is State.ERROR and controller.error is not None:
        raise controller.error
    if not shown:
        raise LauncherError("APP-INTERNAL", f"the demo session showed no ID within {DEMO_TIMEOUT_S:.0f} s "
                                            f"(state {controller.state.value})")
    session_id.repaint()  # painted now, not at the next turn of the event loop
    waited = time.perf_counter() - clicked
    peak = peak_rss_kib()
    _say(f"ok demo session: ID {session_id.text()} on the session page")
    window.findChild(QPushButton, "disconnectButton").click()
    if not spin_until(app, lambda: controller.state in (State.ENDED, State.ERROR), DEMO_TIMEOUT_S, stop):
        raise LauncherError("APP-INTERNAL", "the demo session did not end after Rozłącz")
    if controller.state is State.ERROR and controller.error is not None:
        raise controller.error
    _say("ok demo session ended by Rozłącz, nothing left running")
    return peak, waited


def _self_test(config_path: str | None, lang: str, data_dir: Path, demo: bool = False,
               walk: bool = False, stop: StopRequest | None = None) -> tuple[float, int]:
    """The window comes up exactly as in the GUI (start_gui); every check runs after its first paint, so
    the start-up time the benchmarks read off this is the app's own. Returns (first paint, session peak
    RSS in KiB, 0 without --demo or --walk-session)."""
    import contextlib

    from launcher.config import load_config
    from launcher.core.applog import setup_logging, shutdown_logging
    from launcher.core.paths import app_paths

    resources = check_resources()  # before anything reads them, so a missing one is named as such
    with contextlib.ExitStack() as stack:
        if demo:
            from launcher.demo.session import demo_environment

            config, paths = stack.enter_context(demo_environment(config_path))
        else:
            config = load_config(config_path)
            paths = app_paths(str(data_dir)).ensure()
        log_file = setup_logging(paths.logs, open_now=False, lang=lang)  # as the GUI does: opened after the first paint
        stack.callback(shutdown_logging)
        return _check_window(config, paths, config_path, lang, log_file, demo, demo or walk, resources, stop)


def _check_window(config, paths, config_path, lang: str, log_file: Path, demo: bool, walk: bool,
                  resources: list[Path], stop: StopRequest | None) -> tuple[float, int]:
    from launcher.ui.app import start_gui
    from launcher.ui.single_instance import lock_name

    started = start_gui(config, paths, language=lang, demo=demo,
                        instance_name=lock_name(f"self-test-{os.getpid()}"), lock_dir=paths.runtime)
    if started is None:
        raise LauncherError("APP-INTERNAL", "the self-test's own single-instance name was taken")
    app, window = started.app, started.window
    session_peak = 0
    try:
        first_paint = _wait_for_first_paint(app, window, stop)
        _say(f"{APP_NAME} {__version__} self-test ({'frozen' if getattr(sys, 'frozen', False) else 'source'}, "
             f"Python {sys.version.split()[0]}, {sys.platform})")
        _say("ok first window painted")
        if walk:  # first, so the memory measured at the session page is what a customer's run uses
            spin_until(app, lambda: window.startup_finished, PAINT_TIMEOUT_S, stop)
            session_peak, waited = walk_demo_session(app, window, stop)
            _say(f"ok Dalej -> ID on screen: dalej_to_id_s={waited:.6f}")
        for path in resources:
            _say(f"ok resource {path.name}")
        _say(f"ok config {config_path or 'built-in'}{' + demo' if demo else ''}{' (session walked)' if walk else ''}")
        if not app.styleSheet():
            raise LauncherError("APP-RESOURCE", "style.qss was not applied")
        from PySide6 import __version__ as pyside_version
        from PySide6.QtWidgets import QWidget

        _say(f"ok Qt {pyside_version} platform {app.platformName()}")
        from launcher.ui.qt_binding_check import EMITS, emit_leak

        if lost := emit_leak():
            raise LauncherError("APP-INTERNAL", f"PySide6 {pyside_version} loses a reference at every signal "
                                                f"emit ({lost} in {EMITS}): the app would crash mid-session")
        _say(f"ok signals ({EMITS} emits, no reference lost)")
        _say(f"ok platform plugins {check_native_platform_plugin()}")
        _say(f"ok translations {', '.join(check_translations(app, lang)) or 'none needed'}")
        _say(f"ok {check_calendar(config.hotline)}")
        _say(f"ok {check_modules()} modules import")
        _unless_stopped(stop)
        window.build_all_pages()
        missing = [n for n in REQUIRED_NAMES if window.findChild(QWidget, n) is None]
        if missing:
            raise LauncherError("APP-INTERNAL", f"widgets missing: {', '.join(missing)}")
        unnamed = [n for n in REQUIRED_NAMES if not window.findChild(QWidget, n).accessibleName().strip()]
        if unnamed:
            raise LauncherError("APP-INTERNAL", f"widgets without an accessible name: {', '.join(unnamed)}")
        _say(f"ok {len(REQUIRED_NAMES)} automation names")
        _say(f"ok {check_fonts(window)}")
        _check_pixels(window, "main window")
        stack = window.stack
        for i in range(stack.count()):  # every page must paint, not only the first one
            stack.setCurrentIndex(i)
            app.processEvents()
            _check_pixels(window, type(stack.widget(i)).__name__)
        stack.setCurrentIndex(0)
        _say(f"ok {stack.count()} pages painted")
        _unless_stopped(stop)
        if not log_file.is_file():
            raise LauncherError("APP-INTERNAL", f"the log file was not opened after the first paint: {log_file}")
        _say("ok log file")
    finally:
        window.hide()
        window.deleteLater()
        started.close()
        app.processEvents()
    return first_paint, session_peak


def run_self_test(config_path: str | None, lang: str, demo: bool = False, walk: bool = False,
                  stop: StopRequest | None = None) -> int:
    """The self-test in a throwaway data folder, removed at the end, also when `stop` is set meanwhile (Ctrl+C,
    SIGTERM: `launcher.__main__` sets it; then `Stopped` is raised once the folder is gone). 0 when whole, 1 with
    `ERROR <CODE>` otherwise."""
    attach_windows_console()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    # not tempfile.TemporaryDirectory, which spun on "access denied" (see launcher.core.unique_names), nor
    # tempfile.gettempdir(), which falls back to the current folder when the temporary one cannot be written
    temp = temp_folder()
    try:
        tmp = create_folder(temp, "overmax-selftest-")
    except OSError as exc:
        print_error(LauncherError("APP-DATA-DIR", f"{temp}: {exc}"), lang)
        return EXIT_FAILED
    try:
        first_paint, session_peak = _self_test(config_path, lang, tmp, demo, walk, stop)
        _unless_stopped(stop)
    except Stopped:
        raise  # after the folders' removal below: launcher.__main__ ends with the signal's exit code
    except LauncherError as exc:
        print_error(exc, lang)
        return exit_status(exc)
    except OSError as exc:
        if may_be_lost_output(exc):
            raise  # a reader gone or a full disk: said as for every command (launcher.__main__), not as a broken build
        return _broken_build(exc, lang)
    except Exception as exc:  # noqa: BLE001 - a broken build must say what broke, not crash
        return _broken_build(exc, lang)
    finally:
        try:
            remove_tree(tmp)
        except OSError as exc:  # Windows: a file another program still holds; the check's answer stands
            print(f"could not delete the self-test's folder {tmp}: {exc}", file=sys.stderr, flush=True)
    session = f" session_peak_rss_kib={session_peak}" if session_peak else ""
    _say(f"SELFTEST OK first_paint_epoch={first_paint:.6f} peak_rss_kib={peak_rss_kib()}{session}")
    return EXIT_OK


def _broken_build(exc: Exception, lang: str) -> int:
    """What broke, with its traceback: the self-test exists to find a broken build or installation."""
    import traceback

    traceback.print_exception(exc)
    print_error(LauncherError("APP-INTERNAL", repr(exc)), lang)
    return EXIT_FAILED
