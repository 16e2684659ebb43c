"""Small file-system helpers: atomic writes so no bad input leaves a half-written file."""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import stat
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO

from launcher.core.unique_names import create_file

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


# Windows' read-only attribute (FILE_ATTRIBUTE_READONLY) makes DeleteFile fail, and MoveFileEx onto the file,
# with ERROR_ACCESS_DENIED for every user, administrators too. Backup and sync tools, copies off a CD or out of a
# zip, and programs that unpack read-only files (QuickSupport among them) leave it on files. Python's stat shows
# the attribute as a mode without S_IWRITE, and os.chmod(path, S_IWRITE) clears it: the way the Python
# documentation's shutil.rmtree example, pip and setuptools clear it. On POSIX a file's own mode never stops
# its removal (the folder's does), so there the same steps change nothing that matters.


def clear_readonly(path: str | os.PathLike[str]) -> bool:
    """Clear the read-only attribute (the owner's write bit on POSIX) of `path` itself, never of what a link
    points to. True when it was set and is now cleared; False when it was not set, `path` is a link or gone,
    or the attribute could not be changed (then the caller's own error says why)."""
    try:
        info = os.lstat(path)
        if stat.S_ISLNK(info.st_mode) or info.st_mode & stat.S_IWRITE:
            return False
        os.chmod(path, stat.S_IMODE(info.st_mode) | stat.S_IWRITE)
    except OSError:
        return False
    return True


def remove_file(path: str | os.PathLike[str], *, missing_ok: bool = False) -> None:
    """os.unlink; a file with the read-only attribute has it cleared and is removed (see clear_readonly).
    Raises FileNotFoundError (unless `missing_ok`), PermissionError where it stays refused (on Windows another
    program holding it open, a folder this user may not write to) and other OSErrors as os.unlink does."""
    try:
        os.unlink(path)
    except FileNotFoundError:
        if not missing_ok:
            raise
    except PermissionError:
        if not clear_readonly(path):
            raise
        os.unlink(path)


def _clear_readonly_and_retry(func: Callable[..., Any], path: str, exc: BaseException) -> None:
    """shutil.rmtree's onexc: a file or folder refused because of the read-only attribute has it cleared and
    `func` (os.unlink, os.rmdir) is called again; every other error is raised again, which ends the rmtree."""
    if (isinstance(exc, PermissionError) and func in (os.unlink, os.remove, os.rmdir)
            and clear_readonly(path)):
        func(path)
        return
    if isinstance(exc, FileNotFoundError):  # gone already: what was wanted
        return
    raise exc


def remove_tree(path: str | os.PathLike[str]) -> None:
    """shutil.rmtree of the folder `path` (links inside are removed, never followed), clearing the read-only
    attribute of files and folders that have it (see clear_readonly). A folder already gone is no error.
    Raises the first OSError that clearing the attribute does not mend (PermissionError: a file another
    program holds open on Windows, a folder this user may not write to); what came before it is removed."""
    try:
        if sys.version_info >= (3, 12):
            shutil.rmtree(path, onexc=_clear_readonly_and_retry)
        else:  # onexc is new in 3.12, where onerror is deprecated
            shutil.rmtree(path, onerror=lambda func, name, info: _clear_readonly_and_retry(func, name, info[1]))
    except FileNotFoundError:
        if os.path.lexists(path):
            raise


# Windows refuses to replace a file while another handle holds it open, whatever its share mode (antivirus
# scanners, the search indexer, backup tools, and other launchers reading the same file: each for a moment).
_WIN_HELD = {5, 32, 33}  # ERROR_ACCESS_DENIED, ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION
REPLACE_RETRY_S = 2.0
_FIRST_PAUSE_S = 0.001  # readers hold the file for a moment each: try again soon, then less often
_LONGEST_PAUSE_S = 0.05


def replace_file(src: str | os.PathLike[str], dst: str | os.PathLike[str],
                 retry_s: float = REPLACE_RETRY_S, *, clear_dst_readonly: bool = True) -> None:
    """os.replace; on Windows a `dst` with the read-only attribute has it cleared first (unless
    `clear_dst_readonly` is False: a file the customer chose, whose attribute is theirs to keep), and the
    replace is tried again while `dst` is held open by another program, for up to `retry_s` seconds: at once
    at first, then every 50 ms, so a file that several readers take turns to hold is still caught free.
    Raises the last OSError (PermissionError on Windows) if it stays refused."""
    deadline = time.monotonic() + retry_s
    pause = _FIRST_PAUSE_S
    while True:
        try:
            os.replace(src, dst)
            return
        except PermissionError as exc:
            if sys.platform != "win32" or getattr(exc, "winerror", None) not in _WIN_HELD:
                raise
            if clear_dst_readonly and clear_readonly(dst):
                continue  # the attribute, not a holder: at once, and no second time (it is cleared now)
            if time.monotonic() >= deadline:
                raise
            time.sleep(pause)
            pause = min(pause * 2, _LONGEST_PAUSE_S)


def atomic_write_bytes(path: Path, data: bytes, mode: int = 0o600, *, clear_readonly_target: bool = True,
                       replace_retry_s: float = REPLACE_RETRY_S) -> None:
    """Write `data` to `path` so a reader sees either the old file or the whole new one. An old file with the
    read-only attribute (a file of the launcher's own that a backup tool marked) is replaced all the same,
    unless `clear_readonly_target` is False (a file the customer chose: Windows' refusal stands). On Windows an
    old file another program holds open is waited for up to `replace_retry_s` seconds (see replace_file).

    Raises OSError; then `path` is as it was and no temporary file is left."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = create_file(path.parent, f".{path.name}.", ".tmp")  # not tempfile.mkstemp: see unique_names
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        replace_file(tmp, path, replace_retry_s, clear_dst_readonly=clear_readonly_target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def atomic_write_text(path: Path, text: str, mode: int = 0o600, *, clear_readonly_target: bool = True,
                      replace_retry_s: float = REPLACE_RETRY_S) -> None:
    atomic_write_bytes(path, text.encode("utf-8"), mode, clear_readonly_target=clear_readonly_target,
                       replace_retry_s=replace_retry_s)


def append_line(path: Path, line: str) -> None:
    """Append one whole line (JSON-lines records); a torn earlier tail is closed off first.

    Raises OSError (a full disk: ENOSPC) with the file as it was: a disk with room for part of the line
    takes that part in a short write, which is taken back rather than left as a torn record."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # O_BINARY: Windows' os.open is text mode by default and wrote each "\n" as "\r\n"
    flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags, 0o600)
    except PermissionError:  # the launcher's own file with the read-only attribute (see clear_readonly)
        if not clear_readonly(path):
            raise
        fd = os.open(path, flags, 0o600)
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


# Windows share modes (CreateFileW's dwShareMode): what other handles may do while ours is open
FILE_SHARE_READ, FILE_SHARE_WRITE, FILE_SHARE_DELETE = 0x1, 0x2, 0x4


def open_for_reading(path: str | os.PathLike[str], *, others_may_change_it: bool) -> BinaryIO:
    """`path` opened for reading, binary. On Windows the share mode says what other programs may do while the
    handle is open: with `others_may_change_it` write, rename and delete it (a program whose log is followed
    goes on as if nobody read it: Python's own open() never shares deleting, so its log rotation would fail
    while a read is under way); without, only read it (nobody changes, replaces or deletes the bytes being
    checked). Elsewhere a plain open(): POSIX has no share modes. Raises OSError (FileNotFoundError,
    PermissionError, ... from Windows' error code)."""
    if sys.platform != "win32":
        return open(path, "rb")  # noqa: SIM115 - the caller owns the handle
    import ctypes
    import msvcrt
    from ctypes import wintypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined]
    kernel32.CreateFileW.restype = wintypes.HANDLE
    kernel32.CreateFileW.argtypes = [wintypes.LPCWSTR, wintypes.DWORD, wintypes.DWORD, wintypes.LPVOID,
                                     wintypes.DWORD, wintypes.DWORD, wintypes.HANDLE]
    share = FILE_SHARE_READ | (FILE_SHARE_WRITE | FILE_SHARE_DELETE if others_may_change_it else 0)
    generic_read, open_existing, file_attribute_normal = 0x80000000, 3, 0x80
    handle = kernel32.CreateFileW(os.fspath(path), generic_read, share, None, open_existing,
                                  file_attribute_normal, None)
    if handle in (None, wintypes.HANDLE(-1).value):
        err = ctypes.get_last_error()  # type: ignore[attr-defined]
        # with the Windows error code Python picks the errno and the subclass (2: FileNotFoundError, ...)
        raise OSError(errno.EACCES, ctypes.FormatError(err), os.fspath(path), err)  # type: ignore[attr-defined]
    try:
        fd = msvcrt.open_osfhandle(handle, os.O_RDONLY | os.O_BINARY)  # type: ignore[attr-defined]
    except OSError:
        kernel32.CloseHandle(wintypes.HANDLE(handle))
        raise
    return os.fdopen(fd, "rb")
