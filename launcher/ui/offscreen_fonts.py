"""Fonts for Qt's offscreen platform on Windows (the self-test, the test suite, rendered screens).

On Windows the offscreen platform plugin reads fonts with Qt's plain FreeType database, which knows no
system font folder: it lists only `QT_QPA_FONTDIR`, or else the `fonts` folder next to Qt's libraries,
which PySide6 does not ship. Without either, Qt warns "QFontDatabase: Cannot find font directory" and
draws every glyph as an empty box. Windows keeps its fonts in `%WINDIR%\\Fonts`; the windows platform
plugin reads them from there itself, so only the offscreen platform is pointed at that folder.
Linux and macOS are left alone: there the offscreen platform asks fontconfig or Core Text.
"""

from __future__ import annotations

import os
import sys
from collections.abc import MutableMapping

FONT_DIR_VARIABLE = "QT_QPA_FONTDIR"


def windows_font_dir(environ: MutableMapping[str, str]) -> str:
    """`%WINDIR%\\Fonts` (`%SystemRoot%` where WINDIR is unset; `C:\\Windows` where both are)."""
    windows = environ.get("WINDIR") or environ.get("SystemRoot") or "C:\\Windows"
    return windows.rstrip("\\/") + "\\Fonts"


def use_windows_fonts_offscreen(environ: MutableMapping[str, str] | None = None,
                                platform: str = sys.platform) -> str | None:
    """Point the offscreen platform at Windows' font folder; call before the QApplication is made.

    Does nothing unless `platform` is "win32" and `QT_QPA_PLATFORM` (in `environ`, default os.environ)
    names the offscreen platform; a `QT_QPA_FONTDIR` already set is kept. Returns the font folder Qt
    will read, or None where this does not apply.
    """
    env = os.environ if environ is None else environ
    if platform != "win32" or env.get("QT_QPA_PLATFORM", "").split(":", 1)[0] != "offscreen":
        return None
    if not env.get(FONT_DIR_VARIABLE):
        env[FONT_DIR_VARIABLE] = windows_font_dir(env)
    return env[FONT_DIR_VARIABLE]
