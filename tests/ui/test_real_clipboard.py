"""The copied TeamViewer password through a real X server: the launcher's window on Qt's xcb platform (Xvfb
with openbox), xclip reading the clipboard as a clipboard manager (Klipper, CopyQ, GPaste) does, from another
process (tests/support/clipboard_check.py). A clipboard manager sees the password marked as a secret
(`x-kde-passwordManagerHint` = `secret`, which they skip), the ID unmarked, and nothing of the password once the
session has ended. Windows' formats cannot be seen here (Qt's windows platform does not start under Wine):
tests/ui/test_secret_clipboard.py checks what the launcher hands Qt for them."""

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
if sys.platform.startswith("linux") and shutil.which("xclip") is None:
    _missing.append("xclip")
pytestmark = pytest.mark.skipif(bool(_missing), reason=f"needs {', '.join(_missing)} (scripts/system-deps.sh)")


def test_a_clipboard_manager_sees_the_password_marked_and_then_gone(tmp_path):
    with virtual_screen(1366, 768) as display:
        env = {key: value for key, value in os.environ.items() if not key.startswith(("QT_", "WAYLAND"))}
        env.update(DISPLAY=display, QT_QPA_PLATFORM="xcb", PYTHONPATH=str(REPO), HOME=str(tmp_path),
                   XDG_RUNTIME_DIR=str(tmp_path), TMPDIR=str(tmp_path))
        out = subprocess.run([sys.executable, "-m", "tests.support.clipboard_check", "--data", str(tmp_path / "data")],
                             capture_output=True, text=True, env=env, cwd=REPO, timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    assert not out.stderr.strip(), out.stderr[-3000:]  # Qt warnings fail too
    seen = json.loads(out.stdout.strip().splitlines()[-1])
    assert "x-kde-passwordManagerHint" in seen["targets"]
    assert seen["hint"] == "secret"
    assert seen["text"] == "k7wq2mzp"
    assert "x-kde-passwordManagerHint" not in seen["id_targets"]  # the ID is no secret: histories may keep it
    assert seen["after_end"] != "k7wq2mzp"
