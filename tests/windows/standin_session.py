"""What the Windows tests share around a run of the stand-in: the customer's folders and the stand-in's
options in this test's environment, and a `session` command read until a line, then answered with q."""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

# The stand-in's options (launcher/demo/windows/standin.c): its ID, the consultant joining after 0.5 s and
# leaving 1.5 s later, and a limit on its whole run.
DEMO_OPTIONS = {"OVERMAX_DEMO_ID": "1660388656", "OVERMAX_DEMO_JOIN_AFTER": "0.5",
                "OVERMAX_DEMO_LEAVE_AFTER": "1.5", "OVERMAX_DEMO_MAX_SECONDS": "120"}


def set_customer_home(monkeypatch: pytest.MonkeyPatch, folders: Mapping[str, Path]) -> None:
    """Make each folder (`{"TEMP": path, "APPDATA": path, ...}`) and name it in this test's environment
    (QuickSupport inherits it); %TMP% is %TEMP%; the stand-in's options are `DEMO_OPTIONS`."""
    for name, folder in folders.items():
        folder.mkdir(parents=True, exist_ok=True)
        monkeypatch.setenv(name, str(folder))
    monkeypatch.setenv("TMP", str(folders["TEMP"]))
    for name, value in DEMO_OPTIONS.items():
        monkeypatch.setenv(name, value)


def answer_q_after(proc: subprocess.Popen, until: Callable[[str], bool],
                   timeout_s: float = 120) -> tuple[list[str], str, str]:
    """Read `proc`'s stdout (text mode) line by line until `until(line)` holds or it ends, then write q and
    wait up to `timeout_s` for the end; a process still alive after that is killed.

    Returns the lines read (without newlines, the one that stopped the reading last) and the rest of stdout
    and stderr. Raises subprocess.TimeoutExpired when it does not end in time."""
    lines: list[str] = []
    try:
        while (line := proc.stdout.readline()) and not until(line.rstrip("\n")):
            lines.append(line.rstrip("\n"))
        lines.append(line.rstrip("\n"))
        proc.stdin.write("q\n")
        proc.stdin.flush()
        out, err = proc.communicate(timeout=timeout_s)
    finally:
        if proc.poll() is None:
            proc.kill()
    return lines, out, err
