"""Two launchers starting QuickSupport at the same moment: both looked before either started, so the look
after the start decides: the later one ends its own at once (QS-ALREADY), the earlier one goes on. Real
stand-in processes; the other launcher's QuickSupport is a real process carrying the launcher mark."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

from launcher.core.download import open_verified
from launcher.core.errors import LauncherError
from launcher.core.manifest import Artifact
from launcher.core.quicksupport import session as session_module
from launcher.core.quicksupport.launch import child_env, prepare
from launcher.core.quicksupport.session import QuickSupportSession
from launcher.demo.artifact import build_standin_artifact
from tests.support.polling import poll_until, wait_until
from tests.support.processes import alive_pids

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the Linux demo stand-in")


@pytest.fixture
def prepared(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    monkeypatch.setenv("OVERMAX_DEMO_JOIN_AFTER", "-1")
    path, entry = build_standin_artifact(tmp_path / "www")
    data = path.read_bytes()
    art = Artifact(platform="linux-x86_64", url="http://127.0.0.1/teamviewer_qs.tar.gz", size=len(data),
                   sha256=hashlib.sha256(data).hexdigest(), version="demo", kind="tar.gz", entry=entry)
    return prepare(path, art, tmp_path / "run", open_verified)


@pytest.fixture
def rivals():
    """The other launcher's QuickSupport: a process with the launcher mark of this test's family."""
    started: list[subprocess.Popen] = []

    def start() -> subprocess.Popen:
        # a Python, as the --demo stand-in is (session.MARKED_NAMES)
        proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"], env=child_env())
        started.append(proc)
        return proc

    yield start
    for proc in started:
        proc.kill()
        proc.wait()


def _spawn_with(monkeypatch, before: bool, rivals) -> list[subprocess.Popen]:
    """session.spawn, with the other launcher's start just before ours (`before`) or just after it: both
    after our look for one that runs."""
    real = session_module.spawn
    made: list[subprocess.Popen] = []

    def spawn(*args, **kwargs):
        if before:
            made.append(rivals())
        proc = real(*args, **kwargs)
        if not before:
            made.append(rivals())
        return proc

    monkeypatch.setattr(session_module, "spawn", spawn)
    return made


def test_the_later_of_two_starts_at_once_ends_its_own_and_says_qs_already(prepared, monkeypatch, rivals):
    made = _spawn_with(monkeypatch, True, rivals)
    session = QuickSupportSession(prepared, id_timeout_s=30)
    with pytest.raises(LauncherError) as err:
        session.start()
    assert err.value.code == "QS-ALREADY"
    assert "started at the same moment" in err.value.detail
    ours = session._proc.pid
    assert wait_until(lambda: alive_pids([ours]) == [], 5)  # ours ended, with its folder
    assert session.stopped and session.pids == [] and not prepared.root.exists()
    assert alive_pids([made[0].pid]) == [made[0].pid]  # the other launcher's goes on


def test_the_earlier_of_two_starts_at_once_goes_on(prepared, monkeypatch, rivals):
    made = _spawn_with(monkeypatch, False, rivals)
    session = QuickSupportSession(prepared, id_timeout_s=30)
    session.start()
    try:
        assert made and alive_pids([made[0].pid])  # the later one is there, and it is not ours to mind
        assert "id" in [e.kind for e in poll_until(session, "id")]
        assert not session.stopped and session.pids
    finally:
        session.stop(grace_s=0.5)
    assert not prepared.root.exists()
