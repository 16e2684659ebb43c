"""Processes for the Windows process tests (run as scripts by the Windows Python, never imported by the app).

    python children.py tree --dir D [--depth N]      registers, starts one child (depth N-1), sleeps
    python children.py breakaway --dir D             asks Windows to start a helper outside our Job Object
                                                     (CREATE_BREAKAWAY_FROM_JOB), writes D/breakaway.txt
                                                     ("refused <winerror>" or "started <pid>"); when refused,
                                                     starts the helper plainly, as a real program retries
    python children.py launcher --dir D [--no-watchdog] --qs-dir Q -- ARGS
                                                     a launcher-like parent: process.spawn(ARGS) watching
                                                     Q, writes D/launcher.json, sleeps until killed
    python children.py unkillable --dir D              registers, denies PROCESS_TERMINATE to everyone on
                                                     itself (its DACL), writes D/unkillable.txt, sleeps
    python children.py session --config FILE --report R
                                                     the launcher's core session (fetch, verify, start)
                                                     until the ID is known, writes R, sleeps until killed

Every process writes its pid to D/pids/<pid>, so a test knows exactly what must end up dead.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve()
REPO = HERE.parent.parent.parent
CREATE_BREAKAWAY_FROM_JOB = 0x01000000


def register(folder: Path) -> None:
    pids = folder / "pids"
    pids.mkdir(parents=True, exist_ok=True)
    (pids / str(os.getpid())).write_text(str(os.getpid()))


def sleep_forever() -> None:
    while True:
        time.sleep(0.5)


def child_argv(*args: str) -> list[str]:
    return [sys.executable, str(HERE), *args]


def cmd_tree(args: argparse.Namespace) -> None:
    register(args.dir)
    if args.depth > 0:
        subprocess.Popen(child_argv("tree", "--dir", str(args.dir), "--depth", str(args.depth - 1)))
    sleep_forever()


def cmd_breakaway(args: argparse.Namespace) -> None:
    register(args.dir)
    helper = child_argv("tree", "--dir", str(args.dir), "--depth", "0")
    try:
        proc = subprocess.Popen(helper, creationflags=CREATE_BREAKAWAY_FROM_JOB)
        outcome = f"started {proc.pid}"
    except OSError as exc:
        outcome = f"refused {getattr(exc, 'winerror', None)}"
        subprocess.Popen(helper)
    (args.dir / "breakaway.txt").write_text(outcome)
    sleep_forever()


def cmd_launcher(args: argparse.Namespace) -> None:
    sys.path.insert(0, str(REPO))
    from launcher.core.quicksupport.process import spawn

    register(args.dir)
    proc = spawn(args.rest, cwd=args.qs_dir, env=dict(os.environ), watch_dirs=[args.qs_dir],
                 watchdog=not args.no_watchdog)
    info = {"child": proc.pid, "watchdog": proc.watchdog.pid if proc.watchdog else None,
            "job": proc.job_handle}
    tmp = args.dir / "launcher.json.tmp"
    tmp.write_text(json.dumps(info))
    os.replace(tmp, args.dir / "launcher.json")
    sleep_forever()


def cmd_session(args: argparse.Namespace) -> None:
    sys.path.insert(0, str(REPO))
    from launcher.config import load_config
    from launcher.core.download import open_verified
    from launcher.core.fetch import fetch_quicksupport
    from launcher.core.paths import app_paths
    from launcher.core.quicksupport.launch import prepare
    from launcher.core.quicksupport.session import QuickSupportSession

    config = load_config(args.config)
    paths = app_paths(config.paths.data_dir).ensure()
    verified = fetch_quicksupport(config, paths)
    session = QuickSupportSession(prepare(verified.path, verified.artifact, paths.runtime, open_verified))
    session.start()
    while session.tv_id is None:
        session.poll()
        time.sleep(0.05)
    tmp = args.report.with_suffix(".tmp")
    tmp.write_text(json.dumps({"tv_id": session.tv_id, "pids": session.pids}))
    os.replace(tmp, args.report)
    while True:
        session.poll()
        time.sleep(0.1)


def cmd_unkillable(args: argparse.Namespace) -> None:
    """A process nobody may end with TerminateProcess (its DACL says so), as a program may make itself."""
    import ctypes
    from ctypes import wintypes

    register(args.dir)
    advapi32 = ctypes.WinDLL("advapi32", use_last_error=True)  # type: ignore[attr-defined]
    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined]
    kernel32.GetCurrentProcess.restype = wintypes.HANDLE
    advapi32.SetSecurityInfo.argtypes = [wintypes.HANDLE, ctypes.c_int, wintypes.DWORD, ctypes.c_void_p,
                                         ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p]
    descriptor, dacl = ctypes.c_void_p(), ctypes.c_void_p()
    present, defaulted = wintypes.BOOL(), wintypes.BOOL()
    # deny PROCESS_TERMINATE (0x1) to Everyone, allow everything else
    if not advapi32.ConvertStringSecurityDescriptorToSecurityDescriptorW(
            "D:(D;;0x1;;;WD)(A;;GA;;;WD)", 1, ctypes.byref(descriptor), None):
        raise OSError(ctypes.get_last_error(), "ConvertStringSecurityDescriptorToSecurityDescriptorW")  # type: ignore[attr-defined]
    advapi32.GetSecurityDescriptorDacl(descriptor, ctypes.byref(present), ctypes.byref(dacl), ctypes.byref(defaulted))
    se_kernel_object, dacl_security_information = 6, 4
    error = advapi32.SetSecurityInfo(kernel32.GetCurrentProcess(), se_kernel_object, dacl_security_information,
                                     None, None, dacl, None)
    (args.dir / "unkillable.txt").write_text(str(error))
    sleep_forever()


def main() -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="cmd", required=True)
    tree = sub.add_parser("tree")
    tree.add_argument("--dir", type=Path, required=True)
    tree.add_argument("--depth", type=int, default=0)
    brk = sub.add_parser("breakaway")
    brk.add_argument("--dir", type=Path, required=True)
    lau = sub.add_parser("launcher")
    lau.add_argument("--dir", type=Path, required=True)
    lau.add_argument("--qs-dir", type=Path, required=True)
    lau.add_argument("--no-watchdog", action="store_true")
    lau.add_argument("rest", nargs=argparse.REMAINDER)
    unk = sub.add_parser("unkillable")
    unk.add_argument("--dir", type=Path, required=True)
    ses = sub.add_parser("session")
    ses.add_argument("--config", type=Path, required=True)
    ses.add_argument("--report", type=Path, required=True)
    args = parser.parse_args()
    if args.cmd == "launcher" and args.rest[:1] == ["--"]:
        args.rest = args.rest[1:]
    {"tree": cmd_tree, "breakaway": cmd_breakaway, "launcher": cmd_launcher, "session": cmd_session,
     "unkillable": cmd_unkillable}[args.cmd](args)


if __name__ == "__main__":
    main()
