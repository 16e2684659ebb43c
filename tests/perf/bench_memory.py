"""Peak memory at the session page (issue 6): the real app against the minimal PySide6 window.

The runner serves the demo manifest and stand-in QuickSupport from its own process and hands the app a
config file naming that server; the app runs `--self-test --walk-session`, which brings the window up
exactly as the GUI does (`start_gui`), ticks both boxes and clicks Dalej by the automation names, and
waits until the session page shows the ID of the running QuickSupport: the check, the signed manifest,
the download, the unpack and the session worker have all run. It reports its peak RSS (VmHWM) there,
then disconnects. Nothing but the launcher runs in the measured process, from the venv or frozen alike.
Baseline: tests/perf/minimal_window.py (or its frozen build), the same measure, in the same run.

    .venv/bin/python -m tests.perf.bench_memory [--runs N]      (just these rows)
"""

from __future__ import annotations

import statistics
import subprocess
import sys

from tests.perf.demo_runs import demo_config, demo_server
from tests.perf.run import ROOT, Row, bench_main, env, frozen_paths

RUNS = 3
TIMEOUT_S = 120


def _peak(cmd: list[str], field: str) -> int:
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env(), cwd=ROOT, timeout=TIMEOUT_S)
    line = next((ln for ln in proc.stdout.splitlines() if ln.startswith("SELFTEST OK")), None)
    if proc.returncode != 0 or line is None:
        raise RuntimeError(f"{' '.join(cmd[:3])} exited {proc.returncode}: {proc.stderr.strip()[-300:]}")
    return int(dict(kv.split("=", 1) for kv in line.split()[2:])[field])


def memory_rows(label: str, app: list[str], base: list[str], runs: int = RUNS) -> list[Row]:
    """`app` is the launcher's command (without options), `base` the minimal window's."""
    figure = f"peak memory at the session page, {label}"
    if not sys.platform.startswith("linux"):
        return [Row(figure, None, note="needs the Linux demo stand-in")]
    with demo_server("overmax-bench-memory-") as (server, work):
        app_kib, base_kib = [], []
        for i in range(runs + 1):  # the first run warms the caches and is not counted
            config = demo_config(server, work, i)
            app_peak = _peak([*app, "--self-test", "--walk-session", "--config", str(config)],
                             "session_peak_rss_kib")
            base_peak = _peak(base, "peak_rss_kib")
            if i:
                app_kib.append(app_peak)
                base_kib.append(base_peak)
    return [Row(figure, statistics.median(app_kib) / 1024, statistics.median(base_kib) / 1024, "MiB",
                target_ratio=2.0,
                note=f"--self-test --walk-session, demo server in the runner; "
                     f"{min(app_kib) / 1024:.1f}-{max(app_kib) / 1024:.1f} MiB, n={runs}")]


def all_rows(runs: int = RUNS, venv: bool = True) -> list[Row]:
    rows = []
    if venv:
        rows += memory_rows("venv", [sys.executable, "-m", "launcher"],
                            [sys.executable, str(ROOT / "tests" / "perf" / "minimal_window.py")], runs)
    app_exe, base_exe = frozen_paths()
    if app_exe and base_exe:
        rows += memory_rows("frozen", [str(app_exe)], [str(base_exe)], runs)
    return rows


def main(argv: list[str] | None = None) -> int:
    return bench_main("python -m tests.perf.bench_memory", all_rows, RUNS, argv)


if __name__ == "__main__":
    sys.exit(main())
