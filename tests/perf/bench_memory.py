"""Peak memory at the session page (issue 6), through the real app, against the minimal PySide6 window.

The runner serves the --demo manifest and stand-in from its own process (so the server, the signing key
and the tarball never count), then starts a child that brings the launcher up exactly as the GUI does
(`start_gui`), ticks both boxes and clicks Dalej by the automation names, and waits until the session
page shows the ID of the running stand-in QuickSupport: the check, the signed manifest, the download,
the unpack and the session worker have all run. The child prints its peak RSS there, disconnects, and
exits. Baseline: tests/perf/minimal_window.py, measured the same way (ru_maxrss) in the same run.

    .venv/bin/python -m tests.perf.bench_memory [--runs N]      (just this row)
"""

from __future__ import annotations

# The child process is the one measured: only what it needs is imported at module level.
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RUNS = 3
TIMEOUT_S = 60.0


def _child(overrides_json: str, lock_dir: str) -> int:
    """Runs in the measured process: the real start, the customer's clicks, the session page."""
    import json

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import PySide6.QtCore  # noqa: F401 - as `python -m launcher` does: Qt first, its source scan tamed

    from launcher.ui.pyside_source_scan import forget_scanned_sources

    forget_scanned_sources()
    from launcher.config import load_config
    from launcher.core.applog import setup_logging
    from launcher.core.errors import LauncherError
    from launcher.core.paths import app_paths
    from launcher.selftest import PAINT_TIMEOUT_S, spin_until, walk_demo_session
    from launcher.ui.app import start_gui

    config = load_config(overrides=json.loads(overrides_json))
    paths = app_paths(config.paths.data_dir).ensure()
    setup_logging(paths.logs, open_now=False)
    started = start_gui(config, paths, language="pl", lock_dir=Path(lock_dir))
    if started is None:
        print("ERROR another launcher holds the lock", file=sys.stderr)
        return 1
    try:
        # the self-test's own walk: the customer's clicks, peak RSS at the session page, Rozłącz
        spin_until(started.app, lambda: started.window.startup_finished, PAINT_TIMEOUT_S)
        peak = walk_demo_session(started.app, started.window)
    except LauncherError as exc:
        print(f"ERROR {exc.code}: {exc.detail}", file=sys.stderr)
        return 1
    finally:
        started.controller.shutdown()
        started.instance.release()
    print(f"SESSION OK peak_rss_kib={peak}", flush=True)
    return 0


def _measure(cmd: list[str], marker: str) -> int:
    import subprocess

    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT, timeout=TIMEOUT_S * 2)
    line = next((ln for ln in proc.stdout.splitlines() if ln.startswith(marker)), None)
    if proc.returncode != 0 or line is None:
        raise RuntimeError(f"{cmd[-1]} exited {proc.returncode}: {proc.stderr.strip()[-300:]}")
    return int(line.rsplit("peak_rss_kib=", 1)[1].split()[0])


def run(runs: int = RUNS) -> list[dict]:
    import json
    import shutil
    import statistics
    import tempfile

    if not sys.platform.startswith("linux"):
        return [{"figure": "peak memory at the session page", "value": None,
                 "note": "needs the Linux demo stand-in"}]
    from launcher.demo.server import DemoServer
    from launcher.demo.session import demo_overrides

    work = Path(tempfile.mkdtemp(prefix="overmax-bench-memory-"))
    (work / "www").mkdir()
    server = DemoServer(work / "www").start()
    try:
        app_kib, base_kib = [], []
        for i in range(runs + 1):  # the first run warms the caches and is not counted
            overrides = demo_overrides(server, work / f"data{i}")
            app = _measure([sys.executable, "-m", "tests.perf.bench_memory", "--child", json.dumps(overrides),
                            str(work / "lock")], "SESSION OK")
            base = _measure([sys.executable, str(ROOT / "tests" / "perf" / "minimal_window.py")], "SELFTEST OK")
            if i:
                app_kib.append(app)
                base_kib.append(base)
    finally:
        server.stop()
        shutil.rmtree(work, ignore_errors=True)
    return [{"figure": "peak memory at the session page, venv, server apart",
             "value": statistics.median(app_kib) / 1024,
             "baseline": statistics.median(base_kib) / 1024, "unit": "MiB", "target_ratio": 1.5,
             "note": f"demo server in the runner's process; {min(app_kib) / 1024:.1f}-{max(app_kib) / 1024:.1f} MiB, "
                     f"n={runs}"}]


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m tests.perf.bench_memory")
    parser.add_argument("--runs", type=int, default=RUNS)
    parser.add_argument("--child", nargs=2, metavar=("OVERRIDES_JSON", "LOCK_DIR"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return _child(*args.child)
    from tests.perf.run import Row, render

    print(render([Row(**r) for r in run(args.runs)], markdown=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
