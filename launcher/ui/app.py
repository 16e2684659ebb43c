"""Create the QApplication, load translations and style, show the window, run the event loop."""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, QTranslator, qInstallMessageHandler
from PySide6.QtWidgets import QApplication

from launcher import APP_ID, APP_NAME, ORG_NAME, __version__
from launcher.cli.output import print_error
from launcher.config import Config
from launcher.core.errors import LauncherError
from launcher.core.paths import AppPaths
from launcher.resources import resource_path
from launcher.ui.garbage_collector import collect_on_gui_thread
from launcher.ui.offscreen_fonts import use_windows_fonts_offscreen
from launcher.ui.qt_paths import to_qt

if TYPE_CHECKING:
    from launcher.ui.controller import Controller
    from launcher.ui.main_window import MainWindow
    from launcher.ui.single_instance import SingleInstance
    from launcher.ui.unexpected_errors import UnexpectedErrors

log = logging.getLogger("launcher.qt")


def _qt_message(mode, context, message: str) -> None:  # routes Qt's own messages into our log
    log.warning("Qt: %s", message)


def _install(app: QApplication, name: str, folder: str) -> QTranslator | None:
    tr = QTranslator(app)
    if tr.load(name, to_qt(folder)):
        app.installTranslator(tr)
        return tr
    log.info("translation %s not found in %s", name, folder)
    return None


def load_translations(app: QApplication, language: str) -> list[QTranslator]:
    """Our .qm (source strings are Polish, so Polish needs none), before the first window: its text."""
    if language == "pl":
        return []
    tr = _install(app, f"launcher_{language}", str(resource_path("translations")))
    return [tr] if tr else []


def load_qt_translations(app: QApplication, language: str) -> list[QTranslator]:
    """Qt's own qtbase translations (context menus, standard buttons): nothing in the first window
    needs them, so the GUI loads them right after its first paint."""
    from PySide6.QtCore import QLibraryInfo

    tr = _install(app, f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
    return [tr] if tr else []


def set_window_icon(app: QApplication) -> None:
    """The window and taskbar icon (set right after the first paint: the first window shows without it)."""
    from PySide6.QtGui import QIcon

    icon = resource_path("icons", "app.png")
    if icon.is_file():
        app.setWindowIcon(QIcon(to_qt(icon)))


def finish_app_setup(app: QApplication, language: str) -> None:
    """What the GUI adds right after its first paint: the icon and Qt's own translations."""
    set_window_icon(app)
    load_qt_translations(app, language)


def create_app(argv: list[str] | None = None) -> QApplication:
    use_windows_fonts_offscreen()  # the self-test's offscreen Qt on Windows reads Windows' fonts
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    if not getattr(app, "garbage_collector", None):
        app.garbage_collector = collect_on_gui_thread(app)  # cycles are freed on this thread only
    app.setApplicationName(APP_ID)
    app.setApplicationDisplayName(APP_NAME)
    app.setOrganizationName(ORG_NAME)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("eu.overmax.pomoczdalna")  # the window icon on Wayland
    style = resource_path("style.qss")
    if style.is_file():
        app.setStyleSheet(style.read_text(encoding="utf-8"))
    return app


@dataclass(frozen=True)
class Started:
    """What `start_gui` brought up; the caller runs the event loop (run_gui) or checks it (--self-test)."""

    app: QApplication
    controller: Controller
    window: MainWindow
    instance: SingleInstance
    unexpected_errors: UnexpectedErrors  # installed; `close()` uninstalls it

    def close(self) -> None:
        """What the caller ends once the event loop is over: the controller's work, the lock, the hooks."""
        self.controller.shutdown()
        self.instance.release()
        self.unexpected_errors.uninstall()


def start_gui(config: Config, paths: AppPaths, *, language: str, demo: bool = False,
              instance_name: str | None = None, lock_dir: Path | None = None) -> Started | None:
    """The one way the window comes up: Qt, translations, the single-instance guard, the controller and
    the main window, shown. None if another launcher is running (it was asked to come forward).

    What the first window does not need waits for its first paint: the log file (records are kept in
    memory until then), the single-instance socket, the other pages and the hotline calendar.
    """
    from launcher.core.applog import open_log_file_or_warn
    from launcher.ui.controller import Controller
    from launcher.ui.main_window import MainWindow
    from launcher.ui.single_instance import SingleInstance, default_lock_dir, lock_name
    from launcher.ui.unexpected_errors import UnexpectedErrors

    app = create_app()
    qInstallMessageHandler(_qt_message)
    load_translations(app, language)
    lock_dir = lock_dir or default_lock_dir()
    name = instance_name or lock_name(str(lock_dir))
    instance = SingleInstance(name, lock_dir)
    if not instance.acquire():
        if instance.ask_first_to_come_forward():
            log.info("another instance is running: asked it to come forward")
            return None
        # it did not come forward (busy, or still starting): say so in a window, not only on stderr
        raise LauncherError("APP-RUNNING", "another launcher holds the lock but did not answer")
    controller = Controller(config, paths, language=language)
    window = MainWindow(controller, demo=demo)
    unexpected = UnexpectedErrors(controller).install()
    # queued: the controller acts once the code that raised has unwound
    unexpected.raised.connect(controller.on_unexpected_error, Qt.ConnectionType.QueuedConnection)
    instance.raiseRequested.connect(window.on_second_start)
    window.firstPainted.connect(partial(finish_app_setup, app, language))
    window.firstPainted.connect(open_log_file_or_warn)
    window.firstPainted.connect(instance.listen)
    window.show()
    return Started(app, controller, window, instance, unexpected)


def run_gui(config: Config, paths: AppPaths, *, language: str, demo: bool = False) -> int:
    started = start_gui(config, paths, language=language, demo=demo)
    if started is None:
        print_error(LauncherError("APP-RUNNING"), language)  # its window came forward: nothing to show
        return 1
    app, window = started.app, started.window

    ticker = QTimer()  # lets Python run its signal handlers while Qt's loop is idle
    ticker.timeout.connect(lambda: None)

    def _handle_signals() -> None:
        """Ctrl+C / SIGTERM end the session the same way closing the window does (from the first paint
        on: before it there is no session to end)."""
        import signal

        def _on_signal(signum, frame) -> None:
            QTimer.singleShot(0, window.close)

        signal.signal(signal.SIGINT, _on_signal)
        signal.signal(signal.SIGTERM, _on_signal)
        ticker.start(250)

    if window.first_painted_at is None:
        window.firstPainted.connect(_handle_signals)
    else:
        _handle_signals()
    app.setQuitOnLastWindowClosed(True)
    try:
        return app.exec()
    finally:
        started.close()
