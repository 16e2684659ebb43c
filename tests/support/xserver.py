"""A private X screen of a given size (Xvfb), with a window manager (openbox) where one is installed.

    with virtual_screen(1366, 768) as display:    # ":42"
        subprocess.run([...], env={**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb"})

A window manager matters here: it adds the frames (title bars) a customer sees, places windows and
reserves no area on a bare Xvfb, so "the window fits the screen" is measured with frames included.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
from collections.abc import Iterator

from tests.support.polling import wait_until

XCB_LIBS = ("libxcb-cursor.so.0", "libxcb-icccm.so.4", "libxcb-keysyms.so.1", "libxkbcommon-x11.so.0")


def missing_tools() -> list[str]:
    """What a real-window test needs and this machine lacks (scripts/system-deps.sh installs them)."""
    missing = [tool for tool in ("Xvfb", "openbox", "xprop") if shutil.which(tool) is None]
    found = subprocess.run(["/sbin/ldconfig", "-p"], capture_output=True, text=True).stdout \
        if os.path.exists("/sbin/ldconfig") else ""
    missing += [lib for lib in XCB_LIBS if lib not in found]
    return missing


def _dies_with_us(cmd: list[str]) -> list[str]:
    """`cmd` ended by Linux when the process that started it dies (PR_SET_PDEATHSIG, kept across exec), so
    a test run killed outright (a crash, SIGKILL) leaves no X server or window manager behind. setpriv
    (util-linux) sets it; without setpriv, `cmd` as it is (the `finally` below still ends it normally)."""
    return ["setpriv", "--pdeathsig", "TERM", *cmd] if shutil.which("setpriv") else cmd


def _wm_running(display: str) -> bool:
    out = subprocess.run(["xprop", "-display", display, "-root", "_NET_SUPPORTING_WM_CHECK"],
                         capture_output=True, text=True)
    return out.returncode == 0 and "window id" in out.stdout


@contextlib.contextmanager
def virtual_screen(width: int, height: int) -> Iterator[str]:
    """DISPLAY of a new Xvfb screen of `width` x `height` with openbox managing it; both ended after."""
    read_fd, write_fd = os.pipe()
    xvfb = subprocess.Popen(
        _dies_with_us(["Xvfb", "-displayfd", str(write_fd), "-screen", "0", f"{width}x{height}x24",
                       "-nolisten", "tcp"]),
        pass_fds=(write_fd,), stderr=subprocess.DEVNULL,
    )
    os.close(write_fd)
    wm = None
    try:
        with os.fdopen(read_fd) as fh:
            number = fh.readline().strip()
        if not number:
            raise RuntimeError("Xvfb did not start")
        display = f":{number}"
        wm = subprocess.Popen(_dies_with_us(["openbox", "--sm-disable"]), env={**os.environ, "DISPLAY": display},
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if not wait_until(lambda: _wm_running(display), 20):
            raise RuntimeError("openbox did not start on the virtual screen")
        yield display
    finally:
        for proc in (wm, xvfb):
            if proc is not None:
                proc.terminate()
                try:
                    proc.wait(10)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
