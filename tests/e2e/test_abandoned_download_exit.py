"""The program ending during a download whose server has stopped sending mid-body leaves no partial file in
the cache, and ends well before the download's read timeout: the window (SIGTERM, Ctrl+C, the window closed),
the `fetch` command (SIGTERM, Ctrl+C) and the `session` command (SIGTERM), each as a real process against a
real loopback server that sends the headers and the first part of the body, then nothing until the test ends."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from launcher.core.download import CHUNK
from tests.faults.conftest import ARTIFACT_PATH, MANIFEST_PATH, Supply
from tests.support.demo_config import write_config
from tests.support.loopback_http import LoopbackServer, Reply
from tests.support.polling import wait_until
from tests.support.processes import killed_if_left

pytestmark = [pytest.mark.e2e,
              pytest.mark.skipif(not sys.platform.startswith("linux"), reason="POSIX signals, tar.gz kind")]

REPO = Path(__file__).resolve().parents[2]
STALL_AT = CHUNK + 4096  # one whole chunk reaches the partial file, then the server sends nothing more
# The launcher's read timeout is 20 s (launcher.core.http.DEFAULT_TIMEOUT): a process that ends within this
# bound did not wait for it. A ceiling on a busy machine, not a wait: each test waits for the process's end.
ENDED_WITHIN_S = 15.0
STARTED_WITHIN_S = 60.0

# The real window (run_gui) driven as a customer drives it: both boxes ticked, Dalej. With a file's path as its
# second argument it closes its window, as the customer would, once that file exists (the test makes it when it
# has seen the download stall: closing on its own, the process could be gone before the test saw the stall).
GUI = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QCheckBox, QPushButton
from launcher.config import load_config
from launcher.core.paths import app_paths
from launcher.ui.app import create_app, run_gui

import os
close_when = sys.argv[2]
app = create_app()
config = load_config(sys.argv[1])
paths = app_paths(config.paths.data_dir).ensure()

def main_window():
    return next((w for w in QApplication.topLevelWidgets() if w.findChild(QCheckBox, "acceptTerms")), None)

def accept():
    window = main_window()
    if window is None:
        QTimer.singleShot(100, accept)
        return
    window.findChild(QCheckBox, "acceptTerms").setChecked(True)
    window.findChild(QCheckBox, "confirmHotline").setChecked(True)
    window.findChild(QPushButton, "continueButton").click()

def close_when_asked():
    if os.path.exists(close_when):
        main_window().close()
    else:
        QTimer.singleShot(50, close_when_asked)

QTimer.singleShot(100, accept)
if close_when:
    QTimer.singleShot(100, close_when_asked)
sys.exit(run_gui(config, paths, language="pl"))
"""


@pytest.fixture
def stalled(tmp_path: Path) -> Iterator[tuple[Supply, Path]]:
    """A vendor on loopback whose signed manifest is whole and whose QuickSupport stops after STALL_AT bytes;
    (the Supply, a config file for it). The stalled reply is released when the test ends."""
    released = threading.Event()
    with LoopbackServer() as vendor:
        supply = Supply(vendor, tmp_path)
        supply.publish(serve_artifact=False)
        vendor.serve(ARTIFACT_PATH, supply.body, Reply(hold=released, stall_after=STALL_AT))
        manifest_url = vendor.url(MANIFEST_PATH)
        config = write_config(tmp_path / "stalled.toml", {
            "manifest": {"url": manifest_url, "public_keys": [supply.public]},
            "download": {"allowed_hosts": ["127.0.0.1"], "proxy": ""},
            "connectivity": {"timeout_s": 5, "probes": [
                {"name": "download", "url": manifest_url},
                {"name": "teamviewer", "host": "127.0.0.1", "ports": [vendor.port]}]},
            "paths": {"data_dir": str(tmp_path / "data")},
        })
        try:
            yield supply, config
        finally:
            released.set()


def _env(tmp_path: Path) -> dict[str, str]:
    # its own per-user folders (the single-instance lock) and temporary folder
    return {**os.environ, "PYTHONPATH": str(REPO), "LANG": "pl_PL.UTF-8", "QT_QPA_PLATFORM": "offscreen",
            "XDG_DATA_HOME": str(tmp_path / "xdg-data"), "TMPDIR": str(tmp_path)}


def _partials(supply: Supply) -> list[Path]:
    cache = supply.paths.cache
    return sorted(cache.glob(".TeamViewerQS-*.part")) if cache.exists() else []


def _stalled_mid_body(supply: Supply, proc: subprocess.Popen) -> None:
    """Wait until the process's download has its first chunk on disk and waits for bytes that do not come."""

    def mid_body() -> bool:
        return any(_size(p) >= CHUNK for p in _partials(supply)) or proc.poll() is not None

    assert wait_until(mid_body, STARTED_WITHIN_S), "the download never reached the stall"
    assert proc.poll() is None, proc.communicate()
    assert len(supply.server.hits(ARTIFACT_PATH)) == 1


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return -1


def _ended(proc: subprocess.Popen, supply: Supply, signum: int | None) -> tuple[int, str, str, float]:
    """`signum` to `proc` (None: it ends by itself), then (exit code, stdout, stderr, seconds it took)."""
    started = time.monotonic()
    if signum is not None:
        proc.send_signal(signum)
    out, err = proc.communicate(timeout=ENDED_WITHIN_S)
    took = time.monotonic() - started
    assert "Traceback" not in err, err
    assert _partials(supply) == [], [p.name for p in _partials(supply)]
    assert [p.name for p in supply.paths.cache.iterdir()] == []  # nothing downloaded, nothing half-written
    return proc.returncode, out, err, took


@pytest.mark.parametrize("how", ["sigterm", "ctrl-c", "window closed"])
def test_the_window_ending_during_a_stalled_download_leaves_no_partial_file(stalled, tmp_path, how) -> None:
    supply, config = stalled
    close_when = tmp_path / "close-the-window" if how == "window closed" else None
    proc = subprocess.Popen([sys.executable, "-c", GUI, str(config), str(close_when or "")], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=_env(tmp_path), cwd=tmp_path)
    with killed_if_left(proc):
        _stalled_mid_body(supply, proc)
        signum = {"sigterm": signal.SIGTERM, "ctrl-c": signal.SIGINT, "window closed": None}[how]
        if close_when is not None:
            close_when.touch()  # the customer closes the window
        code, _out, err, took = _ended(proc, supply, signum)
    assert code == 0, err
    assert took < ENDED_WITHIN_S


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGTERM, 128 + signal.SIGTERM), (signal.SIGINT, 130)])
def test_the_fetch_command_ended_during_a_stalled_download_leaves_no_partial_file(stalled, tmp_path, signum,
                                                                                   code) -> None:
    supply, config = stalled
    proc = subprocess.Popen([sys.executable, "-m", "launcher", "fetch", "--config", str(config)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env(tmp_path),
                            cwd=tmp_path)
    with killed_if_left(proc):
        _stalled_mid_body(supply, proc)
        returncode, out, err, took = _ended(proc, supply, signum)
    assert returncode == code, (out, err)
    assert out == ""  # no path printed: nothing was verified
    assert took < ENDED_WITHIN_S


def test_the_session_command_stopped_during_a_stalled_download_leaves_no_partial_file(stalled, tmp_path) -> None:
    supply, config = stalled
    proc = subprocess.Popen([sys.executable, "-m", "launcher", "session", "--no-input", "--config", str(config)],
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=_env(tmp_path), cwd=tmp_path)
    with killed_if_left(proc):
        _stalled_mid_body(supply, proc)
        returncode, out, err, took = _ended(proc, supply, signal.SIGTERM)
    assert returncode == 0, (out, err)
    lines = out.splitlines()
    assert lines[0].startswith("CHECK OK") and "STOPPING sigterm" in lines, out
    assert lines[-1] == "STOPPED QuickSupport nie został uruchomiony; nic nie zostało.", out
    assert not any(line.startswith(("VERIFIED", "STARTED")) for line in lines), out
    assert took < ENDED_WITHIN_S
