"""The TeamViewer password on the clipboard, marked as a secret so clipboard histories and sync leave it out.

A customer who presses "Kopiuj" by the password puts it where Windows' clipboard history (Win+V) keeps it
after the session, and where Cloud Clipboard sends it to every device of their Microsoft account; on Linux
a clipboard manager (Klipper, CopyQ, GPaste) writes its history to disk. Password managers solve this with
markers those programs honour, and the launcher sets the same ones (KeePassXC's Clipboard.cpp sets this set):

- Windows (learn.microsoft.com, "Cloud Clipboard and Clipboard History Formats"):
  `ExcludeClipboardContentFromMonitorProcessing` (any data: no history, no cloud, no clipboard monitors),
  `CanIncludeInClipboardHistory` and `CanUploadToCloudClipboard` as the DWORD 0. Qt names a Windows
  clipboard format of its own choosing `application/x-qt-windows-mime;value="<format>"` (QMimeData,
  "Platform-Specific MIME Types").
- X11 / Wayland: `x-kde-passwordManagerHint` = `secret` (Klipper's convention; CopyQ, GPaste and wl-paste's
  `CLIPBOARD_STATE=sensitive` read it too).
- macOS: `application/x-nspasteboard-concealed-type` (the nspasteboard.org convention; not testable here).

A marker is a request a clipboard program may ignore: the password is also taken back off the clipboard when
the session ends (the session page does that with `forget_secret`), and a new QuickSupport start makes a new
password anyway.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QMimeData
from PySide6.QtGui import QGuiApplication

_DWORD_ZERO = (0).to_bytes(4, "little")


def _windows_format(name: str) -> str:
    return f'application/x-qt-windows-mime;value="{name}"'


def secret_markers(platform: str = sys.platform) -> dict[str, bytes]:
    """The MIME formats (Qt's names) and their data that mark a clipboard entry as a secret on `platform`
    (a `sys.platform` value): {format: bytes}. Empty for a platform with no known convention."""
    if platform == "win32":
        return {_windows_format("ExcludeClipboardContentFromMonitorProcessing"): _DWORD_ZERO,
                _windows_format("CanIncludeInClipboardHistory"): _DWORD_ZERO,
                _windows_format("CanUploadToCloudClipboard"): _DWORD_ZERO}
    if platform == "darwin":
        return {"application/x-nspasteboard-concealed-type": b"secret"}
    if platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        return {"x-kde-passwordManagerHint": b"secret"}
    return {}


def secret_mime_data(text: str, platform: str = sys.platform) -> QMimeData:
    """`text` as plain text plus `secret_markers(platform)`: what `copy_secret` puts on the clipboard."""
    data = QMimeData()
    data.setText(text)
    for mime_type, value in secret_markers(platform).items():
        data.setData(mime_type, value)
    return data


def copy_secret(text: str) -> None:
    """Put `text` on the system clipboard marked as a secret (the clipboard owns the data from here)."""
    QGuiApplication.clipboard().setMimeData(secret_mime_data(text))


def forget_secret(text: str) -> bool:
    """Clear the clipboard if it still holds `text` (never what the customer copied since). True if cleared."""
    clipboard = QGuiApplication.clipboard()
    if not text or clipboard.text() != text:
        return False
    clipboard.clear()
    return True
