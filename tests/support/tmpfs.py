"""A small tmpfs mounted for one test: a full disk, a read-only or a noexec folder made for real."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from launcher.core.fsutil import is_disk_full


@contextmanager
def mounted_tmpfs(folder: Path, options: str) -> Iterator[Path]:
    """`folder` (made here) with a tmpfs mounted on it with mount's `options` (e.g. "size=4k",
    "ro,size=4k", "noexec,size=1m"), unmounted afterwards. Skips the test where mounting is impossible
    (not Linux, not root, no mount permission)."""
    if not sys.platform.startswith("linux") or os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs Linux and root")
    folder.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr!r}")
    try:
        yield folder
    finally:
        for _ in range(50):  # a process that just exited may still hold it a moment
            if subprocess.run(["umount", str(folder)], capture_output=True).returncode == 0:
                break
            time.sleep(0.1)


def fill_up(folder: Path) -> Path:
    """Write one file in `folder` until its file system has no room left (ENOSPC; ERROR_DISK_FULL on Windows,
    where tests/windows/unix_tmpfs.py mounts one through Wine); returns that file. Unbuffered writes, so
    nothing is left over to fail again when the file is closed."""
    filler = folder / "filler.bin"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_APPEND | getattr(os, "O_BINARY", 0), 0o600)
    try:
        for size in (1 << 16, 1 << 12, 1):  # big pieces first, then to the very last byte (a bigger first
            # piece was EINVAL under Wine once its drive was nearly full)
            try:
                while True:
                    os.write(fd, b"\0" * size)
            except OSError as exc:
                if not is_disk_full(exc):
                    raise
    finally:
        os.close(fd)
    return filler
