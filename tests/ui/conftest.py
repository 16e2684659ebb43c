"""A real main window on a throw-away data folder; `make_window` for tests that need their own config."""

from __future__ import annotations

import pytest

from launcher.config import load_config
from launcher.core.paths import app_paths
from launcher.resources import resource_path
from launcher.ui.controller import Controller
from launcher.ui.main_window import MainWindow

STARTUP_TIMEOUT_MS = 60_000


@pytest.fixture
def make_window(qtbot, qapp, tmp_path):
    qapp.setStyleSheet(resource_path("style.qss").read_text(encoding="utf-8"))  # as create_app() does
    controllers = []

    def make(overrides: dict | None = None, language: str = "pl", **kwargs) -> MainWindow:
        # the built-in config (no banner) unless a test says otherwise; files go to a throw-away folder
        config = load_config(overrides=overrides)
        controller = Controller(config, app_paths(str(tmp_path / "data")).ensure(), language=language)
        controllers.append(controller)
        win = MainWindow(controller, **kwargs)
        qtbot.addWidget(win)
        win.show()
        # as a customer sees it a moment after start: painted, every page built, hotline hours shown. A
        # ceiling, not a wait: a process's first window loads the holiday calendar, 8 s under Wine on a
        # busy 2-core machine (the Windows lane), and 10 s was sometimes not enough
        qtbot.waitUntil(lambda: win.startup_finished, timeout=STARTUP_TIMEOUT_MS)
        return win

    yield make
    for controller in controllers:
        controller.shutdown()
    qapp.setStyleSheet("")


@pytest.fixture
def window(make_window):
    return make_window()


@pytest.fixture
def end_started_sessions(make_window, qtbot):
    """After the test: the session of every window tests.support.ui_session.remember() was given is ended
    (end_session: its always-on-top panel goes with it), then deferred deletes run."""
    from PySide6.QtCore import QCoreApplication, QEvent

    from tests.support.ui_session import STARTED, end_session

    yield
    while STARTED:
        end_session(STARTED.pop(), qtbot)
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@pytest.fixture
def translated(qapp):
    """`translated(language)` installs the UI language's translation as the app does before its first window;
    removed after the test."""
    from PySide6.QtWidgets import QApplication

    from launcher.ui.app import load_translations

    installed = []

    def install(language: str) -> None:
        installed.extend(load_translations(qapp, language))

    yield install
    for translator in installed:
        QApplication.instance().removeTranslator(translator)
