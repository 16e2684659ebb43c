"""The per-user folders on Windows, exactly: platformdirs' %LOCALAPPDATA%\\Overmax\\OvermaxPomocZdalna (never
the roaming %APPDATA%: a cache of downloads must not travel with the profile), its Cache (with run\\) and Logs,
the consent record in it; and the NSIS uninstaller removes that very folder (installer/windows/installer.nsi's
USER_DATA), so no download, log or consent record of the app outlives it."""

from __future__ import annotations

import ctypes
import re
from pathlib import Path

from launcher import APP_ID, ORG_NAME
from launcher.core.paths import app_paths

NSI = Path(__file__).resolve().parents[2] / "installer" / "windows" / "installer.nsi"
CSIDL_LOCAL_APPDATA = 0x1C


def local_app_data() -> Path:
    """The folder Windows itself names (SHGetFolderPathW), as NSIS's $LOCALAPPDATA does."""
    buf = ctypes.create_unicode_buffer(260)
    assert ctypes.windll.shell32.SHGetFolderPathW(None, CSIDL_LOCAL_APPDATA, None, 0, buf) == 0  # type: ignore[attr-defined]
    return Path(buf.value)


def test_the_per_user_folders_are_exactly_these():
    root = local_app_data() / ORG_NAME / APP_ID
    paths = app_paths("")
    assert (paths.data, paths.cache, paths.logs, paths.runtime) == (
        root, root / "Cache", root / "Logs", root / "Cache" / "run")
    assert paths.consent_file == root / "consent.jsonl"
    assert str(root).endswith(r"\AppData\Local\Overmax\OvermaxPomocZdalna")


def test_the_uninstaller_removes_the_folder_the_app_writes():
    text = NSI.read_text(encoding="utf-8")
    define = re.search(r'^!define USER_DATA "(.+)"$', text, re.MULTILINE)
    assert define is not None
    app_id = re.search(r'^!define APP_ID "(.+)"$', text, re.MULTILINE)
    resolved = define.group(1).replace("${APP_ID}", app_id.group(1) if app_id else "?")
    resolved = resolved.replace("$LOCALAPPDATA", str(local_app_data()))
    assert Path(resolved) == app_paths("").data
    assert 'RMDir /r "${USER_DATA}"' in text
