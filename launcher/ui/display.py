"""Whether a window can be shown here at all, asked before Qt is: Qt ends the whole process (abort, exit 134,
no code) when its platform plugin finds no display server, which is what a window started from a remote shell
or a service meets on Linux."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping

# Qt's platform plugins that talk to a display server; any other (offscreen, vnc, eglfs, linuxfb, minimal) needs none
_NEEDS_A_SERVER = ("xcb", "wayland")


def no_display_reason(environ: Mapping[str, str] | None = None, platform: str = sys.platform) -> str | None:
    """Why no window can be shown: a sentence for the error's detail, or None where one can (or where it cannot
    be told beforehand: Windows and macOS always have their own). `environ` defaults to os.environ.

    Qt chooses its plugin from QT_QPA_PLATFORM (one name or a `;`-separated list, options after a `:`), else
    the session's (xcb or wayland); those need DISPLAY or WAYLAND_DISPLAY."""
    env = os.environ if environ is None else environ
    if platform in ("win32", "darwin"):
        return None
    chosen = [name.split(":", 1)[0].strip() for name in env.get("QT_QPA_PLATFORM", "").split(";")]
    chosen = [name for name in chosen if name]
    if any(not name.startswith(_NEEDS_A_SERVER) for name in chosen):
        return None  # Qt tries the list in turn: one that needs no server comes up
    if env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"):
        return None
    return "no display: neither DISPLAY nor WAYLAND_DISPLAY is set (started outside a desktop session?)"
