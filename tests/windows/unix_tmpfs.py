"""A small tmpfs mounted for one Windows test under Wine: a real full or read-only drive, seen from Windows through Z:.

Wine starts a Linux program when CreateProcessW is given one (`Z:\\usr\\bin\\mount`), but hands back no process
handle for it (hProcess is NULL; subprocess then fails with WinError 6 and cannot wait): so the program is
started here with CreateProcessW itself, and the test waits for the state it makes (the drive's size as
GetDiskFreeSpaceExW reports it), never for a time. Measured with Wine 8.0 as root, 2026-11-30. On a real Windows,
or where mounting is not allowed, the test is skipped.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from ctypes import wintypes as wt
from pathlib import Path

import pytest

_kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined]


class _StartupInfo(ctypes.Structure):
    _fields_ = [("cb", wt.DWORD), ("lpReserved", wt.LPWSTR), ("lpDesktop", wt.LPWSTR), ("lpTitle", wt.LPWSTR),
                ("dwX", wt.DWORD), ("dwY", wt.DWORD), ("dwXSize", wt.DWORD), ("dwYSize", wt.DWORD),
                ("dwXCountChars", wt.DWORD), ("dwYCountChars", wt.DWORD), ("dwFillAttribute", wt.DWORD),
                ("dwFlags", wt.DWORD), ("wShowWindow", wt.WORD), ("cbReserved2", wt.WORD),
                ("lpReserved2", ctypes.c_void_p), ("hStdInput", wt.HANDLE), ("hStdOutput", wt.HANDLE),
                ("hStdError", wt.HANDLE)]


class _ProcessInfo(ctypes.Structure):
    _fields_ = [("hProcess", wt.HANDLE), ("hThread", wt.HANDLE), ("dwProcessId", wt.DWORD),
                ("dwThreadId", wt.DWORD)]


_kernel32.CreateProcessW.argtypes = [wt.LPCWSTR, wt.LPWSTR, wt.LPVOID, wt.LPVOID, wt.BOOL, wt.DWORD, wt.LPVOID,
                                     wt.LPCWSTR, ctypes.POINTER(_StartupInfo), ctypes.POINTER(_ProcessInfo)]
CREATE_NO_WINDOW = 0x08000000


def _unix_program(name: str) -> str | None:
    for folder in ("Z:\\usr\\bin", "Z:\\bin", "Z:\\usr\\sbin", "Z:\\sbin"):
        if os.path.isfile(f"{folder}\\{name}"):
            return f"{folder}\\{name}"
    return None


def _start_unix(program: str, *args: str) -> bool:
    """Start a Linux program (arguments without spaces); False when Wine would not start it."""
    line = ctypes.create_unicode_buffer(" ".join([f'"{program}"', *args]))
    startup, info = _StartupInfo(), _ProcessInfo()
    startup.cb = ctypes.sizeof(startup)
    return bool(_kernel32.CreateProcessW(None, line, None, None, False, CREATE_NO_WINDOW, None, None,
                                         ctypes.byref(startup), ctypes.byref(info)))


def _size(folder: Path) -> int | None:
    try:
        return shutil.disk_usage(folder).total
    except OSError:
        return None


def _wait(condition, limit_s: float = 20.0) -> bool:  # noqa: ANN001 - a callable returning bool
    deadline = time.monotonic() + limit_s
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def _unix_path(folder: Path) -> str:
    return str(folder)[2:].replace("\\", "/")  # Z:\tmp\x -> /tmp/x (an ASCII name: it goes on a command line)


def _mount_options(unix: str) -> list[str]:
    """The options of the newest mount on `unix` as the kernel lists them (Z:\\proc\\mounts); [] for none."""
    try:
        text = Path("Z:\\proc\\mounts").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    found: list[str] = []
    for line in text.splitlines():
        fields = line.split()
        if len(fields) >= 4 and fields[1] == unix:
            found = fields[3].split(",")
    return found


def remount(folder: Path, *, read_only: bool) -> None:
    """Make the tmpfs that mounted_tmpfs gave read-only (a drive, a locked-down folder: Windows sees ERROR_ACCESS_DENIED
    for every new file) or writable again, and wait until the kernel lists it so."""
    mount, unix, want = _unix_program("mount"), _unix_path(folder), "ro" if read_only else "rw"
    assert mount is not None and _start_unix(mount, "-o", f"remount,{want}", unix), f"Wine could not start mount {unix}"
    assert _wait(lambda: want in _mount_options(unix)), f"{unix} is not {want}: {_mount_options(unix)}"


@contextlib.contextmanager
def mounted_tmpfs(size_bytes: int = 256 * 1024, name: str = "") -> Iterator[Path]:
    """A tmpfs of `size_bytes` (a multiple of 4096) mounted on a fresh folder under Z:\\tmp, as a Windows path;
    unmounted and the folder removed afterwards. With `name` (ASCII) it is mounted on a folder of that name inside
    the fresh one, which stays an ordinary folder (a data folder whose `cache` alone is another drive) and goes
    afterwards with all that was written into it. Skips where Wine cannot run mount or mounting is refused."""
    mount, umount = _unix_program("mount"), _unix_program("umount")
    if not os.path.isdir("Z:\\tmp") or mount is None or umount is None:
        pytest.skip("no Linux mount/umount reachable through Wine's Z: drive (not Wine?)")
    parent = Path(tempfile.mkdtemp(prefix="overmax-tmpfs-", dir="Z:\\tmp"))
    folder = parent / name if name else parent
    folder.mkdir(exist_ok=True)
    unix = _unix_path(folder)
    before = _size(folder)
    try:
        if before == size_bytes or not _start_unix(mount, "-t", "tmpfs", "-o", f"size={size_bytes}", "tmpfs", unix):
            pytest.skip("Wine could not start mount")
        if not _wait(lambda: _size(folder) == size_bytes):
            pytest.skip(f"cannot mount a tmpfs here (not root, or mounting not allowed): {unix}")
        try:
            yield folder
        finally:
            # a process that just ended may hold it a moment: umount again until it is gone
            deadline = time.monotonic() + 20
            while _size(folder) == size_bytes and time.monotonic() < deadline:
                _start_unix(umount, unix)
                _wait(lambda: _size(folder) != size_bytes, 2.0)
            assert _size(folder) != size_bytes, f"the tmpfs on {unix} could not be unmounted"
    finally:
        with contextlib.suppress(OSError):
            if name:
                shutil.rmtree(parent)
            else:
                folder.rmdir()
