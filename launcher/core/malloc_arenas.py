"""One malloc arena for the whole process (glibc): about 1 MiB less resident during a session.

glibc gives each thread that allocates its own arena (up to eight per core), each with its own free
lists and slack. The launcher's few worker threads (connection checks, download, QuickSupport's log and
window) allocate little and briefly, so sharing the main arena costs nothing measurable in speed and
keeps about 1 MiB less resident at the session page (tests/perf/bench_memory.py). Set before Qt starts
its first thread: threads that already have an arena keep it (set after the first paint, it saves 0.8
MiB instead of 1.1).
"""

from __future__ import annotations

import logging
import sys

log = logging.getLogger(__name__)

M_ARENA_MAX = -8  # glibc's malloc.h


def limit_malloc_arenas() -> bool:
    """True if glibc now keeps a single arena; False elsewhere (other C libraries, Windows, macOS)."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):  # not glibc (musl has no mallopt)
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    done = mallopt(M_ARENA_MAX, 1) == 1
    log.debug("malloc arenas limited to one: %s", done)
    return done
