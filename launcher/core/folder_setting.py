"""A folder named in the config (`paths.data_dir`, `quicksupport.log_dirs`) as the folder it means.

People who write Windows configs write environment variables (`%LOCALAPPDATA%\\Pomoc`, `%USERPROFILE%\\...`),
as in every batch file, shortcut and group policy; on POSIX `$HOME/...` and `~`. Taken literally, such a
name is a relative path: the launcher wrote its data into a folder called `%LOCALAPPDATA%` inside whatever
folder it was started from (the install folder from the Start menu, which the uninstaller then could not
remove; another folder from a console), so the consent record, the logs and the manifest's serial (the
rollback guard) depended on where the customer double-clicked. Standard library only: the config uses it
before anything heavy is loaded.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

# What is left of a variable the environment does not have: `%NAME%` on Windows (ntpath leaves it as
# written), `$NAME` / `${NAME}` elsewhere (posixpath leaves it as written).
_UNSET_WINDOWS = re.compile(r"%[^%\\/:]+%")
_UNSET_POSIX = re.compile(r"\$(\{[^}]*\}|[A-Za-z_][A-Za-z0-9_]*)")


class FolderSettingError(ValueError):
    """The setting cannot name one folder: `reason` in plain English, for the CFG-INVALID detail."""


def expand_folder(text: str) -> str:
    """`text` with `~` and the environment's variables expanded (`%NAME%` and `$NAME` on Windows, `$NAME`
    elsewhere, as the platform's os.path.expandvars knows them); nothing else changed."""
    return os.path.expandvars(os.path.expanduser(text))


def full_folder(text: str, key: str) -> Path:
    """The folder the setting `key` names, expanded (expand_folder); FolderSettingError when it names a
    variable that is not set, or is not a full path once expanded (a relative one would mean another folder
    for every folder the launcher is started from; on Windows `\\Dane` and `C:Dane` are relative too)."""
    expanded = expand_folder(text)
    unset = (_UNSET_WINDOWS if sys.platform == "win32" else _UNSET_POSIX).search(expanded)
    if unset is not None:
        raise FolderSettingError(f"{key} names the environment variable {unset.group(0)}, which is not set: "
                                 f"{text!r}")
    path = Path(expanded)
    if not path.is_absolute():
        example = "C:\\Users\\...\\Pomoc or %LOCALAPPDATA%\\Pomoc" if sys.platform == "win32" else "/home/.../pomoc"
        raise FolderSettingError(f"{key} must be a full path ({example}), not one relative to the folder the "
                                 f"launcher is started from: {text!r}")
    return path
