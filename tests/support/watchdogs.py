"""Watchdogs that fail the way a real one can, for the tests of `process.spawn` (Linux and the Windows lane)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from launcher.core.quicksupport.process import Watchdog


@contextmanager
def deaf_watchdog() -> Iterator[Watchdog]:
    """A watchdog process that is alive but no longer reads its pipe, as one that dies between being found
    alive and being handed its tree: `guard` meets a broken pipe (EPIPE; ERROR_NO_DATA on Windows). Ended
    when the block is left."""
    proc = subprocess.Popen([sys.executable, "-c", "import os, time; os.close(0); print('deaf', flush=True); "
                             "time.sleep(60)"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == b"deaf"
        yield Watchdog(proc)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        if proc.stdout is not None:
            proc.stdout.close()
