"""The benchmark's reference windows run and report like `--self-test` (tests/perf/run.py reads them)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

PERF = Path(__file__).resolve().parents[1] / "perf"


@pytest.mark.parametrize("script", ["minimal_window.py", "plain_terms_window.py", "launcher_first_page.py"])
def test_reference_window_paints_and_reports(script):
    started = time.time()
    proc = subprocess.run([sys.executable, str(PERF / script)], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert proc.returncode == 0, proc.stderr
    line = next(ln for ln in proc.stdout.splitlines() if ln.startswith("SELFTEST OK"))
    fields = dict(kv.split("=", 1) for kv in line.split()[2:])
    assert started < float(fields["first_paint_epoch"]) < time.time()
    assert int(fields["peak_rss_kib"]) > 10_000  # a Qt process: tens of MiB
