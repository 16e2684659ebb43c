"""Starting the launcher twice: the second start says APP-RUNNING and the first window comes forward."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.polling import wait_until
from tests.support.processes import terminate_and_wait

pytestmark = [pytest.mark.e2e,
              pytest.mark.skipif(sys.platform == "win32",
                                 reason="SIGTERM, and per-user folders redirected through HOME / XDG_*")]

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def user_env(tmp_path):
    """A user of our own: every per-user folder (lock, data, logs) under tmp_path."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(REPO), "HOME": str(tmp_path)}
    for var in ("XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME"):
        env[var] = str(tmp_path / var.lower())
    return env


def launcher_log(tmp_path: Path) -> str:
    logs = list(tmp_path.rglob("launcher.log"))
    return logs[0].read_text(encoding="utf-8") if logs else ""


def test_second_start_says_app_running_and_the_first_comes_forward(user_env, tmp_path):
    first = subprocess.Popen([sys.executable, "-m", "launcher", "--lang", "en"], env=user_env, cwd=tmp_path,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        # the log file opens right after the first paint; by then the lock is held and the socket listens
        assert wait_until(lambda: "first window painted" in launcher_log(tmp_path) or first.poll() is not None, 30), \
            "the first launcher never came up"
        assert first.poll() is None, first.stderr.read()
        second = subprocess.run([sys.executable, "-m", "launcher", "--lang", "en"], env=user_env, cwd=tmp_path,
                                capture_output=True, text=True, timeout=60)
        assert second.returncode == 1
        assert "ERROR APP-RUNNING" in second.stderr
        assert wait_until(lambda: "this window comes forward" in launcher_log(tmp_path), 10)
        assert first.poll() is None  # the first one is untouched
    finally:
        terminate_and_wait(first)
    assert first.returncode == 0
    # the first one has ended: a new start is the only launcher again and comes up normally
    third = subprocess.Popen([sys.executable, "-m", "launcher", "--lang", "en"], env=user_env, cwd=tmp_path,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert wait_until(lambda: launcher_log(tmp_path).count("first window painted") == 2, 30), \
            third.stderr.read() if third.poll() is not None else "no second first paint"
    finally:
        third.kill()
        third.wait()
