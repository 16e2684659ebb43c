"""A large file that takes no disk space: a hash over it lasts (the stop tests of `verify FILE`)."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

HUGE = 64 << 30  # minutes of sha256 (0.3-2 GB/s)
FSCTL_SET_SPARSE = 0x900C4


def sparse_file(path: Path, size: int = HUGE) -> Path:
    """A file of `size` zero bytes that takes no disk space (a hole). On Windows it is marked sparse first, as NTFS
    otherwise reserves the whole size; under Wine it is a Linux file, a hole in any case."""
    with open(path, "wb") as fh:
        if sys.platform == "win32":
            _mark_sparse(fh.fileno())
        fh.truncate(size)
    return path


def _mark_sparse(fd: int) -> None:
    import ctypes
    import msvcrt
    from ctypes import wintypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    returned = wintypes.DWORD()
    with contextlib.suppress(OSError):
        kernel32.DeviceIoControl(wintypes.HANDLE(msvcrt.get_osfhandle(fd)), FSCTL_SET_SPARSE, None, 0, None, 0,
                                 ctypes.byref(returned), None)
