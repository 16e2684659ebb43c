"""Stopping a command line's network work on Ctrl+C, SIGTERM, a closed terminal or Ctrl+Break, at once and
on Windows too.

A KeyboardInterrupt is no way to end it there: Windows delivers no signal to a main thread blocked in a
socket read, so `fetch` or `verify` whose server had stopped sending ended only at the read's timeout (20 s).
The work runs on a daemon thread instead, and the main thread waits for it in short steps, between which a
signal's handler runs (`done_unless_stopped`). The handler only hands the signal on (`signals_forwarded`); the
`Cancel` the stop sets then shuts the work's read from the signals' thread (`launcher.core.cancel`), and the
main thread gives the work up to `EXIT_WAIT_S` to end and remove its partial file before removing what it
still holds itself (`end_at_exit`), as `session` and the window do.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from launcher.core.cancel import Cancel, end_at_exit
from launcher.core.daemon import done_unless_stopped, on_daemon_thread
from launcher.core.stop_signals import signals_forwarded

_T = TypeVar("_T")


class StopRequest:
    """Why the command should end (the first reason wins); set by the signals' thread, the input thread and the
    command's own loop (never from inside a signal handler: it takes locks)."""

    def __init__(self) -> None:
        self._event = Cancel()  # also shuts the read of a download under way (launcher.core.cancel)
        self.reason = ""
        self._lock = threading.Lock()

    def set(self, reason: str) -> None:
        with self._lock:
            if not self.reason:
                self.reason = reason
        self._event.set()

    def is_set(self) -> bool:
        return self._event.is_set()

    def wait(self, timeout: float) -> bool:
        return self._event.wait(timeout)

    @property
    def event(self) -> Cancel:
        return self._event


def stop_signal_numbers(*, interrupt: bool = True) -> dict[str, int]:
    """The signals that stop a command, by the name a stop gives as its reason: Ctrl+C (unless `interrupt` is
    False: not the command's to handle), SIGTERM, a closed terminal (SIGHUP) and on Windows CTRL_BREAK_EVENT,
    what a parent can send a console group."""
    wanted = {"sigint": signal.SIGINT} if interrupt else {}
    wanted["sigterm"] = signal.SIGTERM
    if hasattr(signal, "SIGBREAK"):
        wanted["sigbreak"] = signal.SIGBREAK
    if hasattr(signal, "SIGHUP"):  # the terminal or the SSH connection went away
        wanted["sighup"] = signal.SIGHUP
    return wanted


@contextmanager
def stop_on_signals(stop: StopRequest, signals: dict[str, int] | None = None) -> Iterator[None]:
    """While inside, each of `signals` (default: all of `stop_signal_numbers()`) sets `stop` with its name
    instead of ending the process. Set off the signal handler (`signals_forwarded`): setting it there could
    wait forever for a lock the interrupted main thread holds."""
    with signals_forwarded(stop_signal_numbers() if signals is None else signals, stop.set):
        yield


class Stopped(Exception):
    """The command was stopped (`reason`: the stop's, e.g. "sigint"); its clean-up runs as the exception
    leaves, and the program ends with `exit_code`."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason

    @property
    def exit_code(self) -> int:
        """128 + the signal's number, as a shell reports a command a signal ended (130 for Ctrl+C, 143 for
        SIGTERM)."""
        signum = stop_signal_numbers().get(self.reason)
        return 128 + int(signum) if signum is not None else 130


def unless_stopped(work: Callable[[], _T], stop: StopRequest, name: str) -> _T:
    """`work()` on a daemon thread, waited for so that a signal is handled at once; its result, or what it
    raised. Raises `Stopped` once `stop` is set (already, meanwhile, or when the work failed after it: a read
    its cancel cut short): the work then had up to `EXIT_WAIT_S` to end on its own, and the partial files it
    still held (its `stop.event`, a `Cancel`) are removed."""
    if stop.is_set():
        raise Stopped(stop.reason)
    future = on_daemon_thread(work, name)
    if not done_unless_stopped(future, stop.event):
        end_at_exit([(stop.event, future)])
        raise Stopped(stop.reason)
    try:
        return future.result()
    except Exception as exc:
        if stop.is_set():
            raise Stopped(stop.reason) from exc
        raise
