"""QuickSupport's whole process tree: start it so it dies with us, find every member, end them all.

Three layers make sure nothing outlives the launcher:
- Linux: the direct child gets PR_SET_PDEATHSIG(SIGKILL); Windows: a Job Object with kill-on-close;
- every child starts in its own process group, and the tree is also found by folder (exe/cwd/cmdline
  inside the QuickSupport folders, started after us), which catches re-parented (double-forked) helpers;
- a tiny watchdog process holds a pipe from us: when the pipe breaks (we exited or were killed -9) it
  kills everything it has seen of the tree, then exits. It also exits by itself when nothing is left.

Note: PR_SET_PDEATHSIG fires when the *thread* that spawned the child ends, so spawn from a long-lived
thread (the session worker), never from a short-lived task thread.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import psutil

WATCHDOG_ARG = "qs-watchdog"  # the frozen app runs `<exe> qs-watchdog` (see watchdog_main)
IS_WINDOWS = sys.platform == "win32"
IS_LINUX = sys.platform.startswith("linux")
CREATE_SUSPENDED = 0x4  # Windows process creation flag (not among subprocess's constants)

log = logging.getLogger(__name__)


def _spellings(path: str | os.PathLike[str]) -> list[str]:
    """Every way a process may write the folder `path` (case folded on Windows): as given and as resolved.

    They differ on real machines: Windows writes %TEMP% in its 8.3 short form when the profile's name is no
    valid 8.3 name (C:\\Users\\UKASZ~1\\AppData\\Local\\Temp for "Łukasz Żółć"), and a program started
    from a folder so written runs from that spelling, while the resolved path is the long one; a profile moved
    to another disk behind a junction or link is written through the link by some and resolved by others."""
    given = os.path.normcase(os.path.abspath(os.fspath(path)))
    resolved = os.path.normcase(os.path.realpath(os.fspath(path)))
    return [given] if resolved == given else [given, resolved]


def _candidate_spellings(candidate: str) -> list[str]:
    """`candidate` (a program, folder or argument a process names) as written, and where Windows could have
    it in an 8.3 short form (a `~` in it), also with its long names: the folders are compared in both."""
    cand = os.path.normcase(candidate)
    if not IS_WINDOWS or "~" not in candidate or not os.path.isabs(candidate):  # never against our own cwd
        return [cand]
    try:
        resolved = os.path.normcase(os.path.realpath(candidate))
    except (OSError, ValueError):  # not a path at all (an argument such as --child, a NUL in it)
        return [cand]
    return [cand] if resolved == cand else [cand, resolved]


def _inside(candidate: str | None, dirs: Sequence[str]) -> bool:
    if not candidate:
        return False
    return any(cand == d or cand.startswith(d.rstrip(os.sep) + os.sep)
               for cand in _candidate_spellings(candidate) for d in dirs)


def _wait_gone(procs: Sequence[psutil.Process], timeout: float) -> list[psutil.Process]:
    """Those of `procs` still alive after at most `timeout` s. A zombie counts as gone: in a container
    without an init that reaps orphans it stays a zombie forever, and psutil.wait_procs would wait it out."""
    deadline = time.monotonic() + timeout
    alive = [p for p in procs if _is_alive(p)]
    while alive and time.monotonic() < deadline:
        time.sleep(0.01)
        alive = [p for p in alive if _is_alive(p)]
    return alive


def _is_alive(proc: psutil.Process) -> bool:
    """Running and no zombie. A process psutil still finds running whose state it cannot read (access denied;
    OSError under Wine) counts as alive: ending it is not done until it is surely gone."""
    try:
        if not proc.is_running():
            return False
        return proc.status() != psutil.STATUS_ZOMBIE
    except (psutil.NoSuchProcess, psutil.ZombieProcess):
        return False
    except (psutil.Error, OSError):
        return True


PROCESS_FIELDS = ("create_time", "exe", "cwd", "cmdline")


def process_info(proc: psutil.Process, fields: Sequence[str] = PROCESS_FIELDS) -> dict[str, object]:
    """`fields` of `proc`, each None where it cannot be read.

    One field failing never hides the others: psutil raises AccessDenied for other users' processes, and
    on Wine `exe()` and `name()` raise a plain OSError (NtQuerySystemInformation is incomplete there)
    while `cmdline()` and `cwd()` work, so the folder match still sees the command line.
    """
    info: dict[str, object] = {}
    with contextlib.suppress(psutil.Error, OSError), proc.oneshot():
        for name in fields:
            try:
                info[name] = getattr(proc, name)()
            except (psutil.NoSuchProcess, psutil.ZombieProcess):
                raise
            except (psutil.Error, OSError):
                info[name] = None
    return {name: info.get(name) for name in fields}


def process_name(proc: psutil.Process) -> str:
    """The executable's file name ('TeamViewer.exe'); from the command line where `name()` fails (Wine)."""
    name = process_info(proc, ("name",))["name"]
    if name:
        return str(name)
    # the command line only where the name fails: a scan reads this for every process on the machine
    cmdline = process_info(proc, ("cmdline",))["cmdline"]
    if isinstance(cmdline, list) and cmdline:
        return os.path.basename(str(cmdline[0]).replace("\\", "/"))
    return ""


def _windows_session_id(pid: int) -> int | None:
    """The Windows session (one per signed-in user: fast user switching, a terminal server) `pid` runs in;
    None where Windows does not say (ProcessIdToSessionId)."""
    import ctypes
    from ctypes import wintypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined]
    kernel32.ProcessIdToSessionId.argtypes = [wintypes.DWORD, ctypes.POINTER(wintypes.DWORD)]
    kernel32.ProcessIdToSessionId.restype = wintypes.BOOL
    session = wintypes.DWORD()
    return int(session.value) if kernel32.ProcessIdToSessionId(pid, ctypes.byref(session)) else None


def of_another_sign_in(proc: psutil.Process) -> bool:
    """True when `proc` surely runs for another signed-in user than this process: another Windows session,
    elsewhere another real user id. False where that cannot be read (such a process may be one the customer
    sees)."""
    if IS_WINDOWS:
        theirs, ours = _windows_session_id(proc.pid), _windows_session_id(os.getpid())
        return theirs is not None and ours is not None and theirs != ours
    try:
        return proc.uids().real != os.getuid()
    except (psutil.Error, OSError):
        return False


class ProcessTree:
    """Our QuickSupport processes: `roots`, their descendants, and anything living in `watch_dirs`."""

    def __init__(
        self, roots: Sequence[int], watch_dirs: Sequence[Path], *, since: float | None = None,
        job: int | None = None,
    ) -> None:
        self.roots = list(roots)
        self.job = job  # Windows: the Job Object our QuickSupport runs in (see spawn); its members are ours
        self.dirs = list(dict.fromkeys(spelling for d in watch_dirs for spelling in _spellings(d)))
        self._known: dict[int, psutil.Process] = {}
        self._pgids: set[int] = set()
        times = []
        for pid in self.roots:
            try:
                proc = psutil.Process(pid)
                self._known[pid] = proc
                times.append(proc.create_time())
                if not IS_WINDOWS:
                    self._pgids.add(os.getpgid(pid))
            except (psutil.NoSuchProcess, ProcessLookupError, PermissionError):
                continue
        self.since = since if since is not None else (min(times) if times else time.time()) - 1.0
        self._pgids.discard(os.getpgid(0) if not IS_WINDOWS else -1)  # never our own group

    def members(self) -> list[psutil.Process]:
        """Alive members now: descendants of everything already known, plus folder and group matches."""
        me = os.getpid()
        found: dict[int, psutil.Process] = {}
        for proc in list(self._known.values()):
            if not _is_alive(proc):
                continue
            found[proc.pid] = proc
            with contextlib.suppress(psutil.Error):
                for child in proc.children(recursive=True):
                    found.setdefault(child.pid, child)
        if self.job is not None:
            # every process QuickSupport starts joins its job, whatever its name or folder, and stays listed
            # there after its parent has exited: the hand-over to TeamViewer.exe cannot slip between two looks
            for pid in job_process_ids(self.job):
                if pid not in found and pid != me:
                    with contextlib.suppress(psutil.Error):
                        found[pid] = psutil.Process(pid)
        if self.dirs or self._pgids:
            for proc in psutil.process_iter():
                if proc.pid in found or proc.pid == me:
                    continue
                # only a process started since ours can be ours: the others never have their folder and
                # command line read (which reads another process's memory, for hundreds of them, several
                # times a second)
                if (process_info(proc, ("create_time",))["create_time"] or 0) < self.since:
                    continue
                proc.info = process_info(proc)
                if self._matches(proc):
                    found[proc.pid] = proc
        found.pop(me, None)
        alive = {pid: p for pid, p in found.items() if _is_alive(p)}
        self._known.update(alive)
        return list(alive.values())

    def _matches(self, proc: psutil.Process) -> bool:
        info = proc.info
        if self.dirs and (
            _inside(info["exe"], self.dirs)
            or _inside(info["cwd"], self.dirs)
            or any(_inside(arg, self.dirs) for arg in (info["cmdline"] or [])[:3])
        ):
            return True
        if self._pgids and not IS_WINDOWS:
            with contextlib.suppress(OSError):
                return os.getpgid(proc.pid) in self._pgids
        return False

    def terminate_all(self, grace_s: float = 1.0) -> list[int]:
        """SIGTERM all, SIGKILL what is left after `grace_s`; returns pids still alive (empty = done). On
        Windows the Job Object's members end first, all at once (Windows has no gentler way for them either)."""
        if self.job is not None:
            terminate_job(self.job)
        for _round in range(4):
            procs = self.members()
            if not procs:
                return []
            _signal_all(procs, kill=False)
            alive = _wait_gone(procs, timeout=grace_s if _round == 0 else 0.2)
            if alive:
                _signal_all(alive, kill=True)
                _wait_gone(alive, timeout=1.0)
        return [p.pid for p in self.members()]


def _signal_all(procs: Iterable[psutil.Process], *, kill: bool) -> None:
    for proc in procs:
        with contextlib.suppress(psutil.Error):
            if kill:
                proc.kill()
            else:
                proc.terminate()


# ---------------------------------------------------------------- spawning


class Spawned(subprocess.Popen):
    """A Popen that also owns its watchdog (and, on Windows, its Job Object handle)."""

    watchdog: Watchdog | None = None
    job_handle: int | None = None


def _pdeathsig_preexec(parent_pid: int):
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)  # loaded before fork: the child only calls into it
    pr_set_pdeathsig = 1

    def preexec() -> None:
        libc.prctl(pr_set_pdeathsig, int(signal.SIGKILL), 0, 0, 0)
        if os.getppid() != parent_pid:  # we died between fork and prctl
            os._exit(1)

    return preexec


def spawn(
    argv: Sequence[str],
    *,
    cwd: Path,
    env: Mapping[str, str],
    watch_dirs: Sequence[Path] | None = None,
    watchdog: bool | Watchdog = True,
) -> Spawned:
    """Start `argv` so that it (and its tree) cannot outlive this process. Raises OSError on failure, and then
    nothing of `argv` is left running.

    `watchdog`: True starts a watchdog for the tree first; a `Watchdog.launch()`ed earlier (while the
    download ran) is given the tree instead, or replaced by a new one if it has died meanwhile. A watchdog
    that cannot be started means `argv` is never started: a tree nobody could end when this process dies."""
    kwargs: dict = dict(cwd=str(cwd), env=dict(env), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                        stderr=subprocess.DEVNULL, close_fds=True)
    if IS_WINDOWS:
        # suspended until it is in its Job Object: a QuickSupport that starts its helpers at once would
        # otherwise start some outside the job, and a launcher killed in between would leave it unguarded
        kwargs["creationflags"] = subprocess.CREATE_NEW_PROCESS_GROUP | CREATE_SUSPENDED
    else:
        kwargs["process_group"] = 0
        if IS_LINUX:
            kwargs["preexec_fn"] = _pdeathsig_preexec(os.getpid())
    standby: Watchdog | None = None
    if watchdog:
        standby = watchdog if isinstance(watchdog, Watchdog) and watchdog.waiting else Watchdog.launch()
    dirs = list(watch_dirs) if watch_dirs is not None else [cwd]
    try:
        proc = _start(list(argv), kwargs)
    except OSError:
        if standby is not None:
            standby.release()
        raise
    try:
        if IS_WINDOWS:
            try:
                proc.job_handle = _windows_job_kill_on_close(int(proc._handle))  # type: ignore[attr-defined]
            except OSError as exc:  # e.g. a job we are in forbids nesting: the watchdog alone guards the tree
                log.warning("QuickSupport runs without a Job Object: %s", exc)
            _windows_resume(proc.pid)
        if standby is not None:
            # the watchdog may have died since it was launched (a broken pipe): what has started by now,
            # QuickSupport's own helpers included, is ended below
            standby.guard([proc.pid], dirs)
            proc.watchdog = standby
    except OSError:
        end_started(proc, dirs)
        if standby is not None:
            standby.release()
        raise
    return proc


def end_started(proc: Spawned, watch_dirs: Sequence[Path]) -> None:
    """End a tree `spawn` started but could not put under guard: the process, everything it has started
    (its Job Object on Windows, its process group elsewhere) and anything running from `watch_dirs`; then
    close the job. Waits for the process itself."""
    tree = ProcessTree([proc.pid], watch_dirs, job=proc.job_handle)
    left = tree.terminate_all(grace_s=0.0)
    if left:
        log.warning("processes of a failed start still running: %s", left)
    if proc.job_handle is not None:
        close_job(proc.job_handle)  # kill-on-close: whatever is still in the job ends with it
        proc.job_handle = None
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=5)


# CreateProcess failures that pass by themselves: a virus scanner still reading the exe just written holds it
# (ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION), and ERROR_INTERNAL_ERROR, met under load (Wine, CI)
TRANSIENT_START_ERRORS = frozenset({32, 33, 1359})
START_RETRY_DELAYS_S = (0.25, 0.5, 1.0, 2.0)


def _start(argv: list[str], kwargs: dict) -> Spawned:
    """Spawned(argv, **kwargs); on Windows tried again a few times, a moment apart, while CreateProcess fails
    with one of TRANSIENT_START_ERRORS (logged). Raises the last OSError."""
    for delay in START_RETRY_DELAYS_S:
        try:
            return Spawned(argv, **kwargs)
        except OSError as exc:
            if not IS_WINDOWS or getattr(exc, "winerror", None) not in TRANSIENT_START_ERRORS:
                raise
            log.warning("starting %s failed (%s): trying again in %.2f s", argv[0], exc, delay)
            time.sleep(delay)
    return Spawned(argv, **kwargs)  # the last try: its error is the one raised


def _windows_job_kill_on_close(process_handle: int) -> int:
    """Put the process in a new Job Object that kills all its members when our last handle closes."""
    import ctypes
    from ctypes import wintypes

    class IoCounters(ctypes.Structure):
        _fields_ = [(n, ctypes.c_ulonglong) for n in (
            "ReadOperationCount", "WriteOperationCount", "OtherOperationCount",
            "ReadTransferCount", "WriteTransferCount", "OtherTransferCount")]

    class BasicLimits(ctypes.Structure):
        _fields_ = [("PerProcessUserTimeLimit", ctypes.c_int64), ("PerJobUserTimeLimit", ctypes.c_int64),
                    ("LimitFlags", wintypes.DWORD), ("MinimumWorkingSetSize", ctypes.c_size_t),
                    ("MaximumWorkingSetSize", ctypes.c_size_t), ("ActiveProcessLimit", wintypes.DWORD),
                    ("Affinity", ctypes.c_size_t), ("PriorityClass", wintypes.DWORD),
                    ("SchedulingClass", wintypes.DWORD)]

    class ExtendedLimits(ctypes.Structure):
        _fields_ = [("BasicLimitInformation", BasicLimits), ("IoInfo", IoCounters),
                    ("ProcessMemoryLimit", ctypes.c_size_t), ("JobMemoryLimit", ctypes.c_size_t),
                    ("PeakProcessMemoryUsed", ctypes.c_size_t), ("PeakJobMemoryUsed", ctypes.c_size_t)]

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined]
    kernel32.CreateJobObjectW.restype = wintypes.HANDLE
    job = kernel32.CreateJobObjectW(None, None)
    if not job:
        raise OSError(ctypes.get_last_error(), "CreateJobObjectW failed")  # type: ignore[attr-defined]
    info = ExtendedLimits()
    info.BasicLimitInformation.LimitFlags = 0x2000  # JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE
    job_object_extended_limit_information = 9
    if not kernel32.SetInformationJobObject(
        wintypes.HANDLE(job), job_object_extended_limit_information, ctypes.byref(info), ctypes.sizeof(info)
    ) or not kernel32.AssignProcessToJobObject(wintypes.HANDLE(job), wintypes.HANDLE(process_handle)):
        err = ctypes.get_last_error()  # type: ignore[attr-defined]
        kernel32.CloseHandle(wintypes.HANDLE(job))
        raise OSError(err, "job object setup failed")
    return int(job)  # deliberately never closed by us: the OS closes it when we exit, killing the job


def _windows_resume(pid: int) -> None:
    """Resume the threads of process `pid`, started with CREATE_SUSPENDED (subprocess does not keep its
    main thread's handle, so the threads are found with a Toolhelp32 snapshot). Raises OSError when none
    could be resumed."""
    import ctypes
    from ctypes import wintypes

    class ThreadEntry32(ctypes.Structure):
        _fields_ = [("dwSize", wintypes.DWORD), ("cntUsage", wintypes.DWORD), ("th32ThreadID", wintypes.DWORD),
                    ("th32OwnerProcessID", wintypes.DWORD), ("tpBasePri", wintypes.LONG),
                    ("tpDeltaPri", wintypes.LONG), ("dwFlags", wintypes.DWORD)]

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined]
    kernel32.CreateToolhelp32Snapshot.restype = wintypes.HANDLE
    kernel32.OpenThread.restype = wintypes.HANDLE
    kernel32.ResumeThread.argtypes = [wintypes.HANDLE]
    kernel32.ResumeThread.restype = wintypes.DWORD  # (DWORD)-1 on failure: a plain int return would read -1
    th32cs_snapthread, thread_suspend_resume = 0x4, 0x2
    snapshot = kernel32.CreateToolhelp32Snapshot(th32cs_snapthread, 0)
    if not snapshot or snapshot == wintypes.HANDLE(-1).value:
        raise OSError(ctypes.get_last_error(), "CreateToolhelp32Snapshot failed")  # type: ignore[attr-defined]
    resumed = 0
    try:
        entry = ThreadEntry32()
        entry.dwSize = ctypes.sizeof(entry)
        more = kernel32.Thread32First(wintypes.HANDLE(snapshot), ctypes.byref(entry))
        while more:
            if entry.th32OwnerProcessID == pid:
                thread = kernel32.OpenThread(thread_suspend_resume, False, entry.th32ThreadID)
                if thread:
                    if kernel32.ResumeThread(wintypes.HANDLE(thread)) != 0xFFFFFFFF:
                        resumed += 1
                    kernel32.CloseHandle(wintypes.HANDLE(thread))
            more = kernel32.Thread32Next(wintypes.HANDLE(snapshot), ctypes.byref(entry))
    finally:
        kernel32.CloseHandle(wintypes.HANDLE(snapshot))
    if not resumed:
        raise OSError(ctypes.get_last_error(), f"could not resume process {pid}")  # type: ignore[attr-defined]


def job_process_ids(job: int) -> list[int]:
    """The ids of the processes in Windows Job Object `job` now (QueryInformationJobObject's
    JobObjectBasicProcessIdList); [] where the job cannot be asked."""
    import ctypes
    from ctypes import wintypes

    job_object_basic_process_id_list = 3
    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined]
    room = 64
    while room <= 65536:
        class IdList(ctypes.Structure):
            _fields_ = [("NumberOfAssignedProcesses", wintypes.DWORD), ("NumberOfProcessIdsInList", wintypes.DWORD),
                        ("ProcessIdList", ctypes.c_size_t * room)]

        ids = IdList()
        if kernel32.QueryInformationJobObject(wintypes.HANDLE(job), job_object_basic_process_id_list,
                                              ctypes.byref(ids), ctypes.sizeof(ids), None):
            return [int(pid) for pid in ids.ProcessIdList[:ids.NumberOfProcessIdsInList]]
        if ctypes.get_last_error() != 234:  # type: ignore[attr-defined] - ERROR_MORE_DATA: a bigger list
            return []
        room *= 4
    return []


def terminate_job(job: int) -> bool:
    """End every process in Windows Job Object `job` at once (TerminateJobObject): also one that denies us
    PROCESS_TERMINATE for itself, since the right comes with our handle on the job, and one started between
    two looks at the tree. True if Windows did it (failures are logged)."""
    import ctypes
    from ctypes import wintypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined]
    kernel32.TerminateJobObject.argtypes = [wintypes.HANDLE, wintypes.UINT]
    kernel32.TerminateJobObject.restype = wintypes.BOOL
    if kernel32.TerminateJobObject(job, 1):
        return True
    log.warning("TerminateJobObject failed: winerror %s", ctypes.get_last_error())  # type: ignore[attr-defined]
    return False


def close_job(job: int) -> None:
    """Close our handle on Windows Job Object `job`: with kill-on-close (see spawn) every process still in it
    ends."""
    import ctypes
    from ctypes import wintypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined]
    kernel32.CloseHandle.argtypes = [wintypes.HANDLE]
    kernel32.CloseHandle(job)


# ---------------------------------------------------------------- the watchdog


class Watchdog:
    """Handle on the watchdog process. `release()` after a clean stop; dying without it kills the tree.

    `launch()` starts the process with nothing to guard yet (it waits on its pipe), so its interpreter can
    start while QuickSupport is still being downloaded; `guard()` then hands it the tree. A launched
    watchdog that is released, or whose launcher dies, before `guard()` exits without doing anything."""

    def __init__(self, proc: subprocess.Popen) -> None:
        self.proc = proc
        self.guarding = False

    @classmethod
    def launch(cls) -> Watchdog:
        """Start a watchdog that waits for its tree. Raises OSError if it cannot be started."""
        if getattr(sys, "frozen", False):
            argv = [sys.executable, WATCHDOG_ARG]
        else:
            argv = [sys.executable, "-c", _WATCHDOG_BOOT, str(Path(__file__).resolve())]
        kwargs: dict = dict(stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            cwd=os.path.abspath(os.sep), close_fds=True)
        if IS_WINDOWS:
            # No console at all: Ctrl+Break typed in the launcher's console, and closing that console window,
            # end every process attached to it (a new process group only shields from Ctrl+C), and the
            # watchdog is there for the very moment the launcher dies
            kwargs["creationflags"] = subprocess.CREATE_NEW_PROCESS_GROUP | subprocess.DETACHED_PROCESS
        else:
            kwargs["start_new_session"] = True  # a terminal's Ctrl+C must not take it down before us
        return cls(subprocess.Popen(argv, **kwargs))

    @classmethod
    def start(cls, roots: Sequence[int], watch_dirs: Sequence[Path]) -> Watchdog:
        """A watchdog guarding `roots` and everything in `watch_dirs` from now on. Raises OSError."""
        watchdog = cls.launch()
        try:
            watchdog.guard(roots, watch_dirs)
        except OSError:
            watchdog.release()
            raise
        return watchdog

    @property
    def waiting(self) -> bool:
        """Launched, still alive, and not guarding anything yet."""
        return not self.guarding and self.proc.poll() is None

    def guard(self, roots: Sequence[int], watch_dirs: Sequence[Path]) -> None:
        """Hand the watchdog its tree (once). Raises OSError if it is gone (a broken pipe)."""
        if self.guarding:
            raise OSError("this watchdog already guards a tree")
        config = {"parent": os.getpid(), "roots": list(roots), "dirs": [str(d) for d in watch_dirs],
                  "since": time.time() - 1.0}
        assert self.proc.stdin is not None
        self.proc.stdin.write((json.dumps(config) + "\n").encode())
        self.proc.stdin.flush()
        self.guarding = True

    @property
    def pid(self) -> int:
        return self.proc.pid

    def release(self, timeout_s: float = 3.0) -> None:
        """Close our end of the pipe: the watchdog sweeps once more (finding nothing) and exits."""
        with contextlib.suppress(OSError):
            if self.proc.stdin is not None:
                self.proc.stdin.close()
        try:
            self.proc.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


# Runs in the watchdog: loads this very file without importing the launcher package.
_WATCHDOG_BOOT = (
    "import importlib.util,sys;"
    "s=importlib.util.spec_from_file_location('_qs_watchdog',sys.argv[1]);"
    "m=importlib.util.module_from_spec(s);s.loader.exec_module(m);m.watchdog_entry()"
)

SCAN_INTERVAL_S = 0.2
IDLE_EXIT_S = 3.0


def watchdog_main(stream=None) -> int:
    """The watchdog's body: track the tree while the launcher lives; kill it when the launcher is gone."""
    import threading

    stream = stream or sys.stdin.buffer
    config = json.loads(stream.readline() or b"{}")
    if not config:
        return 0
    parent = int(config["parent"])
    tree = ProcessTree(config["roots"], [Path(d) for d in config["dirs"]], since=float(config["since"]))
    gone = threading.Event()

    def wait_for_eof() -> None:
        with contextlib.suppress(Exception):
            while stream.read(1):
                pass
        gone.set()

    threading.Thread(target=wait_for_eof, daemon=True).start()
    idle_since: float | None = None
    while not gone.wait(SCAN_INTERVAL_S):
        if not psutil.pid_exists(parent) or (not IS_WINDOWS and os.getppid() != parent):
            break
        if tree.members():
            idle_since = None
        elif idle_since is None:
            idle_since = time.monotonic()
        elif time.monotonic() - idle_since > IDLE_EXIT_S:
            return 0  # nothing of QuickSupport is left: nothing to guard
    # the launcher is gone or released us: kill at once, sweep until nothing is found twice in a row
    deadline, empty = time.monotonic() + 10.0, 0
    while empty < 2 and time.monotonic() < deadline:
        procs = tree.members()
        _signal_all(procs, kill=True)
        _wait_gone(procs, timeout=0.3)
        empty = 0 if procs else empty + 1
        time.sleep(0.05)
    return 0


def watchdog_entry() -> None:
    """Process entry (`<frozen exe> qs-watchdog` calls this); os._exit as a daemon thread blocks stdin."""
    code = 1
    try:
        code = watchdog_main()
    finally:
        os._exit(code)
