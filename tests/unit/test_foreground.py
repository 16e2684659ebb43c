"""QuickSupport's window comes to the front when the customer must read the password off it."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from launcher.core.download import open_verified
from launcher.core.manifest import Artifact
from launcher.core.quicksupport.foreground import bring_to_front
from launcher.core.quicksupport.launch import prepare
from launcher.core.quicksupport.session import QuickSupportSession
from launcher.demo.artifact import build_standin_artifact


def test_nothing_to_bring_forward():
    assert bring_to_front([]) is False


def test_a_process_without_windows_is_not_an_error():
    proc = subprocess.Popen(["sleep", "5"])
    try:
        assert bring_to_front([proc.pid]) is False
    finally:
        proc.kill()
        proc.wait()


@pytest.mark.skipif(shutil.which("xdotool") is None, reason="needs xdotool (apt-get install xdotool)")
def test_standin_window_gets_the_focus(a11y_desktop, tmp_path: Path):
    path, entry = build_standin_artifact(tmp_path / "www")
    data = path.read_bytes()
    art = Artifact(platform="linux-x86_64", url="http://127.0.0.1/teamviewer_qs.tar.gz", size=len(data),
                   sha256=hashlib.sha256(data).hexdigest(), version="demo", kind="tar.gz", entry=entry)
    session = QuickSupportSession(prepare(path, art, tmp_path / "run", open_verified), id_timeout_s=30)
    session.start()
    try:
        deadline = time.monotonic() + 30
        while not session.bring_to_front() and time.monotonic() < deadline:  # until its window is mapped
            session.poll()
            time.sleep(0.2)
        focused = subprocess.run(["xdotool", "getwindowfocus", "getwindowpid"], capture_output=True, text=True)
        assert int(focused.stdout.strip()) in session.pids
    finally:
        session.stop(grace_s=0.5)
