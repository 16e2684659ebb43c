"""Finding the processes a test started, by a marker (a folder of the test) they carry; ending one a test
started with a signal, and making sure it never outlives the test."""

from __future__ import annotations

import os
import signal
import subprocess
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

import psutil


def processes_mentioning(marker: str) -> list[psutil.Process]:
    """Alive processes other than this one whose command line or working folder contains `marker`
    (processes that end or deny access while being read are passed over)."""
    found = []
    for proc in psutil.process_iter(["cmdline", "cwd"]):
        try:
            text = " ".join(proc.info["cmdline"] or []) + " " + (proc.info["cwd"] or "")
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
        if marker in text and proc.pid != os.getpid():
            found.append(proc)
    return found


def alive_pids(pids: Iterable[int]) -> list[int]:
    """Those of `pids` (in their order) whose process exists and is not a zombie."""
    alive = []
    for pid in pids:
        try:
            if psutil.Process(pid).status() != psutil.STATUS_ZOMBIE:
                alive.append(pid)
        except psutil.NoSuchProcess:
            continue
    return alive


@contextmanager
def killed_if_left(proc: subprocess.Popen) -> Iterator[subprocess.Popen]:
    """`proc` for the block; if it still runs when the block is left (a failed wait or assertion inside),
    it is killed and reaped, its pipes read to the end."""
    try:
        yield proc
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()


def signal_and_collect(proc: subprocess.Popen, sig: int, limit_s: float) -> tuple:
    """Sends `sig` to `proc` unless it has already ended, then waits up to `limit_s` seconds for its end and
    returns what `communicate()` gives: (stdout, stderr), str or bytes as `proc` was opened. Raises
    subprocess.TimeoutExpired if it is still running after `limit_s`."""
    if proc.poll() is None:
        proc.send_signal(sig)
    return proc.communicate(timeout=limit_s)


def terminate_and_wait(proc: subprocess.Popen, limit_s: float = 30.0) -> int:
    """SIGTERM to `proc`, as a desktop session's logout sends it; if it has not ended after `limit_s`
    seconds, SIGKILL. Returns its exit code (negative: the number of the signal that ended it)."""
    proc.send_signal(signal.SIGTERM)
    try:
        return proc.wait(limit_s)
    except subprocess.TimeoutExpired:
        proc.kill()
        return proc.wait()
