"""Bring QuickSupport's window to the front, so the customer can read what we could not read for them.

Best effort per OS; never raises. Windows: EnumWindows + SetForegroundWindow on the visible top-level
windows of our QuickSupport processes. macOS: System Events' `frontmost` for the process id. Linux/X11:
xdotool where installed (activate through the window manager, else raise and focus).
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import sys
from collections.abc import Sequence

log = logging.getLogger(__name__)


def bring_to_front(pids: Sequence[int]) -> bool:
    """True if a window of one of `pids` was brought forward."""
    if not pids:
        return False
    try:
        if sys.platform == "win32":
            return _windows(pids)
        if sys.platform == "darwin":
            return _macos(pids)
        return _x11(pids)
    except Exception:  # noqa: BLE001 - bringing a window forward is a courtesy, never a failure
        log.info("could not bring QuickSupport's window forward", exc_info=True)
        return False


def _run(argv: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run(argv, capture_output=True, text=True, timeout=5)


def _x11(pids: Sequence[int]) -> bool:
    xdotool = shutil.which("xdotool")
    if not xdotool:
        log.info("xdotool not installed: QuickSupport's window stays where it is")
        return False
    for pid in pids:
        found = _run([xdotool, "search", "--onlyvisible", "--pid", str(pid)])
        for window in found.stdout.split():
            if _run([xdotool, "windowactivate", "--sync", window]).returncode == 0:
                return True
            # no EWMH window manager: raise and focus the window directly
            if _run([xdotool, "windowraise", window, "windowfocus", "--sync", window]).returncode == 0:
                return True
    return False


def _macos(pids: Sequence[int]) -> bool:
    for pid in pids:
        script = f'tell application "System Events" to set frontmost of (first process whose unix id is {pid}) to true'
        if _run(["osascript", "-e", script]).returncode == 0:
            return True
    return False


def _windows(pids: Sequence[int]) -> bool:  # pragma: no cover - Windows only
    import ctypes
    from ctypes import wintypes

    user32 = ctypes.WinDLL("user32")  # its own prototypes: a window handle is pointer-sized, not a C int
    for function, argtypes in (("GetWindowThreadProcessId", [wintypes.HWND, ctypes.POINTER(wintypes.DWORD)]),
                               ("IsWindowVisible", [wintypes.HWND]), ("GetWindow", [wintypes.HWND, wintypes.UINT]),
                               ("ShowWindow", [wintypes.HWND, ctypes.c_int]), ("SetForegroundWindow", [wintypes.HWND])):
        getattr(user32, function).argtypes = argtypes
    user32.GetWindow.restype = wintypes.HWND
    wanted = set(pids)
    found: list[int] = []

    @ctypes.WINFUNCTYPE(wintypes.BOOL, wintypes.HWND, wintypes.LPARAM)
    def visit(hwnd, _lparam):
        pid = wintypes.DWORD()
        user32.GetWindowThreadProcessId(hwnd, ctypes.byref(pid))
        if pid.value in wanted and user32.IsWindowVisible(hwnd) and not user32.GetWindow(hwnd, 4):  # GW_OWNER
            found.append(hwnd)
        return True

    user32.EnumWindows(visit, 0)
    for hwnd in found:
        user32.ShowWindow(hwnd, 9)  # SW_RESTORE
        if user32.SetForegroundWindow(hwnd):
            return True
    return False
