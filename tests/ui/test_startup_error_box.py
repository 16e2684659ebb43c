"""The box shown when the window cannot start (a config refused, no data folder): code, what happened, what to do,
and the technical detail behind "Show Details..." for the consultant (it went to standard error only, which a
program started from a shortcut has nowhere to show). Offscreen for its content; on a real X screen for what a
customer does with it: it appears, Enter closes it, the program ends with its code."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from launcher import APP_NAME
from launcher.core.errors import LauncherError
from launcher.ui.startup_error import startup_error_box
from tests.support.polling import wait_until
from tests.support.xserver import missing_tools, virtual_screen

REPO = Path(__file__).resolve().parents[2]


def test_the_box_says_the_code_the_sentences_and_keeps_the_detail_for_the_consultant(qapp):
    detail = "unknown keys: [hotline] fax <b>bold</b>"
    box = startup_error_box(LauncherError("CFG-INVALID", detail), "pl", "Zadzwoń na infolinię.")
    try:
        assert box.objectName() == "startupErrorBox" and box.windowTitle() == APP_NAME
        assert box.text().startswith("CFG-INVALID\n\nPlik konfiguracji programu jest nieprawidłowy.")
        assert box.text().endswith("Zadzwoń na infolinię.")
        assert box.detailedText() == detail  # as written: the box shows plain text, never HTML
        assert box.textFormat() == Qt.TextFormat.PlainText and box.icon() == QMessageBox.Icon.Critical
    finally:
        box.deleteLater()


def test_without_a_detail_there_is_no_details_button(qapp):
    box = startup_error_box(LauncherError("APP-DATA-DIR"), "en", "Start the program again.")
    try:
        assert box.detailedText() == "" and box.text().startswith("APP-DATA-DIR\n\n")
    finally:
        box.deleteLater()


_missing = missing_tools() + ([] if shutil.which("xdotool") else ["xdotool"]) \
    if sys.platform.startswith("linux") else ["Linux (X11)"]


@pytest.mark.skipif(bool(_missing), reason=f"needs {', '.join(_missing)} (scripts/system-deps.sh)")
def test_a_refused_config_shows_the_box_on_a_real_screen_and_enter_ends_the_program(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[hotline]\nfax = "61 000 00 00"\n', encoding="utf-8")
    with virtual_screen(1024, 600) as display:
        env = {key: value for key, value in os.environ.items() if not key.startswith(("QT_", "WAYLAND"))}
        env.update(DISPLAY=display, QT_QPA_PLATFORM="xcb", HOME=str(tmp_path), XDG_RUNTIME_DIR=str(tmp_path))
        proc = subprocess.Popen([sys.executable, "-m", "launcher", "--lang", "pl", "--config", str(bad)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=REPO)
        try:
            def box_window() -> str:
                found = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", f"^{APP_NAME}$"],
                                       capture_output=True, text=True, env=env, timeout=30)
                return found.stdout.split()[0] if found.stdout.split() else ""

            assert wait_until(lambda: bool(box_window()) or proc.poll() is not None, 60), "no box appeared"
            assert proc.poll() is None, proc.communicate()
            window = box_window()
            subprocess.run(["xdotool", "windowactivate", "--sync", window], env=env, timeout=30)
            subprocess.run(["xdotool", "key", "--window", window, "Return"], env=env, timeout=30)
            out, err = proc.communicate(timeout=60)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.communicate()
    assert proc.returncode == 1, err
    assert err.startswith("ERROR CFG-INVALID: Plik konfiguracji programu jest nieprawidłowy.") and "fax" in err
    assert "Traceback" not in err
