"""Benchmarks: one command prints one table, each figure beside a baseline measured in the same run.

    .venv/bin/python -m tests.perf [--runs N] [--markdown]

Figures (median of N runs after one warm-up, app and baseline interleaved):
- time from process start to the first painted window: `python -m launcher --self-test` against the
  minimal PySide6 window (tests/perf/minimal_window.py) from the same venv; and the frozen app against
  the minimal window frozen the same way, when `installer/build.sh --baseline` has built both;
- peak memory at the session page of the same two apps, against the same two baselines (bench_memory.py);
- frozen size on disk and as .tar.xz (xz -9), against the frozen minimal window;
- every `tests/perf/bench_*.py` module's `run() -> list[Row]`: "Dalej" clicked -> ID on screen against plain
  tools (bench_dalej.py), the download against curl, and the QuickSupport figures (log line -> ID,
  disconnect and a killed launcher -> nothing left).

Nothing here passes or fails: the "target" column says whether a figure is within the issue's target.
Offscreen Qt, no network but loopback. On a shared machine the timings are noisy: compare ratios, not
single figures.
"""

from __future__ import annotations

import argparse
import importlib
import os
import platform
import statistics
import subprocess
import sys
import tarfile
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from tests.support.build_stamp import stale_reason

ROOT = Path(__file__).resolve().parents[2]
DIST = ROOT / "dist"
APP_ID = "OvermaxPomocZdalna"


@dataclass
class Row:
    figure: str
    value: float | None
    baseline: float | None = None
    unit: str = ""
    target_ratio: float | None = None  # at most this many times the baseline
    target_abs: float | None = None  # at most this value
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.value is None or not self.baseline:
            return None
        return self.value / self.baseline

    @property
    def verdict(self) -> str:
        checks = []
        if self.target_ratio is not None and self.ratio is not None:
            checks.append((self.ratio <= self.target_ratio, f"≤ {self.target_ratio:g}x"))
        if self.target_abs is not None and self.value is not None:
            checks.append((self.value <= self.target_abs, f"≤ {self.target_abs:g} {self.unit}"))
        if not checks:
            return ""
        return ", ".join(("yes " if ok else "NO ") + text for ok, text in checks)


def env() -> dict[str, str]:
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    # A customer's Python caches bytecode (the frozen app ships it compiled); a sandbox that forbids
    # the cache would time the compiler instead of the app.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.setdefault("LANG", "pl_PL.UTF-8")
    return env


def measure_start(cmd: list[str]) -> float:
    """Seconds from just before spawning to the child's first paint."""
    t0 = time.time()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env(), cwd=ROOT, timeout=120)
    line = next((ln for ln in proc.stdout.splitlines() if ln.startswith("SELFTEST OK")), None)
    if proc.returncode != 0 or line is None:
        raise RuntimeError(f"{' '.join(cmd)} exited {proc.returncode}: {proc.stderr.strip()[-400:]}")
    fields = dict(kv.split("=", 1) for kv in line.split()[2:])
    return float(fields["first_paint_epoch"]) - t0


def compare_start(label: str, app: list[str], base: list[str], runs: int,
                  reference: list[str] | None = None, first_page: list[str] | None = None) -> list[Row]:
    """Start-up of `app --self-test` against `base`, interleaved, after one warm-up of each. With
    `reference` (the first page in plain PySide6), also that against `base` and the app against it; with
    `first_page` (the launcher's own first page without what can wait), that against `base`."""
    commands = [app, base] + ([reference] if reference else []) + ([first_page] if first_page else [])
    for command in commands:
        measure_start(command)  # warm-up: page cache, fontconfig cache, .pyc
    times: list[list[float]] = [[] for _ in commands]
    for _ in range(runs):
        for command, measured in zip(commands, times, strict=True):
            measured.append(measure_start(command))
    app_t, base_t = times[0], times[1]
    spread = f"app {min(app_t) * 1000:.0f}-{max(app_t) * 1000:.0f} ms, n={runs}"
    rows = [Row(f"start → first paint, {label}", statistics.median(app_t) * 1000,
                statistics.median(base_t) * 1000, "ms", target_ratio=1.5, note=spread)]
    if reference:
        ref_t = statistics.median(times[2]) * 1000
        rows.append(Row(f"the first page in plain PySide6, {label}", ref_t, statistics.median(base_t) * 1000,
                        "ms", note="tests/perf/plain_terms_window.py against the bare window: what any "
                                   "PySide6 program showing this page pays"))
        rows.append(Row(f"start → first paint against that page, {label}", statistics.median(app_t) * 1000,
                        ref_t, "ms", note="what the launcher itself adds: config, log, lock, controller"))
    if first_page:
        rows.append(Row(f"the launcher's first page alone, {label}", statistics.median(times[-1]) * 1000,
                        statistics.median(base_t) * 1000, "ms",
                        note="tests/perf/launcher_first_page.py: config, folders, log, lock, Regulamin page; no "
                             "controller: the nearest the app could come by deferring more"))
    return rows


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def txz_size(folder: Path, cache: Path) -> int:
    """Size of folder as tar.xz at xz -9 (what installer/linux/build.sh ships); cached by folder mtime.
    Streamed to the file: an in-memory archive would make this process, and the RSS every later child
    inherits at fork, hundreds of MiB large."""
    stamp = f"{folder.stat().st_mtime_ns}"
    if cache.is_file() and cache.with_suffix(".stamp").is_file() and \
            cache.with_suffix(".stamp").read_text() == stamp:
        return cache.stat().st_size
    with tarfile.open(cache, mode="w:xz", preset=9) as tar:
        tar.add(folder, arcname=folder.name)
    cache.with_suffix(".stamp").write_text(stamp)
    return cache.stat().st_size


def _frozen_app() -> Path:
    if sys.platform == "darwin":
        return DIST / "Overmax Pomoc Zdalna.app" / "Contents" / "MacOS" / APP_ID
    return DIST / APP_ID / f"{APP_ID}{'.exe' if sys.platform == 'win32' else ''}"


def frozen_paths() -> tuple[Path | None, Path | None]:
    """The frozen app and the frozen bare window, each None where not built; the app also None where it was
    built from other sources than the checkout's (timing an old build would put old figures in the table)."""
    app = _frozen_app()
    base = DIST / "perf" / "minimal-window" / f"minimal-window{'.exe' if sys.platform == 'win32' else ''}"
    current = app.is_file() and stale_reason(DIST) is None
    return (app if current else None), (base if base.is_file() else None)


def frozen_missing() -> str:
    """Why frozen_paths() gave no app or no bare window, in one line for the table's note."""
    reason = stale_reason(DIST) if _frozen_app().is_file() else None
    return f"{reason or 'not built'}: run installer/build.sh --baseline"


def size_rows() -> list[Row]:
    app_exe, base_exe = frozen_paths()
    if app_exe is None or base_exe is None:
        return []
    app_dir = app_exe.parent.parent.parent if sys.platform == "darwin" else app_exe.parent
    base_dir = base_exe.parent
    mib = 1024 * 1024
    rows = [Row("frozen size on disk", dir_size(app_dir) / mib, dir_size(base_dir) / mib, "MiB",
                target_abs=125 if sys.platform == "linux" else None)]
    shipped = sorted(DIST.glob("overmax-pomoc-zdalna-*.tar.xz"))
    app_txz = shipped[-1].stat().st_size if shipped else txz_size(app_dir, DIST / "perf" / "app.tar.xz")
    base_txz = txz_size(base_dir, DIST / "perf" / "minimal-window.tar.xz")
    rows.append(Row("frozen .tar.xz (xz -9)", app_txz / mib, base_txz / mib, "MiB",
                    target_abs=35 if sys.platform == "linux" else None,
                    note=shipped[-1].name if shipped else "app folder compressed here"))
    for pattern, label in (("*.deb", ".deb"), ("*-setup.exe", "Windows installer"), ("*.dmg", ".dmg")):
        for pkg in sorted(DIST.glob(pattern)):
            rows.append(Row(f"{label} size", pkg.stat().st_size / mib, None, "MiB", note=pkg.name))
    return rows


def other_benchmarks() -> list[Row]:
    """Rows from tests/perf/bench_*.py: each module exposes run() -> list of Row or dicts with Row's fields."""
    rows: list[Row] = []
    for path in sorted(Path(__file__).parent.glob("bench_*.py")):
        name = f"tests.perf.{path.stem}"
        if path.stem == "bench_memory":  # its rows sit beside the start-up rows (main)
            continue
        try:
            for item in importlib.import_module(name).run():
                rows.append(item if isinstance(item, Row) else Row(**item))
        except Exception as exc:  # noqa: BLE001 - one broken benchmark must not hide the others
            rows.append(Row(f"{path.stem}", None, note=f"failed: {exc!r}"[:100]))
    return rows


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    from PySide6 import __version__ as pyside

    return (f"{platform.system()} {platform.release()}, {cpu}, {os.cpu_count()} cores, "
            f"Python {platform.python_version()}, PySide6 {pyside}")


def _fmt(x: float | None) -> str:
    if x is None:
        return "-"
    return f"{x:.0f}" if abs(x) >= 100 else f"{x:.1f}" if abs(x) >= 10 else f"{x:.2f}"


def render(rows: list[Row], markdown: bool) -> str:
    header = ["figure", "measured", "baseline", "ratio", "unit", "within target", "note"]
    table = [[r.figure, _fmt(r.value), _fmt(r.baseline), f"{r.ratio:.2f}x" if r.ratio else "-", r.unit,
              r.verdict, r.note] for r in rows]
    if markdown:
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines += ["| " + " | ".join(row) + " |" for row in table]
        return "\n".join(lines)
    widths = [max(len(str(x)) for x in col) for col in zip(header, *table, strict=True)]
    out = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True))]
    out.append("  ".join("-" * w for w in widths))
    out += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in table]
    return "\n".join(out)


def bench_main(prog: str, rows, default_runs: int, argv: list[str] | None = None) -> int:
    """The command line of one benchmark module alone: `--runs N`, then its rows as a table."""
    parser = argparse.ArgumentParser(prog=prog)
    parser.add_argument("--runs", type=int, default=default_runs)
    args = parser.parse_args(argv)
    print(render(rows(args.runs), markdown=False))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.perf", description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=11,
                        help="measured start-ups per figure (default 11: single starts here vary by ±10 ms)")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table (for the README)")
    parser.add_argument("--skip-venv", action="store_true", help="only the frozen app and the other benchmarks")
    parser.add_argument("--start-only", action="store_true", help="only start-up and memory (no sizes, no bench_*)")
    args = parser.parse_args(argv)

    (DIST / "perf").mkdir(parents=True, exist_ok=True)
    from tests.perf import bench_memory

    rows: list[Row] = []
    if not args.skip_venv:
        rows += compare_start("venv", [sys.executable, "-m", "launcher", "--self-test"],
                              [sys.executable, str(ROOT / "tests" / "perf" / "minimal_window.py")], args.runs,
                              reference=[sys.executable, str(ROOT / "tests" / "perf" / "plain_terms_window.py")],
                              first_page=[sys.executable, str(ROOT / "tests" / "perf" / "launcher_first_page.py")])
    app_exe, base_exe = frozen_paths()
    if app_exe and base_exe:
        rows += compare_start("frozen", [str(app_exe), "--self-test"], [str(base_exe)], args.runs)
    else:
        rows.append(Row("frozen app", None, note=frozen_missing()))
    # after the timings: the stand-in QuickSupport processes of the session walks must not disturb them
    rows += bench_memory.all_rows(venv=not args.skip_venv)
    if app_exe and base_exe and not args.start_only:
        rows += size_rows()
    if not args.start_only:
        rows += other_benchmarks()
    print(f"{datetime.now():%Y-%m-%d %H:%M}  {machine()}")
    print(render(rows, args.markdown))
    return 0


if __name__ == "__main__":
    sys.exit(main())
