"""The QuickSupport process tree with real misbehaving stand-ins: nothing survives disconnect or our death."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from launcher.core.quicksupport.process import ProcessTree, Watchdog, spawn
from launcher.core.quicksupport.tvlog import TvLogFollower
from tests.support.polling import wait_until
from tests.support.processes import alive_pids
from tests.support.watchdogs import deaf_watchdog

STANDINS = Path(__file__).resolve().parent.parent / "support" / "standins.py"
# wait_until waits up to 10 s: generous, these assert "eventually nothing"; the 2 s target is a benchmark

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX stand-ins (Windows: Job Object path)")


def registered(folder: Path) -> set[int]:
    pids = folder / "pids"
    return {int(p.name) for p in pids.iterdir()} if pids.is_dir() else set()


def alive(pids: set[int]) -> set[int]:
    return set(alive_pids(pids))


@pytest.fixture
def qs_dir(tmp_path: Path):
    folder = tmp_path / "teamviewerqs"
    folder.mkdir()
    yield folder
    leftovers = alive(registered(folder))  # never leave stray processes behind a failed test
    for pid in leftovers:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def run_argv(folder: Path, *flags: str) -> list[str]:
    return [sys.executable, str(STANDINS), "run", "--dir", str(folder), *flags]


# children x2 each with a grandchild = 4, + the stand-in + its double-forked orphan = 6
EXPECTED = 6


def test_disconnect_ends_grandchildren_term_ignorers_and_reparented(qs_dir: Path):
    since = time.time()
    follower = TvLogFollower([qs_dir / "logfiles"], since=since)
    proc = spawn(run_argv(qs_dir, "--children", "2", "--ignore-term", "--double-fork", "--slow-log"),
                 cwd=qs_dir, env=dict(os.environ))
    try:
        events: list = []
        assert wait_until(lambda: events.extend(follower.poll()) or any(e.kind == "id" for e in events))
        assert [e.tv_id for e in events if e.kind == "id"] == ["1660388656"]  # slow, in pieces, still whole
        assert wait_until(lambda: len(registered(qs_dir)) >= EXPECTED)
        pids = registered(qs_dir)
        tree = ProcessTree([proc.pid], [qs_dir])
        assert pids <= {p.pid for p in tree.members()}  # the re-parented one too, found by folder
        assert tree.terminate_all(grace_s=0.3) == []
        assert alive(pids) == set()
        proc.wait(timeout=5)
    finally:
        if proc.watchdog:
            proc.watchdog.release()
    assert proc.watchdog.proc.returncode is not None


def start_launcher(folder: Path, *flags: str) -> tuple[subprocess.Popen, int, int]:
    parent = subprocess.Popen(
        [sys.executable, str(STANDINS), "launcher", "--dir", str(folder), *flags],
        stdout=subprocess.PIPE, text=True,
    )
    assert parent.stdout is not None
    ready = parent.stdout.readline().split()
    assert ready and ready[0] == "READY", ready
    return parent, int(ready[1]), int(ready[2])


@pytest.mark.parametrize("watchdog", [True, "ahead", False], ids=["watchdog", "watchdog-ahead", "pdeathsig-only"])
def test_kill_9_of_the_launcher_leaves_no_process(qs_dir: Path, watchdog: bool | str):
    if not watchdog and not sys.platform.startswith("linux"):
        pytest.skip("PR_SET_PDEATHSIG is Linux only")
    flags = ["--", "--children", "2", "--ignore-term", "--double-fork"] if watchdog else ["--no-watchdog"]
    if watchdog == "ahead":
        flags.insert(0, "--watchdog-ahead")
    expected = EXPECTED if watchdog else 1
    parent, child_pid, watchdog_pid = start_launcher(qs_dir, *flags)
    assert wait_until(lambda: len(registered(qs_dir)) >= expected)
    pids = registered(qs_dir)
    assert child_pid in pids
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait()
    if not watchdog:  # only the direct child dies by the death signal
        assert wait_until(lambda: not alive({child_pid}))
        return
    assert wait_until(lambda: not alive(pids)), f"survivors: {alive(pids)}"
    assert wait_until(lambda: not alive({watchdog_pid})), "the watchdog did not exit"


def test_watchdog_exits_by_itself_when_nothing_is_left(tmp_path: Path):
    proc = spawn([sys.executable, "-c", "pass"], cwd=tmp_path, env=dict(os.environ))
    proc.wait(timeout=5)
    assert proc.watchdog is not None
    assert wait_until(lambda: proc.watchdog.proc.poll() is not None)
    assert proc.watchdog.proc.returncode == 0


def test_a_watchdog_launched_ahead_and_never_used_exits_without_doing_anything(tmp_path: Path):
    watchdog = Watchdog.launch()
    assert watchdog.waiting
    watchdog.release()  # the check or the download failed: nothing to guard
    assert watchdog.proc.returncode == 0
    assert not watchdog.waiting


def test_a_dead_watchdog_launched_ahead_is_replaced_at_the_spawn(tmp_path: Path):
    dead = Watchdog.launch()
    dead.proc.kill()
    dead.proc.wait()
    proc = spawn([sys.executable, "-c", "import time; time.sleep(30)"], cwd=tmp_path, env=dict(os.environ),
                 watchdog=dead)
    try:
        assert proc.watchdog is not None and proc.watchdog is not dead
        assert proc.watchdog.guarding and proc.watchdog.proc.poll() is None
    finally:
        proc.kill()
        proc.wait()
        proc.watchdog.release()


def test_a_watchdog_guards_one_tree_only(tmp_path: Path):
    proc = spawn([sys.executable, "-c", "pass"], cwd=tmp_path, env=dict(os.environ))
    proc.wait(timeout=5)
    try:
        with pytest.raises(OSError):
            proc.watchdog.guard([os.getpid()], [tmp_path])
    finally:
        proc.watchdog.release()


def test_a_watchdog_gone_before_it_takes_the_tree_ends_all_the_tree_has_started(qs_dir: Path, monkeypatch):
    hand_over = Watchdog.guard

    def guard_once_everything_runs(self, roots, dirs):
        # the hand-over fails only once QuickSupport has started its helpers: they must end too
        assert wait_until(lambda: len(alive(registered(qs_dir))) == EXPECTED)
        hand_over(self, roots, dirs)

    monkeypatch.setattr(Watchdog, "guard", guard_once_everything_runs)
    with deaf_watchdog() as watchdog:
        assert watchdog.waiting
        with pytest.raises(OSError):
            spawn(run_argv(qs_dir, "--children", "2", "--ignore-term", "--double-fork"), cwd=qs_dir,
                  env=dict(os.environ), watchdog=watchdog)
        assert len(registered(qs_dir)) == EXPECTED
        assert wait_until(lambda: not alive(registered(qs_dir))), f"survivors: {alive(registered(qs_dir))}"
        assert watchdog.proc.poll() is not None  # released (and, deaf, killed)


def test_quicksupport_is_never_started_when_no_watchdog_can_be(qs_dir: Path, monkeypatch):
    def refused(cls):
        raise OSError(11, "Resource temporarily unavailable")  # fork/CreateProcess refused: no room for one

    monkeypatch.setattr(Watchdog, "launch", classmethod(refused))
    before = {p.pid for p in psutil.Process().children()}
    with pytest.raises(OSError):
        spawn(run_argv(qs_dir), cwd=qs_dir, env=dict(os.environ))
    assert {p.pid for p in psutil.Process().children()} == before  # nothing was started, so nothing can be left
    assert not registered(qs_dir)


def test_processes_older_than_ours_never_have_their_memory_read(qs_dir: Path, monkeypatch):
    """The folder match reads a process's command line and working folder (its memory, on Windows): only for
    processes started since QuickSupport, never for the hundreds already running on the machine."""
    read: list[int] = []
    for field in ("cmdline", "cwd", "exe"):
        real = getattr(psutil.Process, field)

        def spy(self, _real=real):
            read.append(self.pid)
            return _real(self)

        monkeypatch.setattr(psutil.Process, field, spy)
    sleeper = subprocess.Popen([sys.executable, str(STANDINS), "sleeper", "--dir", str(qs_dir)], cwd=qs_dir)
    try:
        assert wait_until(lambda: sleeper.pid in registered(qs_dir))
        since = psutil.Process(sleeper.pid).create_time() - 0.5
        older = {p.pid for p in psutil.process_iter() if p.create_time() < since} - {os.getpid()}
        assert older, "this machine runs processes started before the test"
        assert [p.pid for p in ProcessTree([], [qs_dir], since=since).members()] == [sleeper.pid]
        assert sleeper.pid in read
        assert not older & set(read)
    finally:
        sleeper.kill()
        sleeper.wait()


def test_folder_matches_respect_start_time(qs_dir: Path):
    sleeper = subprocess.Popen([sys.executable, str(STANDINS), "sleeper", "--dir", str(qs_dir)], cwd=qs_dir)
    try:
        assert wait_until(lambda: sleeper.pid in registered(qs_dir))
        assert ProcessTree([], [qs_dir], since=time.time() + 5).members() == []  # older than "us": not ours
        tree = ProcessTree([], [qs_dir], since=0)
        assert [p.pid for p in tree.members()] == [sleeper.pid]
        assert os.getpid() not in {p.pid for p in ProcessTree([os.getpid()], [qs_dir], since=0).members()}
        assert tree.terminate_all(grace_s=0.2) == []
    finally:
        sleeper.kill()
        sleeper.wait()
