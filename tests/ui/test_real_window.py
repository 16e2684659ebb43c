"""The real window, as a customer sees it: Qt's xcb platform on an Xvfb screen with a window manager.

On 800x600, 1024x600, 1280x720, 1366x768 and 1920x1080 screens, at 100 %, 125 %, 150 % and 200 % scaling (down
to 533x360 logical px), in Polish and English, on every page and every error page
(tests/support/window_audit.py): the window opens at a size that fits the screen's available area (frame
included), no page is wider than its window, every control with an automation name is fully on screen and not
covered; from 683x384 logical px up the session page shows the ID and the password without scrolling and not
under the always-on-top panel. One app process per screen and scale walks every page in both languages; one
Xvfb per screen size.

Where the window opens at its real size (860x640: the screens from 1280x720 up, at 100 %), the connected
session page with a consultant and four activity lines shows the ID, the password, Rozłącz and every line
without scrolling, with and without "Czy konsultant nadal Ci pomaga?" on it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.xserver import missing_tools, virtual_screen

REPO = Path(__file__).resolve().parents[2]
SCREENS = [(800, 600), (1024, 600), (1280, 720), (1366, 768), (1920, 1080)]
SCALES = ["1", "1.25", "1.5", "2"]
# The smallest screen (logical px: the screen's size over the scale) the window is made for: 800x600 at
# 150 %. Below it (800x600 and 1024x600 at 200 %: 400x300, 512x300; Windows does not offer these scales
# there, only a custom scaling can) the window's minimum size and a 54 px tall page are not a layout.
SMALLEST_LOGICAL = (533, 360)

_missing = missing_tools() if sys.platform.startswith("linux") else ["Linux (X11)"]
pytestmark = pytest.mark.skipif(bool(_missing), reason=f"needs {', '.join(_missing)} (scripts/system-deps.sh)")


def audit(display: str, scale: str, tmp_path: Path, *, shots: Path | None = None) -> dict:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("QT_", "WAYLAND"))}
    env.update(DISPLAY=display, QT_QPA_PLATFORM="xcb", QT_SCALE_FACTOR=scale, PYTHONPATH=str(REPO),
               HOME=str(tmp_path), XDG_RUNTIME_DIR=str(tmp_path))
    cmd = [sys.executable, "-m", "tests.support.window_audit", "--lang", "pl", "--lang", "en"]
    if shots is not None:
        cmd += ["--shots", str(shots)]
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=REPO, timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    assert not out.stderr.strip(), out.stderr[-3000:]  # Qt warnings (layout, xcb, style sheet) fail too
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module", params=SCREENS, ids=[f"{w}x{h}" for w, h in SCREENS])
def screen(request):
    width, height = request.param
    with virtual_screen(width, height) as display:
        yield display, width, height


@pytest.mark.parametrize("scale", SCALES, ids=[f"{round(float(s) * 100)}pct" for s in SCALES])
def test_every_page_fits_and_shows_every_control(screen, scale, tmp_path):
    display, width, height = screen
    if width / float(scale) < SMALLEST_LOGICAL[0] or height / float(scale) < SMALLEST_LOGICAL[1]:
        pytest.skip(f"{width}x{height} at {scale}: below the smallest screen the window is made for")
    result = audit(display, scale, tmp_path)
    assert abs(result["screen"][0] - width / float(scale)) <= 1  # the scaling took effect
    assert result["pages"] >= 2 * 15  # both languages, every page and every error page
    assert result["controls"] > result["pages"] * 3
    assert result["problems"] == []
    if scale == "1" and height - 48 >= 640:  # room for 860x640 with the window manager's title bar
        assert result["unscrolled_checked"] == [f"{lang} {stage}" for lang in ("pl", "en")
                                                for stage in ("session-connected", "session-still-helping")]
    if width / float(scale) >= 683 and height / float(scale) >= 384:  # ID and password side by side
        assert result["credentials_checked"] == ["pl session-connected", "en session-connected"]
