"""Misbehaving QuickSupport stand-ins for process tests (run as scripts, never imported by the app).

    python standins.py run --dir D [--id N] [--children N] [--ignore-term] [--double-fork] [--slow-log]
    python standins.py sleeper --dir D [--depth N] [--ignore-term]
    python standins.py launcher --dir D [--no-watchdog] -- <run args>   (a launcher-like parent)

Every process writes its pid to D/pids/<pid>, so a test knows exactly what must end up dead.
The log goes to D/logfiles/TeamViewer15_Logfile.log in TeamViewer's format.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve()
REPO = HERE.parent.parent.parent


def register(folder: Path) -> None:
    pids = folder / "pids"
    pids.mkdir(parents=True, exist_ok=True)
    (pids / str(os.getpid())).write_text(str(os.getpid()))


def maybe_ignore_term(ignore: bool) -> None:
    if ignore:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)


def tv_line(msg: str) -> str:
    now = datetime.now()
    stamp = now.strftime("%Y/%m/%d %H:%M:%S.") + f"{now.microsecond // 1000:03d}"
    return f"{stamp}  {os.getpid()}  {1234:>9} S0   {msg}\n"


def write_log(folder: Path, tv_id: str, slow: bool) -> None:
    logs = folder / "logfiles"
    logs.mkdir(parents=True, exist_ok=True)
    text = (
        tv_line("Logger started.")
        + "\nStart:              2024/02/16 06:05:19.548 (UTC+1:00)\nID:                 0\n\n"
        + tv_line(f"Login::Identify::ManageLogin(): ID: {tv_id} IC -2100253538 MIDv2")
        + tv_line("KeepAliveSessionOutgoing::ConnectSuccessHandler(): "
                  "KeepAliveConnect to router3.teamviewer.com successful")
    ).encode()
    with open(logs / "TeamViewer15_Logfile.log", "ab", buffering=0) as fh:
        if not slow:
            fh.write(text)
            return
        for i in range(0, len(text), 23):  # in pieces that split lines anywhere
            fh.write(text[i : i + 23])
            time.sleep(0.01)


def child_argv(*args: str) -> list[str]:
    return [sys.executable, str(HERE), *args]


def sleep_forever() -> None:
    while True:
        time.sleep(0.5)


def cmd_sleeper(args) -> None:
    maybe_ignore_term(args.ignore_term)
    register(args.dir)
    if args.depth > 0:
        extra = ["--ignore-term"] if args.ignore_term else []
        depth = str(args.depth - 1)
        subprocess.Popen(child_argv("sleeper", "--dir", str(args.dir), "--depth", depth, *extra))
    sleep_forever()


def cmd_run(args) -> None:
    maybe_ignore_term(args.ignore_term)
    register(args.dir)
    extra = ["--ignore-term"] if args.ignore_term else []
    for _ in range(args.children):
        subprocess.Popen(child_argv("sleeper", "--dir", str(args.dir), "--depth", "1", *extra))
    if args.double_fork and os.fork() == 0:
        os.setsid()  # leave our process group and session too
        if os.fork() != 0:
            os._exit(0)
        register(args.dir)  # re-parented to init (or a subreaper): no parent link back to us
        sleep_forever()
    write_log(args.dir, args.id, args.slow_log)
    sleep_forever()


def cmd_launcher(args) -> None:
    sys.path.insert(0, str(REPO))
    from launcher.core.quicksupport.process import Watchdog, spawn

    # --watchdog-ahead: as the app does, the watchdog is launched first (during the download) and handed
    # the tree after the spawn
    watchdog_arg = Watchdog.launch() if args.watchdog_ahead else not args.no_watchdog
    proc = spawn(child_argv("run", "--dir", str(args.dir), *args.rest), cwd=args.dir, env=dict(os.environ),
                 watchdog=watchdog_arg)
    watchdog = proc.watchdog.pid if proc.watchdog else 0
    print(f"READY {proc.pid} {watchdog}", flush=True)
    sleep_forever()


def main() -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="cmd", required=True)
    run = sub.add_parser("run")
    run.add_argument("--id", default="1660388656")
    run.add_argument("--children", type=int, default=0)
    run.add_argument("--double-fork", action="store_true")
    run.add_argument("--slow-log", action="store_true")
    sleeper = sub.add_parser("sleeper")
    sleeper.add_argument("--depth", type=int, default=0)
    launcher = sub.add_parser("launcher")
    launcher.add_argument("--no-watchdog", action="store_true")
    launcher.add_argument("--watchdog-ahead", action="store_true")
    launcher.add_argument("rest", nargs=argparse.REMAINDER)
    for p in (run, sleeper, launcher):
        p.add_argument("--dir", type=Path, required=True)
        p.add_argument("--ignore-term", action="store_true")
    args = parser.parse_args()
    if args.cmd == "launcher":
        args.rest = [a for a in args.rest if a != "--"]
    {"run": cmd_run, "sleeper": cmd_sleeper, "launcher": cmd_launcher}[args.cmd](args)


if __name__ == "__main__":
    main()
