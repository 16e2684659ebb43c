"""Windows rows of the benchmark table: the per-user setup a Windows customer downloads and the app folder it
installs, as `installer/windows/build-under-wine.sh` builds them here (PyInstaller under Wine, makensis).

    .venv/bin/python -m tests.perf.bench_windows_setup      (just these rows)

Sizes only (nothing to time under Wine that says anything about Windows). Rows say "not built" until
`scripts/windows-lane.sh build` has run.
"""

from __future__ import annotations

import sys
from pathlib import Path

from tests.perf.run import APP_ID, DIST, Row, bench_main, dir_size

MIB = 1024 * 1024
# What a customer downloads: the same budget as the Linux .tar.xz (tests/perf/run.py).
TARGET_DOWNLOAD_MIB = 35


def run(runs: int = 1) -> list[Row]:
    """Rows: the setup's size and the installed app folder's size (MiB); `runs` is unused (sizes)."""
    out_dir = DIST / "windows"
    setups = sorted(out_dir.glob(f"{APP_ID}-*-setup.exe"))
    app_dir = out_dir / APP_ID
    if not setups:
        return [Row("Windows setup size", None, note="not built: scripts/windows-lane.sh build")]
    setup: Path = setups[-1]
    rows = [Row("Windows setup size", setup.stat().st_size / MIB, None, "MiB", target_abs=TARGET_DOWNLOAD_MIB,
                note=f"{setup.name}, NSIS lzma, built under Wine")]
    if (app_dir / f"{APP_ID}.exe").is_file():
        rows.append(Row("Windows app on disk", dir_size(app_dir) / MIB, None, "MiB", note="PyInstaller onedir"))
    return rows


def main(argv: list[str] | None = None) -> int:
    return bench_main("python -m tests.perf.bench_windows_setup", run, 1, argv)


if __name__ == "__main__":
    sys.exit(main())
