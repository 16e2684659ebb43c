"""Roster benchmark (issue 15): a supporter not on the roster joins -> the last QuickSupport process is gone.

A stand-in QuickSupport with children and grandchildren (tests/support/standins.py, 5 processes) runs under
the real QuickSupportSession with a SupporterGate whose roster does not hold the joining ID. The time is
taken from just before the `AddParticipant: [ID,S] type=6 name=N` line is appended to its log, through
polls at the session worker's interval (POLL_S, as in the window once the ID is known), to the moment
every process of the tree is verified gone (the refusing poll returns only then). Target: at most 1.5 s.
Two rows: a tree that honours SIGTERM, and one that ignores it (the 1 s grace, then SIGKILL).
Baseline: the same, but the join of a consultant on the roster is followed by Rozłącz (stop()) at once.

    .venv/bin/python -m tests.perf.bench_roster [--runs N]
"""

from __future__ import annotations

import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

RUNS = 5
TIMEOUT_S = 30.0
ROSTER_ID = "1987654320"
IMPOSTOR_ID = "1555000111"


def _tv_line(msg: str) -> bytes:
    now = time.time()
    stamp = time.strftime("%Y/%m/%d %H:%M:%S", time.localtime(now)) + f".{int(now * 1000) % 1000:03d}"
    return f"{stamp}  {os.getpid()}  {1234:>9} S0   {msg}\n".encode()


def _one(folder: Path, ignore_term: bool, joining_id: str) -> float:
    """Seconds from the join line to the whole tree verified gone."""
    import psutil

    from launcher.core.manifest import Consultant
    from launcher.core.quicksupport.process import _is_alive
    from launcher.core.quicksupport.session import POLL_S
    from launcher.core.quicksupport.supporter_gate import SupporterGate
    from tests.perf.bench_quicksupport import session_with_standin, wait_for_standin_tree

    session = session_with_standin(folder, ignore_term, SupporterGate((Consultant(ROSTER_ID, "Anna Nowak"),)))
    session.start()
    wait_for_standin_tree(session, folder)
    procs = [psutil.Process(int(p.name)) for p in (folder / "pids").iterdir()]
    log = next((folder / "logfiles").glob("TeamViewer*_Logfile.log"))
    line = _tv_line(f"CPersistentParticipantManager::AddParticipant: [{joining_id},123456789] type=6 name=Bench")
    t0 = time.perf_counter()
    with open(log, "ab", buffering=0) as fh:
        fh.write(line)
    while True:
        kinds = [e.kind for e in session.poll()]
        if "refused" in kinds:
            break
        if "joined" in kinds:  # on the roster: the customer presses Rozłącz at once (the baseline)
            session.stop()
            break
        if time.perf_counter() - t0 > TIMEOUT_S:
            session.stop()
            raise RuntimeError("the join was never seen")
        time.sleep(POLL_S)
    elapsed = time.perf_counter() - t0
    left = [p.pid for p in procs if _is_alive(p)]
    if left:
        raise RuntimeError(f"processes left: {left}")
    return elapsed


def measure(runs: int, ignore_term: bool, joining_id: str) -> list[float]:
    work = Path(tempfile.mkdtemp(prefix="bench-roster-"))
    try:
        times = [_one(work / f"qs-{i}", ignore_term, joining_id) for i in range(runs + 1)]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return times[1:]  # the first is a warm-up


def rows(runs: int = RUNS) -> list:
    from tests.perf.run import Row

    out = []
    for ignore_term, label in ((False, "honours SIGTERM"), (True, "ignores SIGTERM")):
        figure = f"unknown supporter joins → tree gone ({label})"
        try:
            refused = measure(runs, ignore_term, IMPOSTOR_ID)
            baseline = measure(max(runs // 2, 2), ignore_term, ROSTER_ID)
            out.append(Row(figure, statistics.median(refused) * 1000, statistics.median(baseline) * 1000, "ms",
                           target_abs=1500,
                           note=f"5 processes, polled every 100 ms; baseline: roster hit + Rozłącz at once; "
                                f"max {max(refused) * 1000:.0f} ms, n={len(refused)}"))
        except Exception as exc:  # noqa: BLE001 - one failed figure must not hide the other
            out.append(Row(figure, None, note=f"failed: {exc!r}"[:100]))
    return out


def run() -> list:
    """For tests/perf/run.py."""
    return rows()


def main(argv: list[str] | None = None) -> int:
    from tests.perf.run import bench_main

    return bench_main("python -m tests.perf.bench_roster", rows, RUNS, argv)


if __name__ == "__main__":
    sys.exit(main())
