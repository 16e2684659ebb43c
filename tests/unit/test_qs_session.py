"""QuickSupportSession end to end with the real demo artifact and real processes (no Qt in the session)."""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
import time
from pathlib import Path

import psutil
import pytest

from launcher.core.download import open_verified
from launcher.core.errors import LauncherError
from launcher.core.manifest import Artifact
from launcher.core.quicksupport.launch import Prepared, child_env, prepare
from launcher.core.quicksupport.session import QuickSupportSession, running_teamviewers
from launcher.demo.artifact import build_standin_artifact
from tests.support.polling import poll_until

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="the demo artifact is a POSIX tar.gz")



@pytest.fixture
def prepared(tmp_path: Path, monkeypatch) -> Prepared:
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    path, entry = build_standin_artifact(tmp_path / "www")
    data = path.read_bytes()
    art = Artifact(platform="linux-x86_64", url="http://127.0.0.1/teamviewer_qs.tar.gz", size=len(data),
                   sha256=hashlib.sha256(data).hexdigest(), version="demo", kind="tar.gz", entry=entry)
    return prepare(path, art, tmp_path / "run", open_verified)


def test_session_learns_the_id_and_stop_leaves_nothing(prepared: Prepared):
    session = QuickSupportSession(prepared, id_timeout_s=30)
    session.start()
    try:
        events = poll_until(session, "id")
        assert [e.tv_id for e in events if e.kind == "id"] == [session.tv_id]
        log_text = next(prepared.root.rglob("TeamViewer15_Logfile.log")).read_text()
        assert session.tv_id and f"ID: {session.tv_id} " in log_text
        assert session.online or "online" in [e.kind for e in poll_until(session, "online", 5)]
        pids = session.pids
        assert pids
    finally:
        session.stop(grace_s=0.5)
    assert not [p for p in pids if psutil.pid_exists(p) and psutil.Process(p).status() != psutil.STATUS_ZOMBIE]
    assert session.pids == []
    assert not prepared.root.exists()
    session.stop()  # idempotent


def test_a_stop_that_fails_unexpectedly_is_qs_kill_and_the_next_stop_ends_it(prepared: Prepared, monkeypatch):
    """The look at the processes fails once with an error nobody foresaw (an OS refusing to say): that stop is
    QS-KILL, and the next one (Spróbuj ponownie, closing the window) ends QuickSupport. Before, the first raised
    a bare OSError and every later stop returned at once, QuickSupport still running unwatched."""
    from launcher.core.quicksupport.process import ProcessTree

    session = QuickSupportSession(prepared, id_timeout_s=30)
    session.start()
    real_terminate = ProcessTree.terminate_all
    calls: list[int] = []

    def fails_once(self, grace_s: float = 1.0):
        calls.append(1)
        if len(calls) == 1:
            raise OSError(22, "Invalid argument")
        return real_terminate(self, grace_s)

    monkeypatch.setattr(ProcessTree, "terminate_all", fails_once)
    try:
        poll_until(session, "id")
        pids = session.pids
        with pytest.raises(LauncherError) as err:
            session.stop(grace_s=0.5)
        assert err.value.code == "QS-KILL" and not session.stopped
        assert session.pids  # still running: not pretended over
    finally:
        session.stop(grace_s=0.5)
    assert len(calls) == 2 and session.stopped
    assert not [p for p in pids if psutil.pid_exists(p) and psutil.Process(p).status() != psutil.STATUS_ZOMBIE]
    assert not prepared.root.exists()


def test_process_exit_is_reported(tmp_path: Path):
    root = tmp_path / "qs"
    root.mkdir()
    prepared = Prepared(argv=[sys.executable, "-c", "pass"], cwd=root, root=root, log_dirs=[root],
                        env=child_env(), watch_dirs=[root])
    session = QuickSupportSession(prepared, id_timeout_s=0.3)
    session.start()
    try:
        kinds = [e.kind for e in poll_until(session, "exited")]
        assert kinds[-1] == "exited"
        # "no-id" only if the ID's time ran out before the exit was seen (on a busy machine the exit may be
        # seen first); either way each is said once, and nothing after "exited"
        assert kinds.count("no-id") <= 1 and set(kinds) <= {"no-id", "exited"}
        while time.monotonic() <= session._started_mono + session.id_timeout_s:
            time.sleep(0.05)  # until the ID's time has run out: a "no-id" after the exit would come now
        assert [e.kind for e in session.poll()] == []
    finally:
        session.stop()
    assert not root.exists()


def test_start_failure_is_qs_start_and_cleans_up(tmp_path: Path):
    root = tmp_path / "qs"
    root.mkdir()
    prepared = Prepared(argv=[str(root / "missing")], cwd=root, root=root, log_dirs=[root], env=child_env())
    with pytest.raises(LauncherError) as err:
        QuickSupportSession(prepared).start()
    assert err.value.code == "QS-START"
    assert not root.exists()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="process name from the executable file name")
def test_another_teamviewer_is_detected(tmp_path: Path):
    fake = tmp_path / "TeamViewer"
    shutil.copy(shutil.which("sleep"), fake)
    root = tmp_path / "qs"
    root.mkdir()
    prepared = Prepared(argv=[sys.executable, "-c", "pass"], cwd=root, root=root, log_dirs=[root], env=child_env())
    other = psutil.Popen([str(fake), "30"])
    try:
        deadline = time.monotonic() + 5
        while not running_teamviewers() and time.monotonic() < deadline:
            time.sleep(0.02)
        with pytest.raises(LauncherError) as err:
            QuickSupportSession(prepared).start()
        assert err.value.code == "QS-ALREADY"
    finally:
        other.kill()
        other.wait()
    assert other.pid not in [p.pid for p in running_teamviewers()]
    assert os.getpid() not in [p.pid for p in running_teamviewers()]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="process name from the executable file name")
def test_an_installed_teamviewers_windowless_helpers_are_no_clash(tmp_path: Path):
    """tv_w32.exe / tv_x64.exe run in every session of a computer with TeamViewer installed (its service keeps
    them): they made every such customer read QS-ALREADY, "close the other TeamViewer windows", with no window to
    close. A TeamViewer.exe still is one."""
    helper, gui = tmp_path / "tv_x64.exe", tmp_path / "TeamViewer.exe"
    for fake in (helper, gui):
        shutil.copy(shutil.which("sleep"), fake)
    processes = [psutil.Popen([str(fake), "30"]) for fake in (helper, gui)]
    try:
        deadline = time.monotonic() + 5
        while processes[1].pid not in [p.pid for p in running_teamviewers()] and time.monotonic() < deadline:
            time.sleep(0.02)
        found = [p.pid for p in running_teamviewers()]
        assert processes[1].pid in found and processes[0].pid not in found
    finally:
        for process in processes:
            process.kill()
            process.wait()


# ---------- the password through the real accessibility API: Xvfb + a private session bus + AT-SPI


def test_password_is_read_over_atspi_from_the_standin(a11y_desktop, tmp_path: Path):
    path, entry = build_standin_artifact(tmp_path / "www")
    data = path.read_bytes()
    art = Artifact(platform="linux-x86_64", url="http://127.0.0.1/teamviewer_qs.tar.gz", size=len(data),
                   sha256=hashlib.sha256(data).hexdigest(), version="demo", kind="tar.gz", entry=entry)
    prepared = prepare(path, art, tmp_path / "run", open_verified)
    assert prepared.env["QT_LINUX_ACCESSIBILITY_ALWAYS_ON"] == "1"
    session = QuickSupportSession(prepared, id_timeout_s=30)
    session.start()
    try:
        poll_until(session, "id")
        assert session.tv_id
        password = None
        deadline = time.monotonic() + 20
        while password is None and time.monotonic() < deadline:
            password = session.read_password()
            time.sleep(0.2)
        assert password and 6 <= len(password) <= 8 and password.isalnum()
        from launcher.core.quicksupport.credentials import read_password

        assert read_password(session.pids, "1111111111") is None  # anchored on our ID only
        assert read_password([os.getpid()], session.tv_id) is None  # and only in our processes
    finally:
        session.stop(grace_s=0.5)
    assert session.pids == []
