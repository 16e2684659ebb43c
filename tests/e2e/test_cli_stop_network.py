"""Ctrl+C, SIGTERM and SIGHUP end `fetch`, `verify` and `doctor` at once while their server holds them up, with their
clean-up: a real process each, against a loopback server that stops sending mid-body or never answers at all.

The launcher's read timeout is 20 s (launcher.core.http.DEFAULT_TIMEOUT), the check's here 60 s, and the server
holds its reply for longer: a command that ends within ENDED_WITHIN_S did not wait for a timeout (the program
promises at most 2 s: launcher.core.cancel.EXIT_WAIT_S). Each test waits for the process's end, and fails only
when it has not come by that bound. The same runs in the Windows lane (tests/windows/test_cli_stop_windows.py),
where a KeyboardInterrupt was not delivered while the main thread was blocked in a socket read."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from launcher.core.download import CHUNK
from tests.faults.conftest import ARTIFACT_PATH, MANIFEST_PATH
from tests.support.held_vendor import PROBE_PATH, Vendor
from tests.support.loopback_http import LoopbackServer, Reply
from tests.support.polling import wait_until
from tests.support.processes import killed_if_left
from tests.support.sparse_file import HUGE, sparse_file

pytestmark = [pytest.mark.e2e, pytest.mark.skipif(not sys.platform.startswith("linux"), reason="POSIX signals")]

REPO = Path(__file__).resolve().parents[2]
ENDED_WITHIN_S = 10.0  # far above the 2 s promised, well under the 20 s read timeout a regression would wait
STARTED_WITHIN_S = 60.0
SIGNALS = [pytest.param(signal.SIGINT, 130, id="ctrl-c"), pytest.param(signal.SIGTERM, 143, id="sigterm"),
           pytest.param(signal.SIGHUP, 129, id="sighup")]  # the terminal or the SSH connection went away


@pytest.fixture
def vendor(tmp_path: Path):
    """`vendor(manifest=..., artifact=..., probe=...)`: a Vendor whose held replies are released at the end."""
    released = threading.Event()
    with LoopbackServer() as server:

        def make(**replies: Reply) -> Vendor:
            return Vendor(server, tmp_path, **replies)

        try:
            yield make, released
        finally:
            released.set()


def _env(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO), "LANG": "pl_PL.UTF-8", "QT_QPA_PLATFORM": "offscreen",
            "XDG_DATA_HOME": str(tmp_path / "xdg-data"), "TMPDIR": str(tmp_path)}


def _launch(tmp_path: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "launcher", *args], stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env(tmp_path),
                            cwd=tmp_path)


def _held(proc: subprocess.Popen, held: Callable[[], object]) -> None:
    """Wait until the process is held up by the server (`held()`), still running."""
    assert wait_until(lambda: held() or proc.poll() is not None, STARTED_WITHIN_S), "never reached the server"
    assert proc.poll() is None, proc.communicate()


def _stopped(proc: subprocess.Popen, signum: int) -> tuple[int, str, str]:
    """`signum` to the process; its exit code, stdout and stderr once it has ended (within ENDED_WITHIN_S)."""
    proc.send_signal(signum)
    ended = wait_until(lambda: proc.poll() is not None, ENDED_WITHIN_S)
    assert ended, f"still running {ENDED_WITHIN_S:.0f} s after the signal: it waited for a timeout"
    out, err = proc.communicate()
    assert "Traceback" not in err, err
    return proc.returncode, out, err


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return -1


@pytest.mark.parametrize(("signum", "code"), SIGNALS)
def test_fetch_stopped_while_its_download_stalls_mid_body(vendor, tmp_path, signum, code) -> None:
    make, released = vendor
    v = make(artifact=Reply(hold=released, stall_after=CHUNK + 4096))
    proc = _launch(tmp_path, "fetch", "--config", str(v.config))
    with killed_if_left(proc):
        _held(proc, lambda: any(_size(p) >= CHUNK for p in v.partials()))
        returncode, out, err = _stopped(proc, signum)
    assert returncode == code, (out, err)
    assert out == ""  # no path: nothing was verified
    assert v.cache() == []  # no partial file, nothing half-written


@pytest.mark.parametrize(("signum", "code"), SIGNALS)
@pytest.mark.parametrize("how", ["never-answers", "stalls-mid-body"])
def test_fetch_stopped_while_its_manifest_is_held(vendor, tmp_path, signum, code, how) -> None:
    make, released = vendor
    v = make(manifest=Reply(hold=released, stall_after=10 if how == "stalls-mid-body" else None))
    proc = _launch(tmp_path, "fetch", "--config", str(v.config))
    with killed_if_left(proc):
        _held(proc, lambda: v.server.hits(MANIFEST_PATH))
        returncode, out, err = _stopped(proc, signum)
    assert returncode == code, (out, err)
    assert out == ""
    assert v.cache() == []
    assert v.server.hits(ARTIFACT_PATH) == []


@pytest.mark.parametrize(("signum", "code"), SIGNALS)
@pytest.mark.parametrize("how", ["never-answers", "stalls-mid-body"])
def test_verify_stopped_while_its_manifest_is_held(vendor, tmp_path, signum, code, how) -> None:
    make, released = vendor
    v = make(manifest=Reply(hold=released, stall_after=10 if how == "stalls-mid-body" else None))
    operators = tmp_path / "TeamViewerQS.exe"
    operators.write_bytes(v.supply.body)
    proc = _launch(tmp_path, "verify", str(operators), "--config", str(v.config))
    with killed_if_left(proc):
        _held(proc, lambda: v.server.hits(MANIFEST_PATH))
        returncode, out, err = _stopped(proc, signum)
    assert returncode == code, (out, err)
    assert out == ""  # no OK: nothing was checked
    assert operators.read_bytes() == v.supply.body  # the operator's file is never touched


@pytest.mark.parametrize(("signum", "code"), SIGNALS)
def test_verify_stopped_mid_hash(vendor, tmp_path, signum, code) -> None:
    """The manifest is in and the operator's file (64 GiB, a sparse file: minutes of sha256) is being hashed. The
    hash looks at the stop between chunks (tests/faults/test_abandoned_download.py shows it ends at once; the
    command itself ended after cancel.EXIT_WAIT_S before, when it gave the hash up)."""
    make, _released = vendor
    v = make()
    operators = sparse_file(tmp_path / "TeamViewerQS.exe")
    proc = _launch(tmp_path, "verify", str(operators), "--config", str(v.config))
    with killed_if_left(proc):
        _held(proc, v.supply.paths.manifest_state_file.exists)  # the manifest verified: what is left is the hash
        returncode, out, err = _stopped(proc, signum)
    assert returncode == code, (out, err)
    assert out == ""  # no OK: nothing was checked
    assert operators.stat().st_size == HUGE  # the operator's file is never touched


@pytest.mark.parametrize(("signum", "code"), SIGNALS)
def test_doctor_stopped_while_a_probe_is_never_answered(vendor, tmp_path, signum, code) -> None:
    make, released = vendor
    v = make(probe=Reply(hold=released))  # the probe asks for the headers alone (HEAD): none come
    proc = _launch(tmp_path, "doctor", "--config", str(v.config))
    with killed_if_left(proc):
        _held(proc, lambda: v.server.hits(PROBE_PATH))
        returncode, out, err = _stopped(proc, signum)
    assert returncode == code, (out, err)
    assert out == ""  # no probe line: the check was not waited for
