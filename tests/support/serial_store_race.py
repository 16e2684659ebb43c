"""Several real processes at one `SerialStore` (launcher/core/manifest.py), for the POSIX and Windows suites.

As a child (run by `python -m tests.support.serial_store_race ...`, never imported by the app):

    accept PATH FIRST STEP COUNT   waits for a line on stdin (the start), then accepts the serials FIRST,
                                   FIRST+STEP, ... (COUNT of them) one after another; prints `DONE <accepted>
                                   <refused>` (refused: MAN-ROLLBACK, a higher one was there first); any other
                                   outcome is an ERROR line and exit 1
    hold PATH                      takes the store's lock, prints `HELD`, and keeps it until killed
    read-hold PATH                 opens the stored file for reading (as another launcher's read, a scanner or an
                                   indexer does), prints `HELD`, and closes it at a line on stdin

As a library: `race()` starts the accepting children together and watches the stored file meanwhile;
`Holder` is the `hold` child.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from launcher.core.errors import LauncherError
from launcher.core.manifest import PRODUCT, SCHEMA, Manifest, SerialStore

REPO = Path(__file__).resolve().parents[2]
LIMIT_S = 120.0  # a run that never ends (a deadlock) still fails, with what it saw
PROCESSES = 4
SERIALS_EACH = 150


def manifest(serial: int) -> Manifest:
    """A verified-manifest value with `serial` (accept reads only the serial; the rest is well formed)."""
    return Manifest(schema=SCHEMA, product=PRODUCT, serial=serial, expires=datetime.now(UTC) + timedelta(days=1),
                    artifacts={})


def _child_accept(path: Path, first: int, step: int, count: int) -> int:
    store = SerialStore(path)
    sys.stdin.readline()  # every child is started (its interpreter up) before any accepts
    accepted = refused = 0
    for serial in range(first, first + step * count, step):
        try:
            store.accept(manifest(serial))
            accepted += 1
        except LauncherError as exc:
            if exc.code != "MAN-ROLLBACK":
                print(f"ERROR {exc.code}: {exc.detail}", flush=True)
                return 1
            refused += 1
    print(f"DONE {accepted} {refused}", flush=True)
    return 0


def _child_hold(path: Path) -> int:
    with SerialStore(path).locked():
        print("HELD", flush=True)
        while True:  # until killed: the lock is never let go by this process itself
            time.sleep(1)


def _child_read_hold(path: Path) -> int:
    with path.open("rb"):
        print("HELD", flush=True)
        sys.stdin.readline()
    return 0


def child_argv(*args: str) -> list[str]:
    return [sys.executable, "-m", "tests.support.serial_store_race", *args]


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", "")}


@dataclass
class RaceOutcome:
    final: int  # the stored highest serial once every child is done
    seen: list[int] = field(default_factory=list)  # every value read while they ran, in order
    unreadable: list[str] = field(default_factory=list)  # reads that found a file but no whole record
    outputs: list[str] = field(default_factory=list)  # each child's stdout
    exit_codes: list[int] = field(default_factory=list)


def race(path: Path, processes: int, serials_each: int) -> RaceOutcome:
    """`processes` children accept interleaved serials 1..processes*serials_each at once (child i: i+1,
    i+1+processes, ...), while this process reads the file as fast as it can."""
    children = [subprocess.Popen(child_argv("accept", str(path), str(i + 1), str(processes), str(serials_each)),
                                 stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                 text=True, cwd=REPO, env=_env())
                for i in range(processes)]
    outcome = RaceOutcome(final=-1)
    try:
        for child in children:
            child.stdin.write("go\n")
            child.stdin.flush()
        deadline = time.monotonic() + LIMIT_S
        while any(child.poll() is None for child in children) and time.monotonic() < deadline:
            _read_into(path, outcome)
            time.sleep(0.001)  # leaves the file free most of the time: Windows cannot replace a file held open
        for child in children:
            out, _ = child.communicate(timeout=max(deadline - time.monotonic(), 1.0))
            outcome.outputs.append(out)
            outcome.exit_codes.append(child.returncode)
    finally:
        for child in children:
            if child.poll() is None:
                child.kill()
                child.wait()
    outcome.final = json.loads(path.read_text("utf-8"))["highest_serial"]
    return outcome


def _read_into(path: Path, outcome: RaceOutcome) -> None:
    try:
        text = path.read_text("utf-8")
    except FileNotFoundError:
        return  # nothing accepted yet
    except PermissionError:
        return  # Windows: the moment the file is being replaced
    try:
        outcome.seen.append(json.loads(text)["highest_serial"])
    except (ValueError, KeyError, TypeError):
        outcome.unreadable.append(text)


class Holder:
    """A child process that holds the store's lock (`hold`), until `kill()` ends it outright."""

    def __init__(self, path: Path) -> None:
        self.proc = subprocess.Popen(child_argv("hold", str(path)), stdin=subprocess.DEVNULL,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO,
                                     env=_env())

    def wait_held(self) -> None:
        line = self.proc.stdout.readline()  # blocks until the child holds it, or has ended
        assert line.strip() == "HELD", f"{line!r} {self.proc.stderr.read() if self.proc.poll() is not None else ''}"

    def kill(self) -> None:
        """SIGKILL (POSIX) or TerminateProcess (Windows): nothing of the child runs after this."""
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(LIMIT_S)
        self.proc.stdout.close()
        self.proc.stderr.close()


def check_race(path: Path) -> None:
    """The race (see `race`): the stored serial only goes up, is always whole, ends at the highest."""
    outcome = race(path, PROCESSES, SERIALS_EACH)
    assert outcome.exit_codes == [0] * PROCESSES, outcome.outputs
    assert all(out.startswith("DONE ") for out in outcome.outputs), outcome.outputs
    assert outcome.unreadable == []  # never a half-written record
    lowered = [(a, b) for a, b in zip(outcome.seen, outcome.seen[1:], strict=False) if b < a]
    assert lowered == [], f"the stored serial went down {len(lowered)} times, e.g. {lowered[:3]}"
    assert outcome.final == PROCESSES * SERIALS_EACH  # the highest of all, whoever accepted it last
    assert SerialStore(path).highest() == outcome.final
    assert [p.name for p in path.parent.iterdir() if p.name.endswith(".tmp")] == []


def check_killed_holder(path: Path) -> None:
    """A live holder keeps others out (MAN-STATE-BUSY once they have waited
    their time); killed outright, it leaves its lock file behind, which blocks nobody."""
    store = SerialStore(path)
    store.accept(manifest(3))
    holder = Holder(path)
    try:
        holder.wait_held()
        with pytest.raises(LauncherError) as info:
            SerialStore(path, lock_timeout_s=0.2).accept(manifest(4))
        assert info.value.code == "MAN-STATE-BUSY"
        assert store.highest() == 3
    finally:
        holder.kill()
    assert store.lock_path.exists()  # the killed holder never let go of it itself
    SerialStore(path, lock_timeout_s=0).accept(manifest(5))  # one try, no waiting: the OS freed it
    assert store.highest() == 5


def check_known_serial_while_held(path: Path) -> None:
    """Another process holds the lock and does not let go (hung, or on a share that is slow to write): a
    manifest whose serial is already stored, or lower, is decided by reading alone, at once (accepted, or
    MAN-ROLLBACK), not after waiting `lock_timeout_s` for MAN-STATE-BUSY. Only a higher serial needs the lock."""
    store = SerialStore(path)
    store.accept(manifest(3))
    holder = Holder(path)
    try:
        holder.wait_held()
        waiting = SerialStore(path, lock_timeout_s=30.0)  # a wait for the lock ends in MAN-STATE-BUSY
        waiting.accept(manifest(3))  # the same manifest again: the common case, nothing to write
        with pytest.raises(LauncherError) as info:
            waiting.accept(manifest(2))
        assert info.value.code == "MAN-ROLLBACK"
        with pytest.raises(LauncherError) as info:
            SerialStore(path, lock_timeout_s=0.2).accept(manifest(4))
        assert info.value.code == "MAN-STATE-BUSY"  # a raise still waits its turn
        assert store.highest() == 3
    finally:
        holder.kill()


class ReadHolder:
    """A child process that holds the stored file open for reading (`read-hold`) until `release()`."""

    def __init__(self, path: Path) -> None:
        self.proc = subprocess.Popen(child_argv("read-hold", str(path)), stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=REPO,
                                     env=_env())
        line = self.proc.stdout.readline()  # blocks until the child holds it, or has ended
        assert line.strip() == "HELD", line + self.proc.stdout.read()

    def release(self) -> None:
        if self.proc.poll() is None:
            self.proc.stdin.write("\n")
            self.proc.stdin.flush()
        self.proc.communicate(timeout=LIMIT_S)


def main(argv: list[str]) -> int:
    if argv[:1] == ["accept"] and len(argv) == 5:
        return _child_accept(Path(argv[1]), int(argv[2]), int(argv[3]), int(argv[4]))
    if argv[:1] == ["hold"] and len(argv) == 2:
        return _child_hold(Path(argv[1]))
    if argv[:1] == ["read-hold"] and len(argv) == 2:
        return _child_read_hold(Path(argv[1]))
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
