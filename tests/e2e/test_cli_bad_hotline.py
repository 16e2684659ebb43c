"""A config with nonsense hotline hours, time zone or phone number is refused the same way by every command and the
window, when the config loads: `ERROR CFG-INVALID` naming the key, exit 1, no traceback. (Only the window and
--self-test used to read the hours; the other commands took any text.) Real subprocesses."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

REPO = Path(__file__).resolve().parents[2]
CRASH_SIGNS = ("Traceback", "Fatal Python error", "Exception ignored")


def _run(args: list[str], tmp: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO), "LANG": "en_US.UTF-8", "TMPDIR": str(tmp),
           "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([sys.executable, "-m", "launcher", *args], stdin=subprocess.DEVNULL, capture_output=True,
                          text=True, env=env, cwd=tmp, timeout=120)


def _commands(tmp: Path) -> dict[str, list[str]]:
    some_file = tmp / "TeamViewerQS.exe"
    some_file.write_bytes(b"MZ not checked: the config is refused first")
    return {
        "doctor": ["doctor"],
        "doctor --demo": ["doctor", "--demo"],
        "fetch": ["fetch"],
        "verify": ["verify", str(some_file)],
        "session": ["session", "--no-input", "--for", "1"],
        "version": ["version"],
        "window": [],  # the GUI refuses it before any window opens (offscreen: no message box)
        "self-test": ["--self-test"],
    }


COMMANDS = ["doctor", "doctor --demo", "fetch", "verify", "session", "version", "window", "self-test"]
BAD = [("hours", "Mon-Fri 25:00-99:00"), ("hours", "Funday 8-16"), ("hours", ""),
       ("hours", "Mon-Fri 16:00-08:00"), ("timezone", "Europe"), ("phone", "")]


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize(("key", "value"), BAD)
def test_nonsense_hotline_values_are_refused_by_every_command(tmp_path, command, key, value):
    bad = tmp_path / "bad.toml"
    bad.write_text(f"[hotline]\n{key} = {json.dumps(value)}\n", encoding="utf-8")
    done = _run([*_commands(tmp_path)[command], "--config", str(bad)], tmp_path)
    assert done.returncode == 1, (done.stdout, done.stderr)
    assert done.stderr.startswith("ERROR CFG-INVALID: The program's configuration file is invalid."), done.stderr
    assert f"(hotline.{key}" in done.stderr, done.stderr
    assert not [sign for sign in CRASH_SIGNS if sign in done.stderr], done.stderr
    assert not list(tmp_path.glob("overmax-demo-*"))  # --demo's folder is not left behind


@pytest.mark.parametrize("command", ["doctor --demo", "version"])
def test_good_hotline_values_still_load(tmp_path, command):
    good = tmp_path / "good.toml"
    good.write_text('[hotline]\nhours = "pn-pt 8:00–16:00, sob 9-13"\ntimezone = "Europe/Warsaw"\n', encoding="utf-8")
    done = _run([*_commands(tmp_path)[command], "--config", str(good)], tmp_path)
    assert done.returncode == 0, (done.stdout, done.stderr)
    assert "CFG-INVALID" not in done.stderr


def test_a_window_that_cannot_show_the_refusal_prints_no_traceback(tmp_path):
    """The config is refused before the log is set up; if the box that says so cannot be shown either, the
    ERROR line already printed is all the console gets (Python's last-resort logging printed a traceback)."""
    script = ("import sys\nimport launcher.ui.app as app\n"
              "def broken():\n    raise RuntimeError('no display after all')\n"
              "app.create_app = broken\n"
              "import launcher.__main__ as m\n"
              "sys.exit(m.main(['--config', sys.argv[1]]))\n")
    bad = tmp_path / "bad.toml"
    bad.write_text('[hotline]\nhours = "Funday 8-16"\n', encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(REPO), "LANG": "en_US.UTF-8", "QT_QPA_PLATFORM": "minimal",
           "DISPLAY": ":0"}
    done = subprocess.run([sys.executable, "-c", script, str(bad)], stdin=subprocess.DEVNULL, capture_output=True,
                          text=True, env=env, cwd=tmp_path, timeout=120)
    assert done.returncode == 1
    assert done.stderr.startswith("ERROR CFG-INVALID: "), done.stderr
    assert not [sign for sign in CRASH_SIGNS if sign in done.stderr], done.stderr
    assert "could not show" not in done.stderr, done.stderr
