""""Dalej" clicked -> QuickSupport's ID on screen: what the customer waits for, against plain tools.

The app: `--self-test --walk-session --config FILE` ticks both boxes, clicks Dalej and reports the
seconds until the session page has painted the ID (connection check, signed manifest, download, hash,
unpack, QuickSupport stand-in started, its ID read from its log, shown): `dalej_to_id_s` in its output.
The baseline does the same work with plain tools, in this process: urllib fetches the manifest and its
signature, then the artifact, hashlib checks the sha256 the manifest names, tarfile unpacks it, the same
stand-in starts from the same entry script, and a 5 ms loop waits for its ID line in its log. Both
against the same loopback demo server, interleaved, after one warm-up each.

    .venv/bin/python -m tests.perf.bench_dalej [--runs N]      (just these rows)
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import statistics
import subprocess
import sys
import tarfile
import time
import urllib.request
from pathlib import Path

from tests.perf.demo_runs import demo_config, demo_server
from tests.perf.run import ROOT, Row, bench_main, env, frozen_paths

RUNS = 5
TIMEOUT_S = 120
ID_LINE = b"Login::Identify::ManageLogin(): ID: "


def app_seconds(cmd: list[str], config: Path) -> float:
    proc = subprocess.run([*cmd, "--self-test", "--walk-session", "--config", str(config)], capture_output=True,
                          text=True, env=env(), cwd=ROOT, timeout=TIMEOUT_S)
    line = next((ln for ln in proc.stdout.splitlines() if "dalej_to_id_s=" in ln), None)
    if proc.returncode != 0 or line is None:
        raise RuntimeError(f"{' '.join(cmd[:3])} exited {proc.returncode}: {proc.stderr.strip()[-300:]}")
    return float(line.rsplit("dalej_to_id_s=", 1)[1])


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - loopback demo server
        return response.read()


def plain_seconds(manifest_url: str, platform: str, work: Path) -> float:
    """The same work with plain tools; the stand-in is ended (its whole process group) afterwards."""
    started = time.perf_counter()
    manifest = json.loads(_get(manifest_url))
    _get(manifest_url + ".sig")
    entry = manifest["artifacts"][platform]
    archive = work / "qs.tar.gz"
    archive.write_bytes(_get(entry["url"]))
    if hashlib.sha256(archive.read_bytes()).hexdigest() != entry["sha256"]:
        raise RuntimeError("the baseline's download does not match the manifest")
    root = work / "qs"
    with tarfile.open(archive) as tar:
        tar.extractall(root, filter="tar")
    program = root / entry["entry"]
    log = program.parent / "logfiles" / "TeamViewer15_Logfile.log"
    proc = subprocess.Popen([str(program)], cwd=program.parent, env=env(), start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + TIMEOUT_S
        while not (log.is_file() and ID_LINE in log.read_bytes()):
            if time.monotonic() > deadline or proc.poll() is not None:
                raise RuntimeError("the stand-in wrote no ID line")
            time.sleep(0.005)
        return time.perf_counter() - started
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def dalej_rows(label: str, app: list[str], runs: int = RUNS) -> list[Row]:
    figure = f'"Dalej" → ID on screen, {label}'
    if not sys.platform.startswith("linux"):
        return [Row(figure, None, note="needs the Linux demo stand-in")]
    from launcher.core.manifest import current_platform_key

    with demo_server("overmax-bench-dalej-") as (server, work):
        app_s, plain_s = [], []
        for i in range(runs + 1):  # the first run warms the caches and is not counted
            config = demo_config(server, work, i)
            app_t = app_seconds(app, config)
            (work / f"plain{i}").mkdir()
            plain_t = plain_seconds(server.manifest_url, current_platform_key(), work / f"plain{i}")
            if i:
                app_s.append(app_t)
                plain_s.append(plain_t)
    return [Row(figure, statistics.median(app_s) * 1000, statistics.median(plain_s) * 1000, "ms",
                target_ratio=1.3,
                note=f"baseline: urllib + hashlib + tarfile + the same stand-in; app "
                     f"{min(app_s) * 1000:.0f}-{max(app_s) * 1000:.0f} ms, n={runs}")]


def all_rows(runs: int = RUNS, venv: bool = True) -> list[Row]:
    rows = []
    if venv:
        rows += dalej_rows("venv", [sys.executable, "-m", "launcher"], runs)
    app_exe, _ = frozen_paths()
    if app_exe:
        rows += dalej_rows("frozen", [str(app_exe)], runs)
    return rows


def run() -> list[Row]:
    """For tests/perf/run.py's other_benchmarks()."""
    return all_rows()


def main(argv: list[str] | None = None) -> int:
    return bench_main("python -m tests.perf.bench_dalej", all_rows, RUNS, argv)


if __name__ == "__main__":
    sys.exit(main())
