"""A disk that fills up while QuickSupport runs: the session sees it, ends QuickSupport for good and says
QS-DISK-FULL (never QS-EXITED). Real stand-in processes, real tmpfs file systems that really are full."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
from pathlib import Path

import psutil
import pytest

from launcher.core.download import open_verified
from launcher.core.errors import LauncherError
from launcher.core.manifest import Artifact
from launcher.core.quicksupport import session as session_module
from launcher.core.quicksupport.launch import Prepared, prepare
from launcher.core.quicksupport.session import QuickSupportSession, event_failure
from launcher.demo.artifact import build_standin_artifact
from launcher.demo.standin import TvLogWriter
from tests.support.polling import poll_until, wait_until
from tests.support.processes import alive_pids
from tests.support.teamviewers import count_only_teamviewers_started_from_now
from tests.support.tmpfs import fill_up, mounted_tmpfs

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="tmpfs mounts, the Linux stand-in")


@pytest.fixture
def disk(tmp_path: Path):
    """A small file system of its own (2 MiB: room for the stand-in, its log and more)."""
    with mounted_tmpfs(tmp_path / "disk", "size=2m") as folder:
        yield folder


def unpacked_standin(tmp_path: Path, disk: Path, monkeypatch) -> Prepared:
    """The real demo stand-in, built under tmp_path/www as the verified artifact it stands for, unpacked
    onto `disk` (disk/run), not started; offscreen, and only TeamViewers started from now on count."""
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    count_only_teamviewers_started_from_now(monkeypatch)
    path, entry = build_standin_artifact(tmp_path / "www")
    data = path.read_bytes()
    art = Artifact(platform="linux-x86_64", url="http://127.0.0.1/teamviewer_qs.tar.gz", size=len(data),
                   sha256=hashlib.sha256(data).hexdigest(), version="demo", kind="tar.gz", entry=entry)
    return prepare(path, art, disk / "run", open_verified)


@pytest.fixture
def session(tmp_path: Path, disk: Path, monkeypatch):
    """The real demo stand-in unpacked onto `disk` and started; its ID known. Ended after the test."""
    monkeypatch.setenv("OVERMAX_DEMO_JOIN_AFTER", "-1")  # nobody joins: only the disk changes
    qs = QuickSupportSession(unpacked_standin(tmp_path, disk, monkeypatch), id_timeout_s=30)
    qs.start()
    try:
        assert "id" in [e.kind for e in poll_until(qs, "id")]
        yield qs
    finally:
        qs.stop(grace_s=0.5)


def test_room_to_spare_is_no_full_disk(session: QuickSupportSession):
    assert session.full_folder() is None
    assert "disk-full" not in [e.kind for e in poll_until(session, "disk-full", 1.5)]
    assert not session.stopped and session.pids


@pytest.mark.parametrize(("lang", "words"), [("pl", "Na dysku komputera zabrakło miejsca"),
                                             ("en", "The computer's disk is full")])
def test_a_disk_that_fills_up_ends_quicksupport_and_names_the_disk(session: QuickSupportSession, disk, lang, words):
    pids = session.pids
    assert pids
    fill_up(disk)
    events = poll_until(session, "disk-full")
    kinds = [e.kind for e in events]
    assert "disk-full" in kinds and "exited" not in kinds, kinds
    assert session.stopped  # ended for good, as Rozłącz ends it
    assert wait_until(lambda: alive_pids(pids) == [], 5), alive_pids(pids)
    assert session.pids == [] and not session.prepared.root.exists()
    failure = event_failure(next(e for e in events if e.kind == "disk-full"))
    assert failure is not None and failure.code == "QS-DISK-FULL"
    assert failure.sentence(lang).startswith(words)
    assert str(disk) in failure.detail
    assert session.poll() == []  # said once; nothing after it


def test_quicksupport_that_ends_over_a_full_disk_is_disk_full_not_exited(session: QuickSupportSession, disk):
    """A QuickSupport that closes because it has no room (whatever it does then) is the full disk's fault."""
    pids = session.pids
    fill_up(disk)
    for pid in pids:  # as if it gave up on the full disk by itself
        psutil.Process(pid).kill()
    events = poll_until(session, "disk-full")
    kinds = [e.kind for e in events]
    assert "disk-full" in kinds and "exited" not in kinds, kinds
    assert session.stopped and alive_pids(pids) == []


def test_what_survives_the_stop_is_qs_kill_not_hidden(session: QuickSupportSession, disk, monkeypatch):
    """Ending QuickSupport over a full disk is the same stop as Rozłącz: if something survives, QS-KILL says
    so (and a later stop tries again), never a disk error that would hide a QuickSupport still running."""
    real_terminate = session._tree.terminate_all
    monkeypatch.setattr(session._tree, "terminate_all", lambda grace_s=1.0: [4_000_000])  # "still running"
    fill_up(disk)
    with pytest.raises(LauncherError) as err:
        poll_until(session, "disk-full")
    assert err.value.code == "QS-KILL"
    assert not session.stopped
    monkeypatch.setattr(session._tree, "terminate_all", real_terminate)
    session.stop(grace_s=0.5)
    assert session.stopped and session.pids == []


def test_the_check_looks_at_each_file_system_once(session: QuickSupportSession, disk, monkeypatch):
    asked: list[str] = []
    real = session_module.free_bytes

    def counting(folder):
        asked.append(str(folder))
        return real(folder)

    monkeypatch.setattr(session_module, "free_bytes", counting)
    session.log_dirs = [*session.log_dirs, disk, disk / "run"]  # the same file system named again
    assert session.full_folder() is None
    assert len([a for a in asked if a.startswith(str(disk))]) == 1


def test_quicksupport_is_not_started_at_all_on_a_disk_already_full(tmp_path: Path, disk: Path, monkeypatch):
    """QuickSupport unpacked, then the disk filled up before the start: it would be ended at the first look,
    so it is never started (QS-DISK-FULL) and its folder goes."""
    prepared = unpacked_standin(tmp_path, disk, monkeypatch)
    fill_up(disk)
    qs = QuickSupportSession(prepared, id_timeout_s=30)
    with pytest.raises(LauncherError) as err:
        qs.start()
    assert err.value.code == "QS-DISK-FULL"
    assert qs._proc is None and qs.pids == []
    assert not prepared.root.exists()


# ---------- the stand-in's own log write on a full disk


def test_the_standins_log_writer_drops_what_it_cannot_write(disk: Path):
    writer = TvLogWriter(disk / "logfiles")
    writer.header()
    before = (disk / "logfiles" / writer.path.name).read_text(encoding="utf-8")
    fill_up(disk)
    for n in range(200):  # past whatever room the file's last block had
        writer.line(f"line {n} " + "x" * 100)
    assert writer.write_failed
    assert (disk / "logfiles" / writer.path.name).read_text(encoding="utf-8").startswith(before)


@pytest.mark.parametrize("mode", [["--headless"], []])
def test_the_standin_on_a_full_disk_keeps_running_and_says_so_in_one_line(disk: Path, mode):
    fill_up(disk)
    proc = subprocess.Popen([sys.executable, "-m", "launcher.demo.standin", "--root", str(disk), *mode],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            env={**_env(), "QT_QPA_PLATFORM": "offscreen"})
    try:
        first = proc.stderr.readline()  # its first complaint, or "" if it ended
        assert first.startswith("demo stand-in: log line not written:"), first
        assert proc.poll() is None  # still running: its window (and its ID) stay up
        proc.terminate()
        _out, rest = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    # 0: ended by its handler; -SIGTERM: the signal came before its window (and handler) was up
    assert proc.returncode in (0, -signal.SIGTERM)
    assert "Traceback" not in rest and "log line not written" not in rest  # said once


def _env() -> dict[str, str]:
    repo = str(Path(__file__).resolve().parents[2])
    return {**os.environ, "PYTHONPATH": repo}
