"""Small file-system helpers: atomic writes so no bad input leaves a half-written file."""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

# What a write raises when the disk (or the user's quota on it) has no room left
DISK_FULL_ERRNOS = frozenset({errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)})
_WIN_DISK_FULL = {39, 112}  # ERROR_HANDLE_DISK_FULL, ERROR_DISK_FULL


def is_disk_full(exc: BaseException) -> bool:
    """True when `exc` is an OSError that says the disk (or the quota) is full."""
    return isinstance(exc, OSError) and (exc.errno in DISK_FULL_ERRNOS
                                         or getattr(exc, "winerror", None) in _WIN_DISK_FULL)


def free_bytes(folder: str | os.PathLike[str]) -> int | None:
    """Bytes this user may still write on the file system holding `folder` (shutil.disk_usage: statvfs's
    f_bavail on POSIX, GetDiskFreeSpaceExW on Windows); None where it cannot be told (gone, no access)."""
    try:
        return shutil.disk_usage(folder).free
    except (OSError, ValueError):
        return None


# Windows refuses to replace a file while another handle holds it open without FILE_SHARE_DELETE
# (antivirus scanners, the search indexer, backup tools: usually for a moment).
_WIN_HELD = {5, 32, 33}  # ERROR_ACCESS_DENIED, ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION
REPLACE_RETRY_S = 2.0


def replace_file(src: str | os.PathLike[str], dst: str | os.PathLike[str],
                 retry_s: float = REPLACE_RETRY_S) -> None:
    """os.replace; on Windows retried for up to `retry_s` while `dst` is held open by another program.
    Raises the last OSError (PermissionError on Windows) if it stays held."""
    deadline = time.monotonic() + retry_s
    while True:
        try:
            os.replace(src, dst)
            return
        except PermissionError as exc:
            if sys.platform != "win32" or getattr(exc, "winerror", None) not in _WIN_HELD:
                raise
            if time.monotonic() >= deadline:
                raise
            time.sleep(0.05)


def atomic_write_bytes(path: Path, data: bytes, mode: int = 0o600) -> None:
    """Write `data` to `path` so a reader sees either the old file or the whole new one.

    Raises OSError; then `path` is as it was and no temporary file is left."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        replace_file(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def atomic_write_text(path: Path, text: str, mode: int = 0o600) -> None:
    atomic_write_bytes(path, text.encode("utf-8"), mode)


def append_line(path: Path, line: str) -> None:
    """Append one whole line (JSON-lines records); a torn earlier tail is closed off first.

    Raises OSError (a full disk: ENOSPC) with the file as it was: a disk with room for part of the line
    takes that part in a short write, which is taken back rather than left as a torn record."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        size = os.fstat(fd).st_size
        prefix = b""
        if size:
            with open(path, "rb") as fh:
                fh.seek(size - 1)
                if fh.read(1) != b"\n":
                    prefix = b"\n"
        rest = memoryview(prefix + line.rstrip("\n").encode("utf-8") + b"\n")
        try:
            while rest:
                rest = rest[os.write(fd, rest):]
            os.fsync(fd)
        except OSError:
            with contextlib.suppress(OSError):
                os.ftruncate(fd, size)
            raise
    finally:
        os.close(fd)
