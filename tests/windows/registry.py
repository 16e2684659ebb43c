"""Registry look-ups for the Windows suite (importable anywhere: winreg is imported when a test calls them)."""

from __future__ import annotations


def hkcu_key_exists(path: str) -> bool:
    """True when HKEY_CURRENT_USER has the registry key `path`."""
    import winreg

    try:
        winreg.CloseKey(winreg.OpenKey(winreg.HKEY_CURRENT_USER, path))
    except FileNotFoundError:
        return False
    return True
