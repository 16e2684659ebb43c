"""One glibc malloc arena for the launcher: threads that allocate get none of their own."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's mallopt")

# glibc's malloc_info() lists one <heap> per arena in use (appended to both children below).
ARENAS_IN_USE = textwrap.dedent("""
    def arenas_in_use(folder):
        import ctypes, os
        libc = ctypes.CDLL(None)
        libc.fopen.restype = ctypes.c_void_p
        libc.fopen.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
        libc.malloc_info.argtypes = [ctypes.c_int, ctypes.c_void_p]
        libc.fclose.argtypes = [ctypes.c_void_p]
        path = os.path.join(folder, "info.xml")
        fp = libc.fopen(path.encode(), b"w")
        libc.malloc_info(0, fp)
        libc.fclose(fp)
        return open(path).read().count("<heap nr=")
""")

# Four threads allocate and keep memory outside Python's small-object allocator.
CHILD = ARENAS_IN_USE + textwrap.dedent("""
    import os, sys, tempfile, threading
    from launcher.core.malloc_arenas import limit_malloc_arenas
    limited = limit_malloc_arenas() if sys.argv[1] == "limit" else None
    keep, ready, go = [], threading.Barrier(4), threading.Event()
    def work():
        ready.wait()  # all four alive at once, so none can inherit another's arena
        keep.append([bytearray(4096) for _ in range(64)])
        go.wait()
    threads = [threading.Thread(target=work) for _ in range(4)]
    [t.start() for t in threads]
    while len(keep) < 4:
        pass
    heaps = arenas_in_use(tempfile.mkdtemp())
    go.set()
    [t.join() for t in threads]
    print(limited, heaps)
""")


def _arenas(mode: str) -> tuple[str, int]:
    out = subprocess.run([sys.executable, "-c", CHILD, mode], capture_output=True, text=True, cwd=REPO, timeout=60)
    assert out.returncode == 0, out.stderr
    limited, heaps = out.stdout.split()
    return limited, int(heaps)


def test_threads_share_the_one_arena_once_limited():
    limited, heaps = _arenas("limit")
    assert limited == "True"
    assert heaps == 1


def test_without_the_limit_threads_get_arenas_of_their_own():
    """The premise: glibc's default would give the threads more arenas."""
    limited, heaps = _arenas("default")
    assert limited == "None"
    assert heaps > 1


GUI_CHILD = ARENAS_IN_USE + textwrap.dedent("""
    import os, tempfile
    from pathlib import Path
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from launcher.config import load_config
    from launcher.core.applog import setup_logging
    from launcher.core.paths import app_paths
    from launcher.selftest import spin_until
    from launcher.ui.app import start_gui
    data = tempfile.mkdtemp()
    config = load_config(overrides={"paths": {"data_dir": data}})
    paths = app_paths(config.paths.data_dir).ensure()
    setup_logging(paths.logs, open_now=False)
    started = start_gui(config, paths, language="pl", lock_dir=Path(data))
    assert spin_until(started.app, lambda: started.window.startup_finished, 20)
    threads = len(os.listdir("/proc/self/task"))
    heaps = arenas_in_use(data)
    started.controller.shutdown()
    started.instance.release()
    print(threads, heaps)
""")


def test_the_gui_runs_its_threads_on_one_arena():
    """A real start: start_gui limits the arenas before Qt starts any thread, so Qt's pooled threads
    and the QuickSupport session thread share the main arena."""
    out = subprocess.run([sys.executable, "-c", GUI_CHILD], capture_output=True, text=True, cwd=REPO, timeout=120)
    assert out.returncode == 0, out.stderr
    threads, heaps = (int(x) for x in out.stdout.split()[-2:])
    assert threads > 1
    assert heaps == 1
