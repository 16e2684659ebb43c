"""launcher.core.crash_dumps as a real process meets it: after `keep_out_of_crash_dumps()` the kernel would
write no core (not dumpable, core limit 0), and a real crash writes none where one is written without it.
Real child processes, real signals; the machine's own core_pattern decides whether a control core appears."""

from __future__ import annotations

import contextlib
import json
import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="prctl and core files are Linux's")

REPO = Path(__file__).resolve().parents[2]
CRASH = "import os, signal; os.kill(os.getpid(), signal.SIGSEGV)"
KEEP = "from launcher.core.crash_dumps import keep_out_of_crash_dumps; keep_out_of_crash_dumps(); "


@contextlib.contextmanager
def core_files_allowed():
    """Children started inside inherit a core limit as high as the hard one (this process's own soft limit
    may be 0: an earlier test in it may have started a session)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_CORE)
    resource.setrlimit(resource.RLIMIT_CORE, (hard, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_CORE, (soft, hard))


def crash(code: str, cwd: Path) -> list[Path]:
    """Run `code` in a fresh interpreter in `cwd`; the core files it left there."""
    with core_files_allowed():
        proc = subprocess.run([sys.executable, "-c", code], cwd=cwd, env={**os.environ, "PYTHONPATH": str(REPO)},
                              capture_output=True, timeout=60)
    assert proc.returncode == -signal.SIGSEGV, proc.stderr
    return sorted(cwd.glob("core*"))


def machine_writes_cores(tmp_path: Path) -> None:
    control = tmp_path / "control"
    control.mkdir()
    cores = crash(CRASH, control)
    for core in cores:
        core.unlink()
    if not cores:
        pattern = Path("/proc/sys/kernel/core_pattern").read_text().strip()
        pytest.skip(f"this machine writes no core file into the crashing process's folder (core_pattern {pattern})")


def test_after_it_the_kernel_would_write_no_core(tmp_path):
    code = ("import json, resource; from launcher.core import crash_dumps as c; before = c.is_dumpable(); "
            "done = c.keep_out_of_crash_dumps(); again = c.keep_out_of_crash_dumps(); "
            "print(json.dumps([before, c.is_dumpable(), resource.getrlimit(resource.RLIMIT_CORE)[0], done, again]))")
    with core_files_allowed():
        out = subprocess.run([sys.executable, "-c", code], env={**os.environ, "PYTHONPATH": str(REPO)},
                             capture_output=True, text=True, timeout=60, check=True).stdout
    before, after, core_limit, done, again = json.loads(out)
    assert (before, after, core_limit) == (True, False, 0)
    assert done == again == ["not dumpable", "no core files"]


def test_a_crash_after_it_leaves_no_core_where_one_is_written_without_it(tmp_path):
    machine_writes_cores(tmp_path)
    assert crash(KEEP + CRASH, tmp_path) == []
