"""Files and folders under a new random name, made in a bounded number of tries: the launcher's mkstemp and mkdtemp.

Why not `tempfile`: on Windows, CPython 3.11 and 3.12 read "access denied" as a clash with a folder of the chosen
name and draw another name, up to `tempfile.TMP_MAX`, which is `os.TMP_MAX` = 2,147,483,647 there
(python/cpython#66305). Their check that the folder may be written, `os.access(dir, W_OK)`, looks only at the
read-only attribute on Windows, never at the access list or a read-only drive: so in a folder this user may not
write to, `mkstemp`, `mkdtemp`, `NamedTemporaryFile` and `TemporaryDirectory` try names for weeks (about 1.5 ms a
try under Wine) and the launcher hung with no error code, Ctrl+C not heard in `session` (the frozen Windows app
ships 3.11.9). Newer CPython bounds the tries and takes a PermissionError for a clash only where a folder of that
name really exists; this module does the same on every Python the launcher runs on.

A name is a clash, and another name is drawn, only when it is taken: FileExistsError, or on Windows a
PermissionError where a folder of that name exists (CreateFile refuses to open a folder as a file with
ERROR_ACCESS_DENIED). Every other OSError (access denied, a read-only drive, a full disk, a missing folder) is
raised at once, and then nothing was made. After `ATTEMPTS` clashes in a row FileExistsError is raised.
"""

from __future__ import annotations

import errno
import os
import secrets
import sys
from pathlib import Path

ATTEMPTS = 100  # clashes in a row before giving up; a clash of 64 random bits is one in 2**64 by itself

# O_NOINHERIT (Windows) and O_CLOEXEC (POSIX): no child process gets the handle (Python sets this by itself since
# PEP 446; said here so it does not depend on that). O_BINARY: Windows' os.open is text mode by default.
_FILE_FLAGS = (os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
               | getattr(os, "O_NOINHERIT", 0) | getattr(os, "O_CLOEXEC", 0))


def _candidate(folder: Path, prefix: str, suffix: str) -> Path:
    return folder / f"{prefix}{secrets.token_hex(8)}{suffix}"


def is_name_clash(exc: OSError, candidate: str | os.PathLike[str]) -> bool:
    """True when `exc`, raised making `candidate`, says only that the name is taken."""
    if isinstance(exc, FileExistsError):
        return True
    return sys.platform == "win32" and isinstance(exc, PermissionError) and os.path.isdir(candidate)


def create_file(folder: str | os.PathLike[str], prefix: str = "", suffix: str = "", *, mode: int = 0o600,
                attempts: int = ATTEMPTS, delete_on_close: bool = False) -> tuple[int, Path]:
    """A new empty file `folder/<prefix><16 hex digits><suffix>`, made with O_CREAT|O_EXCL (never an existing file,
    never through a link), readable and writable by this user only (mode 0600 on POSIX), opened for reading and
    writing in binary mode and not inherited by child processes. Returns (descriptor, path); the caller closes the
    descriptor and removes the file; with `delete_on_close` on Windows (O_TEMPORARY: FILE_FLAG_DELETE_ON_CLOSE) the
    system removes it when the last handle to it is closed, an antivirus scanner's too.

    Raises the OSError of the first try that is not a name clash (PermissionError, a read-only drive, a full disk,
    FileNotFoundError for a missing folder) at once, or FileExistsError after `attempts` clashes; nothing is made
    then."""
    folder = Path(folder)
    flags = _FILE_FLAGS | (getattr(os, "O_TEMPORARY", 0) if delete_on_close else 0)
    for _ in range(attempts):
        path = _candidate(folder, prefix, suffix)
        try:
            return os.open(path, flags, mode), path
        except OSError as exc:
            if not is_name_clash(exc, path):
                raise
    raise FileExistsError(errno.EEXIST, f"no unused name found in {attempts} tries", str(folder))


def create_folder(folder: str | os.PathLike[str], prefix: str = "", suffix: str = "", *, mode: int = 0o700,
                  attempts: int = ATTEMPTS) -> Path:
    """A new empty folder `folder/<prefix><16 hex digits><suffix>` (mode 0700 on POSIX: this user's only).

    Raises as create_file does: the first OSError that is not a name clash at once, FileExistsError after
    `attempts` clashes; nothing is made then."""
    folder = Path(folder)
    for _ in range(attempts):
        path = _candidate(folder, prefix, suffix)
        try:
            os.mkdir(path, mode)
            return path
        except OSError as exc:
            if not is_name_clash(exc, path):
                raise
    raise FileExistsError(errno.EEXIST, f"no unused name found in {attempts} tries", str(folder))


def check_writable(folder: str | os.PathLike[str], prefix: str = ".overmax-probe-") -> None:
    """Make a new file in `folder` and remove it again: raises the OSError that says why `folder` cannot be
    written to (access denied, a read-only drive, a full one, a missing folder), else leaves nothing behind.
    On Windows the file is deleted on close by the system, so a scanner that opened it cannot make its removal
    fail (and the folder look unwritable)."""
    fd, path = create_file(folder, prefix, ".tmp", delete_on_close=True)
    try:
        os.close(fd)
    finally:
        if not hasattr(os, "O_TEMPORARY"):
            os.unlink(path)
