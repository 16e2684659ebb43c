"""A Polish customer's Windows profile for the Windows suite: C:\\Users\\Łukasz Żółć with its per-user folders
moved where Windows itself looks them up (HKCU ...\\Explorer\\User Shell Folders, which folder redirection and
OneDrive's known-folder move rewrite; SHGetFolderPathW, platformdirs, Qt and NSIS all read them there), 8.3
short names, and the stand-in's processes found however their paths are spelled."""

from __future__ import annotations

import contextlib
import ctypes
import os
from collections.abc import Iterator
from pathlib import Path

import psutil

from launcher.core.quicksupport.process import process_info

PROFILE_NAME = "Łukasz Żółć"
SHELL_FOLDERS_KEY = r"Software\Microsoft\Windows\CurrentVersion\Explorer\User Shell Folders"
DOWNLOADS_GUID = "{374DE290-123F-4565-9164-39C4925E467B}"
# What each redirected folder is under the profile; Wine's own defaults, put back after each test.
REDIRECTED = {
    "Local AppData": ("AppData", "Local"),
    "AppData": ("AppData", "Roaming"),
    "Desktop": ("OneDrive", "Pulpit"),
    "Personal": ("OneDrive", "Dokumenty"),
    "Programs": ("AppData", "Roaming", "Microsoft", "Windows", "Start Menu", "Programs"),
    DOWNLOADS_GUID: ("Pobrane",),
}
WINE_DEFAULTS = {
    "Local AppData": r"%USERPROFILE%\AppData\Local",
    "AppData": r"%USERPROFILE%\AppData\Roaming",
    "Desktop": r"%USERPROFILE%\Desktop",
    "Personal": r"%USERPROFILE%\Documents",
    "Programs": r"%USERPROFILE%\AppData\Roaming\Microsoft\Windows\Start Menu\Programs",
    DOWNLOADS_GUID: r"%USERPROFILE%\Downloads",
}

def short_path(path: Path | str) -> str:
    """`path` in its 8.3 short form (GetShortPathNameW); as given where the volume makes no short names."""
    buf = ctypes.create_unicode_buffer(32768)
    n = ctypes.windll.kernel32.GetShortPathNameW(str(path), buf, len(buf))  # type: ignore[attr-defined]
    return buf.value if 0 < n < len(buf) else str(path)


def make_profile_folders(root: Path) -> tuple[dict[str, Path], Path, str]:
    """The profile `root`'s REDIRECTED folders and its %TEMP%, made: (folder by value name, %TEMP%, %TEMP% in
    8.3 short form). Skips the test where the volume makes no short names."""
    import pytest

    folders = {name: root.joinpath(*parts) for name, parts in REDIRECTED.items()}
    temp = folders["Local AppData"] / "Temp"
    for folder in [*folders.values(), temp]:
        folder.mkdir(parents=True, exist_ok=True)
    temp_short = short_path(temp)
    if temp_short == str(temp):
        pytest.skip("this volume makes no 8.3 short names, so %TEMP% cannot be in short form")
    return folders, temp, temp_short


def long_path(path: str) -> str:
    buf = ctypes.create_unicode_buffer(32768)
    n = ctypes.windll.kernel32.GetLongPathNameW(path, buf, len(buf))  # type: ignore[attr-defined]
    return buf.value if 0 < n < len(buf) else path


@contextlib.contextmanager
def redirected_shell_folders(values: dict[str, str]) -> Iterator[None]:
    """The current user's shell folders (`User Shell Folders` value name -> folder) moved for the block.

    A run killed inside the block leaves them moved into its pytest folder: the next run puts Wine's
    defaults back first (a value naming a pytest folder is never a real user's)."""
    import winreg

    access = winreg.KEY_QUERY_VALUE | winreg.KEY_SET_VALUE
    with winreg.OpenKey(winreg.HKEY_CURRENT_USER, SHELL_FOLDERS_KEY, 0, access) as key:
        saved = {}
        for name in values:
            try:
                value, kind = winreg.QueryValueEx(key, name)
            except FileNotFoundError:
                value, kind = WINE_DEFAULTS[name], winreg.REG_EXPAND_SZ
            if "pytest-of-" in str(value):
                value, kind = WINE_DEFAULTS[name], winreg.REG_EXPAND_SZ
            saved[name] = (value, kind)
        try:
            for name, folder in values.items():
                winreg.SetValueEx(key, name, 0, winreg.REG_EXPAND_SZ, folder)
            yield
        finally:
            for name, (value, kind) in saved.items():
                winreg.SetValueEx(key, name, 0, kind, value)


def standin_processes(*folders: Path) -> list[psutil.Process]:
    """Alive processes whose program lies anywhere under one of `folders`, however the path is written (long or
    8.3). Tests pass the profile's %TEMP% (where nothing of QuickSupport may run: it unpacks itself into a
    temporary folder of its own in the launcher's data folder) and that data folder."""
    inside = tuple(os.path.normcase(long_path(str(folder))).rstrip(os.sep) + os.sep for folder in folders)
    found = []
    for proc in psutil.process_iter():
        cmdline = process_info(proc, ("cmdline",))["cmdline"] or []
        if cmdline and os.path.normcase(long_path(str(cmdline[0]))).startswith(inside):
            found.append(proc)
    return found
