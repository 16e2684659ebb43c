"""running_teamviewers: what counts as a TeamViewer already running."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import psutil
import pytest

from launcher.core.quicksupport.session import running_teamviewers
from tests.support.polling import wait_until

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="zombies and /bin/sleep: Linux")


def test_a_running_teamviewer_counts_and_an_unreaped_ended_one_does_not(tmp_path: Path):
    program = tmp_path / "TeamViewer"
    shutil.copyfile(shutil.which("sleep") or "/bin/sleep", program)
    program.chmod(0o755)
    proc = subprocess.Popen([str(program), "30"])
    try:
        assert wait_until(lambda: proc.pid in [p.pid for p in running_teamviewers()])
        proc.kill()
        # not reaped yet: a zombie still named TeamViewer
        assert wait_until(lambda: psutil.Process(proc.pid).status() == psutil.STATUS_ZOMBIE)
        assert proc.pid not in [p.pid for p in running_teamviewers()]
    finally:
        proc.kill()
        proc.wait()
