"""A customer with only a keyboard, on the real window (Qt's xcb platform on an Xvfb screen with openbox),
real key presses sent through the X server with xdotool, through the whole --demo flow (the loopback demo
server, the QuickSupport stand-in): tests/support/keyboard_walk.py.

Tab from where a page leaves the focus reaches the page's own controls and only named, visible ones (the
page's scroll area was an invisible Tab stop, and Tab went to the footer before the page); Space ticks the
boxes and Enter presses Dalej; the always-on-top panel appears without taking the keyboard; Enter, keypad
Enter and Esc never end a session, also with Rozłącz focused, and Space on it does; a minimised window comes
back to the front on a second start, still on the session page.
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


@pytest.mark.parametrize(("size", "scale", "lang"), [((1366, 768), "1", "pl"), ((1024, 600), "1.25", "en")],
                         ids=["1366x768-100pct-pl", "1024x600-125pct-en"])
def test_the_whole_flow_from_the_keyboard(size, scale, lang, tmp_path):
    with virtual_screen(*size) as display:
        env = {key: value for key, value in os.environ.items() if not key.startswith(("QT_", "WAYLAND"))}
        env.update(DISPLAY=display, QT_QPA_PLATFORM="xcb", QT_SCALE_FACTOR=scale, PYTHONPATH=str(REPO),
                   HOME=str(tmp_path), XDG_RUNTIME_DIR=str(tmp_path), TMPDIR=str(tmp_path))
        out = subprocess.run([sys.executable, "-m", "tests.support.keyboard_walk", "--lang", lang],
                             capture_output=True, text=True, env=env, cwd=REPO, timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    assert not out.stderr.strip(), out.stderr[-3000:]  # Qt warnings fail too
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["problems"] == []
    terms = result["stops"]["terms"]
    assert terms[0] in ("termsView", "originalTermsButton")  # English: "Show the Polish text" comes first
    assert {"termsView", "acceptTerms", "confirmHotline", "consentButton"} <= set(terms)
    assert "disconnectButton" in result["stops"]["session"]
