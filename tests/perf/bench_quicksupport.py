"""QuickSupport benchmarks: join line -> name on screen, disconnect -> nothing left, launcher killed -> nothing left.

1. Join latency, through the whole real app: Controller + MainWindow (offscreen Qt) run the demo flow
   against the loopback DemoServer until the demo stand-in QuickSupport is up and its ID is shown (the
   stand-in told to let nobody join). Then, at random moments, the roster consultant's join is appended to
   the stand-in's log as TeamViewer 15 writes it (AddParticipant and the participant manager's lines), and
   the time is taken until the `sessionStatus` label has *painted* the consultant's name (the session
   worker's real TvLogFollower poll, the roster gate, the queued signal, the controller, the page); the
   consultant then leaves (untimed) before the next one. What the customer watches for once the ID is read
   out. (It timed a second ID line until the launcher rightly stopped taking one: QuickSupport has one ID
   per run, and a later line naming another is of a supporter's making.)
   Baseline: a bare loop polling the same file at the worker's interval once the ID is shown (POLL_S),
   timing the same lines.
2. Disconnect: a stand-in QuickSupport (tests/support/standins.py) that ignores SIGTERM and has children
   and grandchildren (5 processes) is started through the real QuickSupportSession; the time taken is
   from `stop()` (what the Rozłącz button triggers on the worker thread) to its return, by which point it
   has verified that no process of the tree is left, released the watchdog and deleted the folder.
   Baseline: SIGKILL + wait of one plain child.

It runs in a child process (`--json`), so Qt, logging and threads never touch the runner's process.

    .venv/bin/python -m tests.perf.bench_quicksupport [--runs N]      (just these rows)
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
STANDINS = ROOT / "tests" / "support" / "standins.py"
ID_RUNS = 15
KILL_RUNS = 5
TIMEOUT_S = 30.0


# ------------------------------------------------------------------ helpers


def _spin(app, until, timeout_s: float) -> bool:
    """Run the Qt event loop until `until()` is true (checked every few ms) or the timeout."""
    from PySide6.QtCore import QEventLoop

    deadline = time.monotonic() + timeout_s
    while not until():
        if time.monotonic() > deadline:
            return False
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)
        time.sleep(0.002)
    return True


def _tv_line(msg: str) -> bytes:
    now = time.time()
    stamp = time.strftime("%Y/%m/%d %H:%M:%S", time.localtime(now)) + f".{int(now * 1000) % 1000:03d}"
    return f"{stamp}  {os.getpid()}  {1234:>9} S0   {msg}\n".encode()


class _BarePoller(threading.Thread):
    """The baseline: poll one file every `interval_s` for new bytes, note when each awaited text shows up."""

    def __init__(self, path: Path, interval_s: float) -> None:
        super().__init__(daemon=True)
        self.path, self.interval_s = path, interval_s
        self.offset = path.stat().st_size
        self.awaited: dict[bytes, float | None] = {}
        self.lock = threading.Lock()
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.wait(self.interval_s):
            size = self.path.stat().st_size
            if size <= self.offset:
                continue
            with open(self.path, "rb") as fh:
                fh.seek(self.offset)
                data = fh.read(size - self.offset)
            self.offset = size
            now = time.perf_counter()
            with self.lock:
                for text, seen in self.awaited.items():
                    if seen is None and text in data:
                        self.awaited[text] = now


# ------------------------------------------------------------------ 1. join line -> name on screen


def measure_join_latency(runs: int) -> tuple[list[float], list[float]]:
    """Seconds from append to painted status (app) and to the bare poller seeing the lines, per run."""
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    os.environ["OVERMAX_DEMO_JOIN_AFTER"] = "-1"  # the stand-in lets nobody join: the joins are this benchmark's
    from PySide6.QtCore import QEvent, QObject, Slot
    from PySide6.QtWidgets import QApplication, QCheckBox, QLabel, QPushButton

    from launcher.config import load_config
    from launcher.core.applog import setup_logging, shutdown_logging
    from launcher.core.paths import app_paths
    from launcher.core.quicksupport.session import POLL_S
    from launcher.demo.server import DEMO_ROSTER_NAME, DemoServer
    from launcher.demo.session import demo_overrides
    from launcher.demo.standin import DEMO_CONSULTANT_ID
    from launcher.ui.controller import Controller, State
    from launcher.ui.main_window import MainWindow

    class PaintProbe(QObject):
        """Notes when the label first paints a text holding the expected one."""

        def __init__(self, label: QLabel) -> None:
            super().__init__()
            self.label, self.expected, self.painted_at = label, "", 0.0
            label.installEventFilter(self)

        def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt API
            if event.type() == QEvent.Type.Paint and not self.painted_at and self.expected in self.label.text():
                self.painted_at = time.perf_counter()
            return False

        @Slot()
        def noop(self) -> None:
            pass

    app = QApplication.instance() or QApplication([sys.argv[0]])
    work = Path(tempfile.mkdtemp(prefix="bench-qs-id-"))
    (work / "www").mkdir()
    server = DemoServer(work / "www").start()
    controller = window = None
    poller: _BarePoller | None = None
    try:
        config = load_config(overrides=demo_overrides(server, work / "data"))
        paths = app_paths(config.paths.data_dir).ensure()
        setup_logging(paths.logs)
        controller = Controller(config, paths, language="pl")
        window = MainWindow(controller, demo=True)
        window.show()
        if not _spin(app, lambda: window.startup_finished, TIMEOUT_S):  # every page built, as a customer sees it
            raise RuntimeError("the window did not finish starting")
        window.findChild(QCheckBox, "acceptTerms").setChecked(True)
        window.findChild(QCheckBox, "confirmHotline").setChecked(True)
        window.findChild(QPushButton, "continueButton").click()
        label = window.findChild(QLabel, "sessionId")
        if not _spin(app, lambda: controller.state is State.SESSION and label.text() != "…", TIMEOUT_S):
            raise RuntimeError(f"the demo session did not come up (state {controller.state.value})")
        log_file = next(paths.runtime.rglob("TeamViewer*_Logfile.log"))
        status = window.findChild(QLabel, "sessionStatus")
        probe = PaintProbe(status)
        poller = _BarePoller(log_file, POLL_S)
        poller.start()
        app_t, bare_t = [], []
        own_id = controller.session.tv_id
        fd = os.open(log_file, os.O_WRONLY | os.O_APPEND)
        try:
            for i in range(runs + 1):  # the first one is a warm-up
                session = str(random.randint(100_000_000, 999_999_999))
                cid, own = f"[{DEMO_CONSULTANT_ID},{session}]", f"[{own_id},{session}]"
                key = f"name={DEMO_ROSTER_NAME} {session}".encode()
                probe.expected, probe.painted_at = DEMO_ROSTER_NAME, 0.0
                with poller.lock:
                    poller.awaited[key] = None
                pause = time.monotonic() + random.uniform(0.05, 0.25)  # a random phase against both pollers
                _spin(app, lambda p=pause: time.monotonic() >= p, 1.0)
                lines = b"".join(_tv_line(line) for line in (
                    f"CPersistentParticipantManager::AddParticipant: {own} type=3 name=DEMO-PC",
                    f"CPersistentParticipantManager::AddParticipant: {cid} type=6 name={DEMO_ROSTER_NAME} {session}",
                    f"CParticipantManagerBase participant DEMO-PC (ID {own}) was added with the role 3",
                    f"CParticipantManagerBase participant {DEMO_ROSTER_NAME} {session} (ID {cid}) was added with "
                    f"the role 6"))
                written = time.perf_counter()
                os.write(fd, lines)
                if not _spin(app, lambda k=key: probe.painted_at and poller.awaited[k], 5.0):
                    raise RuntimeError(f"join {session} not shown within 5 s (status {status.text()!r}, "
                                       f"state {controller.state.value})")
                if i:
                    app_t.append(probe.painted_at - written)
                    bare_t.append(poller.awaited[key] - written)
                os.write(fd, _tv_line(f"CPersistentParticipantManager::RemoveParticipant: {cid}"))
                if not _spin(app, lambda: DEMO_ROSTER_NAME not in status.text(), 5.0):
                    raise RuntimeError(f"leave {session} not shown within 5 s (status {status.text()!r})")
        finally:
            os.close(fd)
        return app_t, bare_t
    finally:
        if poller is not None:
            poller.stop.set()
        if controller is not None:
            if controller.session_active:
                controller.disconnect_session()
                _spin(app, lambda: not controller.session_active, TIMEOUT_S)
            controller.shutdown()
        if window is not None:
            window.close()
        shutdown_logging()
        server.stop()
        shutil.rmtree(work, ignore_errors=True)


# ------------------------------------------------------------------ 2. disconnect -> nothing left


def session_with_standin(folder: Path, ignore_term: bool, gate=None):
    """A QuickSupportSession (not started) of the stand-in with 2 children and 2 grandchildren, in the new
    folder `folder`; `ignore_term`: the stand-in ignores SIGTERM; `gate`: the session's SupporterGate."""
    from launcher.core.quicksupport.launch import Prepared
    from launcher.core.quicksupport.session import QuickSupportSession

    folder.mkdir(parents=True)
    argv = [sys.executable, str(STANDINS), "run", "--dir", str(folder), "--children", "2"]
    if ignore_term:
        argv.append("--ignore-term")
    prepared = Prepared(argv=argv, cwd=folder, root=folder, log_dirs=[folder / "logfiles"], env=dict(os.environ),
                        watch_dirs=[folder])
    return QuickSupportSession(prepared, gate=gate)


def wait_for_standin_tree(session, folder: Path) -> None:
    """Poll the started `session` until it is ready: the ID is logged and all 5 processes of the stand-in
    started with `--children 2` in `folder` (stand-in, 2 children, 2 grandchildren) have written their pid
    files. RuntimeError (after stopping the session) when that takes over TIMEOUT_S seconds."""
    deadline = time.monotonic() + TIMEOUT_S
    while session.tv_id is None or len(list((folder / "pids").glob("*"))) < 5:
        if time.monotonic() > deadline:
            session.stop()
            raise RuntimeError("stand-in tree did not come up")
        session.poll()
        time.sleep(0.02)


def measure_disconnect(runs: int, ignore_term: bool) -> tuple[list[float], int]:
    """Seconds for QuickSupportSession.stop() per run, and how many processes each tree had."""
    import psutil

    from launcher.core.quicksupport.process import _is_alive

    times: list[float] = []
    members = 0
    work = Path(tempfile.mkdtemp(prefix="bench-qs-stop-"))
    try:
        for i in range(runs + 1):  # the first one is a warm-up
            folder = work / f"qs-{i}"
            session = session_with_standin(folder, ignore_term)
            session.start()
            wait_for_standin_tree(session, folder)
            procs = [psutil.Process(int(p.name)) for p in (folder / "pids").iterdir()]
            members = len(procs)
            t0 = time.perf_counter()
            session.stop()  # raises QS-KILL if anything survived
            elapsed = time.perf_counter() - t0
            left = [p.pid for p in procs if _is_alive(p)]
            if left:
                raise RuntimeError(f"processes left after stop(): {left}")
            if i:
                times.append(elapsed)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return times, members


def measure_plain_kill(runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
        time.sleep(0.2)
        t0 = time.perf_counter()
        proc.kill()
        proc.wait()
        times.append(time.perf_counter() - t0)
    return times


# ------------------------------------------------------------------ 3. launcher killed -> nothing left


def measure_launcher_killed(runs: int) -> list[float]:
    """Seconds from SIGKILL of a launcher in a demo session (the real run_gui, driven as in
    tests/e2e/test_signals.py) until no process of its QuickSupport stand-in is left: the death signal
    and the watchdog, since no handler of the launcher runs."""
    from tests.e2e.test_signals import SCRIPT
    from tests.support.processes import processes_mentioning

    times = []
    for i in range(runs + 1):  # the first one is a warm-up
        work = Path(tempfile.mkdtemp(prefix="bench-qs-killed-"))
        # a user of its own (lock, data, logs): a launcher this user runs elsewhere must not hold the lock
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT), HOME=str(work),
                   **{var: str(work / var.lower()) for var in ("XDG_CACHE_HOME", "XDG_DATA_HOME",
                                                             "XDG_STATE_HOME", "XDG_CONFIG_HOME")})
        proc = subprocess.Popen([sys.executable, "-c", SCRIPT], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True, env=env, cwd=work)
        try:
            line = proc.stdout.readline()
            if not line.startswith("RUNTIME "):
                raise RuntimeError(f"the launcher did not start: {proc.stderr.read()[-200:]}")
            marker = line.split(" ", 1)[1].strip()
            deadline = time.monotonic() + TIMEOUT_S
            while not list(Path(marker).rglob("TeamViewer*_Logfile.log")):  # the stand-in is up and logging
                if time.monotonic() > deadline:
                    raise RuntimeError("the stand-in QuickSupport never started")
                time.sleep(0.02)
            t0 = time.perf_counter()
            proc.kill()
            while processes_mentioning(marker):
                if time.perf_counter() - t0 > TIMEOUT_S:
                    raise RuntimeError("the stand-in outlived the killed launcher")
                time.sleep(0.005)
            if i:
                times.append(time.perf_counter() - t0)
        finally:
            if proc.poll() is None:
                proc.kill()
            proc.wait()
            shutil.rmtree(work, ignore_errors=True)
    return times


# ------------------------------------------------------------------ rows


def _spread(values: list[float]) -> str:
    return f"{min(values) * 1000:.0f}-{max(values) * 1000:.0f} ms, n={len(values)}"


def measure(id_runs: int = ID_RUNS, kill_runs: int = KILL_RUNS) -> list:
    from tests.perf.run import Row

    rows = []
    try:
        app_t, bare_t = measure_join_latency(id_runs)
        rows.append(Row("join line → consultant painted (whole app)", statistics.median(app_t) * 1000,
                        statistics.median(bare_t) * 1000, "ms", target_abs=300,
                        note=f"baseline: bare 100 ms poll of the same file; app {_spread(app_t)}, "
                             f"p90 {statistics.quantiles(app_t, n=10)[-1] * 1000:.0f} ms"))
    except Exception as exc:  # noqa: BLE001 - one failed figure must not hide the other
        rows.append(Row("join line → consultant painted (whole app)", None, note=f"failed: {exc!r}"[:100]))
    try:
        kill_t = measure_plain_kill(kill_runs)
        stop_t, members = measure_disconnect(kill_runs, ignore_term=True)
        rows.append(Row("disconnect → tree gone (ignores SIGTERM)", statistics.median(stop_t) * 1000,
                        statistics.median(kill_t) * 1000, "ms", target_abs=2000,
                        note=f"{members} processes, 1 s grace then SIGKILL; baseline: SIGKILL+wait of 1 child; "
                             f"{_spread(stop_t)}"))
        polite_t, members = measure_disconnect(max(kill_runs // 2, 2), ignore_term=False)
        rows.append(Row("disconnect → tree gone (honours SIGTERM)", statistics.median(polite_t) * 1000,
                        statistics.median(kill_t) * 1000, "ms", target_abs=2000,
                        note=f"{members} processes; for comparison; {_spread(polite_t)}"))
    except Exception as exc:  # noqa: BLE001
        rows.append(Row("disconnect → tree gone", None, note=f"failed: {exc!r}"[:100]))
    try:
        kill_t = measure_plain_kill(kill_runs)
        killed_t = measure_launcher_killed(max(kill_runs // 2, 2))
        rows.append(Row("launcher killed → QuickSupport gone", statistics.median(killed_t) * 1000,
                        statistics.median(kill_t) * 1000, "ms", target_abs=2000,
                        note=f"SIGKILL of the launcher in a demo session: death signal and watchdog; "
                             f"baseline: SIGKILL+wait of 1 child; {_spread(killed_t)}"))
    except Exception as exc:  # noqa: BLE001
        rows.append(Row("launcher killed → QuickSupport gone", None, note=f"failed: {exc!r}"[:100]))
    return rows


def run() -> list:
    """For tests/perf/run.py: measure in a child process and rebuild the rows from its JSON."""
    from tests.perf.run import Row

    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    proc = subprocess.run([sys.executable, "-m", "tests.perf.bench_quicksupport", "--json"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    last = proc.stdout.strip().splitlines()[-1:] if proc.stdout.strip() else []
    if proc.returncode != 0 or not last:
        return [Row("bench_quicksupport", None, note=f"exit {proc.returncode}: {proc.stderr.strip()[-80:]}")]
    return [Row(**item) for item in json.loads(last[0])]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.perf.bench_quicksupport")
    parser.add_argument("--json", action="store_true", help="print the rows as one JSON line (for run.py)")
    parser.add_argument("--runs", type=int, default=ID_RUNS, help="ID-latency runs (disconnect: a third)")
    args = parser.parse_args(argv)
    rows = measure(args.runs, max(args.runs // 3, 2))
    if args.json:
        print(json.dumps([dataclasses.asdict(r) for r in rows]))
    else:
        from tests.perf.run import render

        print(render(rows, markdown=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
