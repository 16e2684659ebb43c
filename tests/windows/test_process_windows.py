"""The Job Object is QuickSupport's tree on Windows; the folder match and the watchdog are the second net.

What the launcher does (process.spawn): QuickSupport starts in a new Job Object with kill-on-close and
without JOB_OBJECT_LIMIT_BREAKAWAY_OK, so every process it starts is in the job, a request to start one
outside it (CREATE_BREAKAWAY_FROM_JOB) is refused by Windows (ERROR_ACCESS_DENIED), and the job dies with
the launcher however the launcher ends. A helper that gets out by other means (started for it by a process
outside the job) is found by its folder (exe, working folder or command line inside QuickSupport's
folders; psutil's exe() works on Windows, not under Wine, where the command line still shows the folder)
and ended by `ProcessTree.terminate_all` or, when the launcher is killed outright, by the watchdog.
"""

from __future__ import annotations

import ctypes
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import psutil
import pytest

from launcher.core.quicksupport.process import ProcessTree, Watchdog, process_info, process_name, spawn
from tests.support.polling import wait_until
from tests.support.watchdogs import deaf_watchdog

CHILDREN = Path(__file__).resolve().parent / "children.py"


def registered(folder: Path) -> list[int]:
    pids = folder / "pids"
    return sorted(int(p.name) for p in pids.iterdir()) if pids.is_dir() else []


def alive(pid: int) -> bool:
    try:
        return psutil.Process(pid).is_running()
    except psutil.Error:
        return False


def all_gone(pids: list[int]) -> bool:
    return not any(alive(pid) for pid in pids)


@pytest.fixture
def work(tmp_path: Path):
    """(D, Q): D collects pids and reports, Q is QuickSupport's folder; whatever is left is killed after."""
    folder, qs = tmp_path / "d", tmp_path / "qs folder"
    folder.mkdir()
    qs.mkdir()
    yield folder, qs
    for pid in registered(folder):
        if alive(pid):
            psutil.Process(pid).kill()


def tree_argv(folder: Path, depth: int, script: Path = CHILDREN) -> list[str]:
    return [sys.executable, str(script), "tree", "--dir", str(folder), "--depth", str(depth)]


def test_quicksupport_and_everything_it_starts_are_in_the_job(work):
    folder, qs = work
    proc = spawn(tree_argv(folder, 2), cwd=qs, env=dict(os.environ), watch_dirs=[qs], watchdog=False)
    from tests.windows.winapi import in_job

    assert proc.job_handle
    assert wait_until(lambda: len(registered(folder)) == 3)
    assert all(in_job(pid, proc.job_handle) for pid in registered(folder))
    assert not in_job(os.getpid(), proc.job_handle)


def test_terminate_all_ends_the_whole_tree(work):
    folder, qs = work
    proc = spawn(tree_argv(folder, 2), cwd=qs, env=dict(os.environ), watch_dirs=[qs], watchdog=False)
    assert wait_until(lambda: len(registered(folder)) == 3)
    tree = ProcessTree([proc.pid], [qs])
    assert set(registered(folder)) <= {p.pid for p in tree.members()}
    assert tree.terminate_all(grace_s=0.5) == []
    assert all_gone(registered(folder))


def test_closing_the_job_handle_kills_child_and_grandchild(work):
    folder, qs = work
    proc = spawn(tree_argv(folder, 1), cwd=qs, env=dict(os.environ), watch_dirs=[qs], watchdog=False)
    assert wait_until(lambda: len(registered(folder)) == 2)
    ctypes.WinDLL("kernel32").CloseHandle(ctypes.c_void_p(proc.job_handle))  # type: ignore[attr-defined]
    proc.job_handle = None
    assert wait_until(lambda: all_gone(registered(folder)))


def start_launcher(folder: Path, qs: Path, rest: list[str], *, watchdog: bool) -> tuple[subprocess.Popen, dict]:
    argv = [sys.executable, str(CHILDREN), "launcher", "--dir", str(folder), "--qs-dir", str(qs)]
    argv += ([] if watchdog else ["--no-watchdog"]) + ["--", *rest]
    launcher = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    assert wait_until(lambda: (folder / "launcher.json").is_file(), 30)
    return launcher, json.loads((folder / "launcher.json").read_text())


@pytest.mark.parametrize("watchdog", [False, True], ids=["job-alone", "job-and-watchdog"])
def test_launcher_killed_outright_leaves_nothing(work, watchdog):
    folder, qs = work
    launcher, info = start_launcher(folder, qs, tree_argv(folder, 1), watchdog=watchdog)
    assert wait_until(lambda: len(registered(folder)) == 3)  # the launcher, QuickSupport, its child
    quicksupport = [pid for pid in registered(folder) if pid != launcher.pid]
    launcher.kill()  # TerminateProcess: no cleanup code of the launcher runs
    launcher.wait()
    assert wait_until(lambda: all_gone(quicksupport), 15)
    if watchdog:
        assert wait_until(lambda: not alive(info["watchdog"]), 15)


def test_a_request_to_break_away_from_the_job_is_refused(work):
    folder, qs = work
    proc = spawn([sys.executable, str(CHILDREN), "breakaway", "--dir", str(folder)], cwd=qs,
                 env=dict(os.environ), watch_dirs=[qs], watchdog=False)
    from tests.windows.winapi import in_job

    assert wait_until(lambda: (folder / "breakaway.txt").is_file() and len(registered(folder)) == 2, 30)
    assert (folder / "breakaway.txt").read_text() == "refused 5"  # ERROR_ACCESS_DENIED
    helper = next(pid for pid in registered(folder) if pid != proc.pid)
    assert in_job(helper, proc.job_handle)
    assert ProcessTree([proc.pid], [qs]).terminate_all(grace_s=0.5) == []
    assert all_gone(registered(folder))


def escaped_helper(folder: Path, qs: Path) -> subprocess.Popen:
    """A helper of QuickSupport's started from outside the job (as a broker process would): its program
    lies in QuickSupport's folder, it is no descendant of QuickSupport and not in its job."""
    script = shutil.copyfile(CHILDREN, qs / "helper.py")
    return subprocess.Popen(tree_argv(folder, 0, script), cwd=qs, stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def test_a_helper_outside_the_job_is_found_by_its_folder_and_ended(work):
    folder, qs = work
    proc = spawn(tree_argv(folder, 0), cwd=qs, env=dict(os.environ), watch_dirs=[qs], watchdog=False)
    tree = ProcessTree([proc.pid], [qs])
    helper = escaped_helper(folder, qs)
    from tests.windows.winapi import in_job

    assert wait_until(lambda: len(registered(folder)) == 2)
    assert not in_job(helper.pid, proc.job_handle)
    assert helper.pid in {p.pid for p in tree.members()}
    assert tree.terminate_all(grace_s=0.5) == []
    assert all_gone(registered(folder))


def test_the_watchdog_ends_a_helper_outside_the_job_when_the_launcher_is_killed(work):
    folder, qs = work
    launcher, info = start_launcher(folder, qs, tree_argv(folder, 0), watchdog=True)
    helper = escaped_helper(folder, qs)
    assert wait_until(lambda: len(registered(folder)) == 3)
    launcher.kill()
    launcher.wait()
    assert wait_until(lambda: not alive(helper.pid), 20)  # the job cannot: only the watchdog does
    assert wait_until(lambda: all_gone(registered(folder)) and not alive(info["watchdog"]), 15)


def test_process_fields_that_wine_cannot_read_are_none_not_an_error():
    info = process_info(psutil.Process())
    assert info["cmdline"] and Path(info["cmdline"][0]).name.lower() == "python.exe"
    assert info["create_time"] and info["cwd"]
    assert process_name(psutil.Process()).lower() == "python.exe"


@pytest.mark.wine_gap("psutil's exe() and name() raise (NtQuerySystemInformation is incomplete)")
def test_psutil_reads_the_executable_of_a_process():
    me = psutil.Process()
    assert Path(me.exe()) == Path(sys.executable)
    assert me.name().lower() == "python.exe"


_LAUNCH_WATCHDOG_IN_A_CONSOLE = """
import ctypes, json, subprocess, sys
from launcher.core.quicksupport.process import Watchdog
kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
watchdog = Watchdog.launch()
try:
    # from a process without a console of its own: attach to the watchdog's console, if it has one
    probe = subprocess.run([sys.executable, "-c", "import ctypes, sys; k = ctypes.WinDLL('kernel32', "
                            "use_last_error=True); ok = k.AttachConsole(int(sys.argv[1])); "
                            "print(ok, 0 if ok else ctypes.get_last_error())", str(watchdog.pid)],
                           creationflags=subprocess.DETACHED_PROCESS, capture_output=True, text=True, timeout=60)
    ok, error = map(int, probe.stdout.split())
    own = subprocess.run([sys.executable, "-c", "import ctypes, sys; k = ctypes.WinDLL('kernel32'); "
                          "print(k.AttachConsole(int(sys.argv[1])))", str(__import__("os").getpid())],
                         creationflags=subprocess.DETACHED_PROCESS, capture_output=True, text=True, timeout=60)
    result = {"watchdog": [ok, error], "launcher_console": int(own.stdout)}
finally:
    watchdog.release()
open(sys.argv[1], "w").write(json.dumps(result))
"""


def test_the_watchdog_is_attached_to_no_console(tmp_path):
    """Ctrl+Break typed in the launcher's console, or that console window closed, ends every process
    attached to the console (a new process group shields only from Ctrl+C): the watchdog, there for the
    moment the launcher dies, must not be one of them. The launcher here runs in a console of its own."""
    out = tmp_path / "result.json"
    launcher = subprocess.run([sys.executable, "-c", _LAUNCH_WATCHDOG_IN_A_CONSOLE, str(out)],
                              creationflags=subprocess.CREATE_NEW_CONSOLE, timeout=120)
    assert launcher.returncode == 0
    result = json.loads(out.read_text())
    assert result["launcher_console"] == 1  # the probe can attach to a console where there is one
    assert result["watchdog"] == [0, 6]  # ERROR_INVALID_HANDLE: the watchdog has no console


def test_the_job_lists_a_process_whose_parent_has_exited_wherever_it_runs_from(work, tmp_path):
    # QuickSupport hands over to TeamViewer.exe and exits: the job still lists the child, although it is no
    # descendant of a living process any more and (here) nothing of it lies in the watched folders
    from launcher.core.quicksupport.process import job_process_ids

    folder, qs = work
    elsewhere = tmp_path / "watched, empty"
    elsewhere.mkdir()
    proc = spawn(tree_argv(folder, 1), cwd=qs, env=dict(os.environ), watch_dirs=[elsewhere], watchdog=False)
    assert wait_until(lambda: len(registered(folder)) == 2)
    child = next(pid for pid in registered(folder) if pid != proc.pid)
    assert set(job_process_ids(proc.job_handle)) == {proc.pid, child}
    proc.kill()  # the root alone (TerminateProcess), as QuickSupport's own exit
    proc.wait()
    assert wait_until(lambda: job_process_ids(proc.job_handle) == [child])
    assert [p.pid for p in ProcessTree([proc.pid], [elsewhere]).members()] == []  # folders alone miss it
    tree = ProcessTree([proc.pid], [elsewhere], job=proc.job_handle)
    assert [p.pid for p in tree.members()] == [child]
    assert tree.terminate_all(grace_s=0.5) == []
    assert all_gone(registered(folder))


def test_quicksupport_is_in_its_job_from_its_first_instruction(work, tmp_path):
    """Created suspended and resumed only once it is in the job: its very first statement finds itself in
    the job, so nothing it starts at once can be born outside it (and a launcher killed at that moment
    leaves nothing unguarded)."""
    folder, qs = work
    answer = tmp_path / "in_job.txt"
    code = ("import ctypes, os\n"
            "k = ctypes.WinDLL('kernel32')\n"
            "r = ctypes.c_int(0)\n"
            "k.IsProcessInJob(ctypes.c_void_p(k.GetCurrentProcess()), None, ctypes.byref(r))\n"
            f"open({str(answer)!r}, 'w').write(str(r.value))\n")
    proc = spawn([sys.executable, "-S", "-c", code], cwd=qs, env=dict(os.environ), watch_dirs=[qs], watchdog=False)
    assert proc.job_handle
    assert proc.wait(timeout=60) == 0
    assert answer.read_text() == "1"


def _held_exclusively(path: Path) -> int:
    """A handle on `path` that shares nothing (as a virus scanner reading a new exe may hold it)."""
    from ctypes import wintypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined]
    kernel32.CreateFileW.argtypes = [wintypes.LPCWSTR, wintypes.DWORD, wintypes.DWORD, ctypes.c_void_p,
                                     wintypes.DWORD, wintypes.DWORD, wintypes.HANDLE]
    kernel32.CreateFileW.restype = wintypes.HANDLE
    handle = kernel32.CreateFileW(str(path), 0x80000000, 0, None, 3, 0x80, None)  # GENERIC_READ, no sharing
    assert handle not in (None, wintypes.HANDLE(-1).value), ctypes.get_last_error()  # type: ignore[attr-defined]
    return handle


def _copy_of_cmd(qs: Path) -> Path:
    """A copy of Windows' cmd.exe in QuickSupport's folder: an exe just written there."""
    exe = qs / "cmd.exe"
    shutil.copy2(Path(os.environ.get("SYSTEMROOT", r"C:\windows")) / "System32" / "cmd.exe", exe)
    return exe


def test_an_exe_held_a_moment_by_another_program_is_started_once_it_is_free(work, caplog):
    """CreateProcess fails with ERROR_SHARING_VIOLATION while something (a virus scanner reading the exe just
    written) holds it without sharing: the start is tried again a moment later instead of being QS-START."""
    import threading

    folder, qs = work
    exe = _copy_of_cmd(qs)
    handle = _held_exclusively(exe)
    timer = threading.Timer(0.4, ctypes.windll.kernel32.CloseHandle, args=(handle,))  # type: ignore[attr-defined]
    timer.start()
    try:
        proc = spawn([str(exe), "/c", "exit 7"], cwd=qs, env=dict(os.environ), watch_dirs=[qs], watchdog=False)
        assert proc.wait(60) == 7  # it ran
    finally:
        timer.join()
    assert any("trying again" in r.getMessage() for r in caplog.records)


def test_an_exe_held_for_good_fails_with_the_error(work):
    folder, qs = work
    exe = _copy_of_cmd(qs)
    handle = _held_exclusively(exe)
    try:
        with pytest.raises(OSError) as err:
            spawn([str(exe), "/c", "exit 7"], cwd=qs, env=dict(os.environ), watch_dirs=[qs], watchdog=False)
        assert err.value.winerror == 32  # ERROR_SHARING_VIOLATION, after the tries
    finally:
        ctypes.windll.kernel32.CloseHandle(handle)  # type: ignore[attr-defined]


def test_a_watchdog_gone_before_it_takes_the_tree_ends_everything_in_the_job(work, monkeypatch):
    folder, qs = work
    hand_over = Watchdog.guard

    def guard_once_everything_runs(self, roots, dirs):
        # the hand-over fails only once QuickSupport has started its helpers: they are in its job and end too
        assert wait_until(lambda: len(registered(folder)) == 3, 30)
        hand_over(self, roots, dirs)

    monkeypatch.setattr(Watchdog, "guard", guard_once_everything_runs)
    with deaf_watchdog() as watchdog:
        with pytest.raises(OSError):
            spawn(tree_argv(folder, 2), cwd=qs, env=dict(os.environ), watch_dirs=[qs], watchdog=watchdog)
        assert len(registered(folder)) == 3
        assert wait_until(lambda: all_gone(registered(folder)), 15)
        assert watchdog.proc.poll() is not None


def test_quicksupport_is_never_started_when_no_watchdog_can_be(work, monkeypatch):
    folder, qs = work

    def refused(cls):
        raise OSError(None, "CreateProcess refused", None, 1450)  # ERROR_NO_SYSTEM_RESOURCES

    monkeypatch.setattr(Watchdog, "launch", classmethod(refused))
    before = {p.pid for p in psutil.Process().children()}
    with pytest.raises(OSError):
        spawn(tree_argv(folder, 1), cwd=qs, env=dict(os.environ), watch_dirs=[qs])
    assert {p.pid for p in psutil.Process().children()} == before
    assert registered(folder) == []


def test_a_process_of_this_sign_in_is_told_apart_by_its_windows_session():
    """Another user's TeamViewer (fast user switching, a terminal server) runs in another Windows session and
    is no QS-ALREADY; one in this session is (a second session cannot be signed into under Wine)."""
    from launcher.core.quicksupport.process import _windows_session_id, of_another_sign_in

    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        ours = _windows_session_id(os.getpid())
        assert ours is not None
        assert _windows_session_id(child.pid) == ours
        assert not of_another_sign_in(psutil.Process(child.pid))
        assert _windows_session_id(0xFFFFFFF0) is None  # no such process: Windows does not say
    finally:
        child.kill()
        child.wait()


def test_rozlacz_ends_a_job_member_that_refuses_to_be_terminated(work):
    """A process of QuickSupport's that denies PROCESS_TERMINATE to everyone (its own DACL) cannot be ended one by
    one; the Job Object's handle carries the right for all its members (TerminateJobObject)."""
    from launcher.core.quicksupport.process import close_job

    folder, qs = work
    proc = spawn([sys.executable, str(CHILDREN), "unkillable", "--dir", str(folder)], cwd=qs, env=dict(os.environ),
                 watch_dirs=[qs], watchdog=False)
    try:
        assert wait_until(lambda: (folder / "unkillable.txt").is_file(), 30)
        assert (folder / "unkillable.txt").read_text() == "0"
        with pytest.raises(psutil.AccessDenied):  # what ending it process by process meets
            psutil.Process(proc.pid).kill()
        tree = ProcessTree([proc.pid], [qs], job=proc.job_handle)
        assert tree.terminate_all(grace_s=0.5) == []
        assert proc.wait(timeout=15) is not None
    finally:
        close_job(proc.job_handle)  # whatever happened above, nothing of it outlives the test
        proc.job_handle = None
