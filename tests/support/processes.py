"""Finding the processes a test started, by a marker (a folder of the test) they carry."""

from __future__ import annotations

import os
from collections.abc import Iterable

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
