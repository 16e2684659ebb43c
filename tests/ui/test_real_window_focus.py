"""Where the keyboard focus goes and how small the window gets, on the real window (Qt's xcb platform on an
Xvfb screen with openbox), with real key presses and a real window-manager resize: tests/support/focus_walk.py.

- An answered question („Czy nadal czekasz na konsultanta?”, „Czy konsultant nadal Ci pomaga?”, on the page
  and on the always-on-top panel) never hands the focus to a Rozłącz: a stray Space (or a consultant's key
  during remote control) ended the session after „Tak, czekam”. Rozłącz is still reached with Tab.
- The error page's focus starts on the button Enter presses (it was on „Kopiuj raport” while Enter pressed
  „Spróbuj ponownie”); an error with no retry has Zamknij, which Enter presses and which closes the window.
- Enter on the focused „Co zaakceptowałem(-am)?” opens it (only Space did).
- The window dragged to 200x150 stops at a minimum (it went down to 390x250, the green button a clipped
  sliver) that still fits the smallest supported screen, every page's main button whole there.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.xserver import missing_tools, virtual_screen

REPO = Path(__file__).resolve().parents[2]

_missing = missing_tools() if sys.platform.startswith("linux") else ["Linux (X11)"]
if sys.platform.startswith("linux") and shutil.which("xdotool") is None:
    _missing.append("xdotool")
pytestmark = pytest.mark.skipif(bool(_missing), reason=f"needs {', '.join(_missing)} (scripts/system-deps.sh)")


def _walk(check: str, lang: str, tmp_path: Path, size=(1366, 768), scale="1") -> dict:
    with virtual_screen(*size) as display:
        env = {key: value for key, value in os.environ.items() if not key.startswith(("QT_", "WAYLAND"))}
        env.update(DISPLAY=display, QT_QPA_PLATFORM="xcb", QT_SCALE_FACTOR=scale, PYTHONPATH=str(REPO),
                   HOME=str(tmp_path), XDG_RUNTIME_DIR=str(tmp_path), TMPDIR=str(tmp_path))
        out = subprocess.run([sys.executable, "-m", "tests.support.focus_walk", check, "--lang", lang],
                             capture_output=True, text=True, env=env, cwd=REPO, timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    assert not out.stderr.strip(), out.stderr[-3000:]  # Qt warnings fail too
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("lang", ["pl", "en"])
def test_an_answered_question_never_hands_the_focus_to_rozlacz(lang, tmp_path):
    result = _walk("focus", lang, tmp_path)
    assert result["problems"] == []
    seen = result["seen"]
    assert seen["idle"] == seen["confirm"] == seen["window_again"] == "copyIdButton"
    assert seen["panel"] == "restoreButton"
    assert seen["NET-HTTPS"] == "retryButton"
    assert seen["SEC-UNKNOWN-SUPPORTER"] == "closeButton"
    assert seen["consent"]


@pytest.mark.parametrize(("size", "scale", "lang"), [((1366, 768), "1", "pl"), ((800, 600), "1.5", "en")],
                         ids=["1366x768-100pct-pl", "800x600-150pct-en"])
def test_the_window_stops_at_a_minimum_that_keeps_every_page_readable(size, scale, lang, tmp_path):
    result = _walk("minimum", lang, tmp_path, size, scale)
    assert result["problems"] == []
    width, height = result["smallest"]["size"]
    assert width >= 400 and height >= 300
