"""The launcher as a real process: SIGTERM / Ctrl+C disconnect first, and even kill -9 leaves nothing running."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support.polling import wait_until
from tests.support.processes import processes_mentioning

pytestmark = [pytest.mark.e2e,
              pytest.mark.skipif(not sys.platform.startswith("linux"), reason="POSIX signals, Linux demo stand-in")]

REPO = Path(__file__).resolve().parents[2]

# Drives the real run_gui() in --demo mode the way a customer would: ticks both boxes, clicks Dalej.
SCRIPT = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QCheckBox, QPushButton
from launcher.demo.session import demo_environment
from launcher.ui.app import create_app, run_gui

app = create_app()

def accept():
    for w in QApplication.topLevelWidgets():
        box = w.findChild(QCheckBox, "acceptTerms")
        if box is not None:
            box.setChecked(True)
            w.findChild(QCheckBox, "confirmHotline").setChecked(True)
            w.findChild(QPushButton, "continueButton").click()
            return
    QTimer.singleShot(100, accept)

QTimer.singleShot(100, accept)
with demo_environment() as (config, paths):
    print("RUNTIME", paths.runtime, flush=True)
    sys.exit(run_gui(config, paths, language="pl", demo=True))
"""


@pytest.fixture
def launcher_process(tmp_path):
    # its own per-user folders (the single-instance lock) and temporary folder: a launcher anyone else runs
    # on this machine must not make this one stop with APP-RUNNING
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(REPO),
           "XDG_DATA_HOME": str(tmp_path / "xdg-data"), "TMPDIR": str(tmp_path)}
    proc = subprocess.Popen([sys.executable, "-c", SCRIPT], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env, cwd=tmp_path)
    try:  # a launcher whose start failed must not outlive the test either (it would hold the lock)
        line = proc.stdout.readline()
        assert line.startswith("RUNTIME "), proc.stderr.read() if proc.poll() is not None else line
        marker = line.split(" ", 1)[1].strip()
        assert wait_until(lambda: processes_mentioning(marker) or proc.poll() is not None, 60)
        why = proc.stderr.read() if proc.poll() is not None else ""
        assert processes_mentioning(marker), f"QuickSupport stand-in never started: {why}"
        yield proc, marker
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_sigterm_and_ctrl_c_disconnect_before_exit(launcher_process, signum):
    proc, marker = launcher_process
    time.sleep(0.5)  # let the session settle (ID shown)
    proc.send_signal(signum)
    proc.wait(timeout=30)
    assert processes_mentioning(marker) == []  # gone by the time the launcher exits, not later


def test_kill_9_of_the_launcher_leaves_no_quicksupport(launcher_process):
    proc, marker = launcher_process
    proc.kill()  # SIGKILL: no handler runs; the death signal and the watchdog must do it
    proc.wait(timeout=10)
    assert wait_until(lambda: processes_mentioning(marker) == [], 15), [p.info for p in processes_mentioning(marker)]
