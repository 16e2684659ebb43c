"""A private X screen of a given size (Xvfb), with a window manager (openbox) where one is installed.

    with virtual_screen(1366, 768) as display:    # ":42"
        subprocess.run([...], env={**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb"})

A window manager matters here: it adds the frames (title bars) a customer sees, places windows and
reserves no area on a bare Xvfb, so "the window fits the screen" is measured with frames included.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

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


class ScreenFailed(RuntimeError):
    """Xvfb or openbox did not come up; the message carries what they printed."""


@contextlib.contextmanager
def virtual_screen(width: int, height: int) -> Iterator[str]:
    """DISPLAY of a new Xvfb screen of `width` x `height` with openbox managing it; both ended after.

    A screen that does not come up is started once more (a new Xvfb and openbox) before giving up; the error
    then says what each of them printed both times. ScreenFailed if neither attempt came up."""
    failures: list[str] = []
    for _attempt in range(2):
        with contextlib.ExitStack() as stack:
            try:
                display = stack.enter_context(_screen(width, height))
            except ScreenFailed as exc:
                failures.append(str(exc))
                continue
            yield display
            return
    raise ScreenFailed("\n".join(failures))


def _output(log) -> str:
    log.seek(0)
    return log.read().decode(errors="replace").strip()[-600:] or "(nothing)"


@contextlib.contextmanager
def _screen(width: int, height: int) -> Iterator[str]:
    with tempfile.TemporaryFile() as xvfb_log, tempfile.TemporaryFile() as wm_log:
        read_fd, write_fd = os.pipe()
        xvfb = subprocess.Popen(
            _dies_with_us(["Xvfb", "-displayfd", str(write_fd), "-screen", "0", f"{width}x{height}x24",
                           "-nolisten", "tcp"]),
            pass_fds=(write_fd,), stdout=xvfb_log, stderr=subprocess.STDOUT,
        )
        os.close(write_fd)
        wm = None
        try:
            with os.fdopen(read_fd) as fh:
                number = fh.readline().strip()
            if not number:
                raise ScreenFailed(f"Xvfb did not start (exit {xvfb.poll()}): {_output(xvfb_log)}")
            display = f":{number}"
            wm = subprocess.Popen(_dies_with_us(["openbox", "--sm-disable"]), env={**os.environ, "DISPLAY": display},
                                  stdout=wm_log, stderr=subprocess.STDOUT)
            # up, or one of the two has ended (then it never will be)
            wait_until(lambda: wm.poll() is not None or xvfb.poll() is not None or _wm_running(display), 20)
            if not _wm_running(display):
                raise ScreenFailed(f"openbox did not start on the virtual screen {display} (openbox exit "
                                   f"{wm.poll()}: {_output(wm_log)}; Xvfb exit {xvfb.poll()}: {_output(xvfb_log)})")
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


def missing_for_real_keys() -> list[str]:
    """What a real-window test that types and clicks (xdotool) needs and this machine lacks."""
    if not sys.platform.startswith("linux"):
        return ["Linux (X11)"]
    return missing_tools() + (["xdotool"] if shutil.which("xdotool") is None else [])


def run_walker(module: str, args: list[str], home: Path, size: tuple[int, int] = (1366, 768),
               scale: str = "1") -> dict:
    """Run `python -m <module> ARGS` (a tests.support walker of the real window) on a fresh Xvfb screen of
    `size` at Qt scale `scale`, with `home` as its HOME, runtime and temporary folder; returns the JSON its last
    stdout line holds. AssertionError when it fails or Qt warns (a Qt warning fails the test too)."""
    repo = Path(__file__).resolve().parents[2]
    with virtual_screen(*size) as display:
        env = {key: value for key, value in os.environ.items() if not key.startswith(("QT_", "WAYLAND"))}
        env.update(DISPLAY=display, QT_QPA_PLATFORM="xcb", QT_SCALE_FACTOR=scale, PYTHONPATH=str(repo),
                   HOME=str(home), XDG_RUNTIME_DIR=str(home), TMPDIR=str(home))
        out = subprocess.run([sys.executable, "-m", module, *args], capture_output=True, text=True, env=env,
                             cwd=repo, timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    assert not out.stderr.strip(), out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])
