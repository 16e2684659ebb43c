"""Signals that stop a loop (launcher/core/stop_signals.py): a signal at any moment of the loop's waiting
stops it. A handler that set the stop itself hung the process whenever the signal came while the main thread
was inside the stop's own lock (always so under Windows' Ctrl+C; on Linux within a few tries of the busy loop
below)."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
HANG_S = 120.0  # rounds take milliseconds each: only a hung process is still running then

# The session's own stop and signals (cmd_session's), a main thread that does nothing but wait for the stop
# (wait(0): it is inside the event's lock most of the time), and a signal at a random moment of each round.
BUSY_WAIT = """
import os, random, signal, sys, threading
from launcher.cli.session import StopRequest, stop_on_signals

rounds, signum, why = int(sys.argv[1]), getattr(signal, sys.argv[2]), sys.argv[3]
for i in range(rounds):
    stop = StopRequest()
    with stop_on_signals(stop):
        timer = threading.Timer(random.uniform(0, 0.003), os.kill, (os.getpid(), signum))
        timer.start()
        while not stop.is_set():
            stop.wait(0)
        timer.join()
    assert stop.reason == why, (i, stop.reason)
    print(i, flush=True)
print("all", flush=True)
"""


@pytest.mark.skipif(sys.platform == "win32", reason="os.kill of a console signal is not a signal on Windows")
@pytest.mark.parametrize(("signame", "why"), [("SIGINT", "sigint"), ("SIGTERM", "sigterm")])
def test_a_signal_at_any_moment_of_the_wait_stops_the_session(signame, why):
    proc = subprocess.Popen([sys.executable, "-c", BUSY_WAIT, "300", signame, why], cwd=REPO,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        out, err = proc.communicate(timeout=HANG_S)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        done = out.split()
        pytest.fail(f"hung in round {len(done)} of 300 (a handler waiting for a lock its own thread holds)")
    assert proc.returncode == 0 and out.split()[-1] == "all", (out[-300:], err)


def test_signals_that_came_are_handed_on_in_order_and_the_old_handlers_come_back():
    from launcher.core.stop_signals import signals_forwarded

    before = signal.getsignal(signal.SIGINT)
    got: list[tuple[str, str]] = []
    with signals_forwarded({"sigint": signal.SIGINT, "sigterm": signal.SIGTERM},
                           lambda name: got.append((name, threading.current_thread().name))):
        signal.raise_signal(signal.SIGTERM)
        signal.raise_signal(signal.SIGINT)
        signal.raise_signal(signal.SIGTERM)
    # all handed on before leaving, on the forwarding thread, never inside the handler (the main thread)
    assert got == [("sigterm", "stop-signals"), ("sigint", "stop-signals"), ("sigterm", "stop-signals")]
    assert signal.getsignal(signal.SIGINT) is before


def test_leaving_on_an_error_brings_the_old_handler_back():
    from launcher.core.stop_signals import signals_forwarded

    before = signal.getsignal(signal.SIGTERM)
    with pytest.raises(RuntimeError), signals_forwarded({"sigterm": signal.SIGTERM}, lambda name: None):
        raise RuntimeError("the guarded code failed")
    assert signal.getsignal(signal.SIGTERM) is before


def test_off_the_main_thread_it_says_so_and_changes_nothing():
    from launcher.core.stop_signals import signals_forwarded

    before = signal.getsignal(signal.SIGINT)
    raised: list[BaseException] = []

    def enter() -> None:
        try:
            with signals_forwarded({"sigint": signal.SIGINT}, lambda name: None):
                pass
        except ValueError as exc:
            raised.append(exc)

    thread = threading.Thread(target=enter)
    thread.start()
    thread.join()
    assert len(raised) == 1 and signal.getsignal(signal.SIGINT) is before
