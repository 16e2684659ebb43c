"""The whole flow fits a 1024x600 screen, also at 150 % scaling, and works from the keyboard."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QScrollArea

from launcher.core.errors import LauncherError
from launcher.ui.controller import State

REPO = Path(__file__).resolve().parents[2]


def test_window_fits_1024x600_at_150_percent(window):
    hint = window.minimumSizeHint().expandedTo(window.minimumSize())
    assert hint.width() <= 1024 / 1.5 and hint.height() <= 600 / 1.5


def test_pages_need_no_scrolling_at_1024x600(window, qtbot):
    window.resize(1024, 600)
    c = window.controller
    for state in (State.TERMS, State.CHECK, State.DOWNLOAD, State.SESSION, State.ENDED):
        c._enter(state)
        qtbot.wait(10)
        page = window.current_page()
        frame = page.parentWidget().parentWidget()  # page -> viewport -> its scroll area
        assert isinstance(frame, QScrollArea)
        assert page.minimumSizeHint().height() <= frame.viewport().height(), state


def test_enter_presses_the_primary_button_but_never_disconnects(window, qtbot):
    c = window.controller
    window.findChild(QCheckBox, "acceptTerms").setChecked(True)
    window.findChild(QCheckBox, "confirmHotline").setChecked(True)
    c.start_check = lambda: None  # noqa: E731 - no probes from this test; the click is what matters
    qtbot.keyClick(window, Qt.Key.Key_Return)
    assert c.consent is not None  # Enter pressed Dalej
    c._enter(State.SESSION)
    qtbot.keyClick(window, Qt.Key.Key_Return)
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert c.state is State.SESSION  # neither Enter nor Esc ends a session
    c._fail(LauncherError("NET-DNS"))
    c.start_check = lambda: c._enter(State.CHECK)  # noqa: E731
    qtbot.keyClick(window, Qt.Key.Key_Return)
    assert c.state is State.CHECK  # Enter pressed Spróbuj ponownie


def test_tab_order_reaches_every_terms_control(window, qtbot):
    names = []
    widget = window.findChild(QCheckBox, "acceptTerms")
    widget.setFocus()
    for _ in range(8):
        names.append(window.focusWidget().objectName() if window.focusWidget() else "")
        window.focusNextChild()
    assert "confirmHotline" in names


def test_app_starts_and_paints_at_150_percent_scale(tmp_path):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "QT_SCALE_FACTOR": "1.5", "PYTHONPATH": str(REPO)}
    code = (
        "import sys;from launcher.ui.app import create_app;from launcher.config import load_config;"
        "from launcher.core.paths import app_paths;from launcher.ui.controller import Controller;"
        "from launcher.ui.main_window import MainWindow;app=create_app();"
        f"c=load_config(overrides={{'paths':{{'data_dir':{str(tmp_path)!r}}}}});"
        "ctl=Controller(c,app_paths(c.paths.data_dir).ensure());w=MainWindow(ctl);w.resize(683,400);w.show();"
        "img=w.grab();print(img.width(),img.height(),img.devicePixelRatio());ctl.shutdown()"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert out.returncode == 0, out.stderr
    width, height, ratio = out.stdout.split()
    assert float(ratio) == 1.5 and int(width) >= 1000 and int(height) >= 590


def test_ctrl_alt_r_disconnects_only_during_a_session(window, qtbot):
    from launcher.core.quicksupport.tvlog import TvEvent

    c = window.controller
    qtbot.keyClick(window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
    assert c.state is State.TERMS  # nothing to disconnect: no effect
    c._enter(State.STARTING)
    c._on_session_event(TvEvent(kind="id", when=None, tv_id="123456789"))
    assert c.state is State.SESSION
    qtbot.keyClick(window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: c.state is State.ENDED, timeout=5000)


def test_id_and_password_are_large_and_monospace(window):
    from PySide6.QtGui import QFontInfo
    from PySide6.QtWidgets import QLabel

    window.session_page.set_password("zq7wk3xv")  # until it is read, a small italic placeholder stands there
    for name in ("sessionId", "sessionPassword"):
        label = window.findChild(QLabel, name)
        font = label.font()
        assert font.pointSizeF() >= 28, name
        assert QFontInfo(font).fixedPitch(), f"{name} is not shown in a monospace font"


def test_disconnect_stays_in_view_on_a_small_screen_with_banners(make_window, qtbot):
    from PySide6.QtWidgets import QPushButton

    from launcher.core.quicksupport.tvlog import TvEvent

    window = make_window({"manifest": {"url": "https://mirror.example/q.json"}}, demo=True)
    window.resize(683, 400)  # 1024x600 at 150 %
    c = window.controller
    c._enter(State.STARTING)
    c._on_session_event(TvEvent(kind="id", when=None, tv_id="123456789"))
    qtbot.wait(20)
    button = window.findChild(QPushButton, "disconnectButton")
    assert button.isVisible()
    top_left = button.mapTo(window, button.rect().topLeft())
    assert top_left.y() >= 0 and top_left.y() + button.height() <= window.height()
