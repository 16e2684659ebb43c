"""File names handed between Python and Qt, where the two could spell the same name with different bytes.

On Unix, Qt 6 always encodes file names as UTF-8 (QFile::encodeName), whatever the locale, while Python uses
the locale's encoding (`sys.getfilesystemencoding()`). They agree under every UTF-8 locale and under C/POSIX
(Python then runs in UTF-8 mode), but not under a legacy one such as pl_PL.ISO-8859-2: there a folder Python
made as /home/Łukasz Żółć/... was, for Qt, a folder that does not exist, so the single-instance lock could
not be taken and two launchers ran. Names are passed through bytes: the bytes Python means are the bytes Qt
gets. On Windows both speak UTF-16, and these functions change nothing.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def _same_encoding() -> bool:
    return sys.platform == "win32" or sys.getfilesystemencoding().lower().replace("-", "") == "utf8"


def to_qt(path: str | os.PathLike[str]) -> str:
    """The string Qt needs to open the file Python calls `path` (bytes that are no UTF-8 cannot be named
    in Qt 6 at all; they come through as surrogate escapes)."""
    text = os.fspath(path)
    if _same_encoding():
        return text
    return os.fsencode(text).decode("utf-8", "surrogateescape")


def from_qt(text: str) -> Path:
    """The path Python needs for the file Qt calls `text` (from a file dialog, QStandardPaths)."""
    if _same_encoding():
        return Path(text)
    return Path(os.fsdecode(text.encode("utf-8", "surrogateescape")))
