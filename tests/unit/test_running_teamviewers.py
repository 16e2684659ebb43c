"""running_teamviewers: what counts as a TeamViewer already running."""

from __future__ import annotations

import os
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


def _sleeper(env: dict[str, str], program: str = "python") -> subprocess.Popen:
    """A Python (as the --demo stand-in is) or a `sleep`, with `env`."""
    if program == "python":
        return subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"], env=env)
    return subprocess.Popen([shutil.which("sleep") or "/bin/sleep", "30"], env=env)


def test_a_quicksupport_another_launcher_started_counts_whatever_its_process_is_called():
    """The --demo stand-in is a Python process; anything a launcher of this family starts as QuickSupport
    carries the mark in its environment (child_env), and is seen by it."""
    import os

    from launcher.core.quicksupport.launch import MARK_VAR, child_env, launcher_scope

    assert child_env()[MARK_VAR] == launcher_scope()
    ours = _sleeper(child_env())
    other_family = _sleeper({**os.environ, MARK_VAR: "another-family"})
    unmarked = _sleeper({k: v for k, v in os.environ.items() if k != MARK_VAR})
    # only what a stand-in of ours runs as (a Python, this program frozen) has its environment read
    not_a_standin = _sleeper(child_env(), program="sleep")
    try:
        assert wait_until(lambda: ours.pid in [p.pid for p in running_teamviewers()])
        found = {p.pid: p.info["name"] for p in running_teamviewers()}
        assert found[ours.pid].startswith("python") and found[ours.pid].endswith(
            " (QuickSupport started by Pomoc Zdalna)")
        assert other_family.pid not in found and unmarked.pid not in found and not_a_standin.pid not in found
        assert ours.pid not in [p.pid for p in running_teamviewers(exclude=[ours.pid])]
        ours.kill()
        assert wait_until(lambda: psutil.Process(ours.pid).status() == psutil.STATUS_ZOMBIE)
        assert ours.pid not in [p.pid for p in running_teamviewers()]  # ended, not yet reaped: gone
    finally:
        for proc in (ours, other_family, unmarked, not_a_standin):
            proc.kill()
            proc.wait()


def test_the_family_is_the_whole_machine_unless_a_test_narrows_it(monkeypatch):
    from launcher.core.quicksupport.launch import DEFAULT_SCOPE, SCOPE_VAR, launcher_scope

    monkeypatch.delenv(SCOPE_VAR, raising=False)
    assert launcher_scope() == DEFAULT_SCOPE
    monkeypatch.setenv(SCOPE_VAR, "  ")
    assert launcher_scope() == DEFAULT_SCOPE
    monkeypatch.setenv(SCOPE_VAR, "test-1")
    assert launcher_scope() == "test-1"


@pytest.mark.skipif(os.geteuid() != 0, reason="starting a process as another user needs root")
def test_another_users_teamviewer_is_no_clash_and_ones_own_is():
    """With two people signed in (another seat, a remote desktop), the other one's TeamViewer is not on this
    customer's screen, and they cannot close it: no QS-ALREADY for it. Their own still is one."""
    import tempfile

    folder = Path(tempfile.mkdtemp())  # pytest's own folder is root's alone: the other user could not run it
    folder.chmod(0o755)
    program = folder / "TeamViewer"
    shutil.copyfile(shutil.which("sleep") or "/bin/sleep", program)
    program.chmod(0o755)
    nobody = 65534
    theirs = subprocess.Popen([str(program), "30"], user=nobody, group=nobody)
    ours = subprocess.Popen([str(program), "30"])
    try:
        assert wait_until(lambda: ours.pid in [p.pid for p in running_teamviewers()])
        assert psutil.Process(theirs.pid).uids().real == nobody and theirs.poll() is None
        assert theirs.pid not in [p.pid for p in running_teamviewers()]
    finally:
        for proc in (theirs, ours):
            proc.kill()
            proc.wait()
        shutil.rmtree(folder)
