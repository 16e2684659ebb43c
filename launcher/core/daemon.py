"""Blocking work on daemon threads that a caller may stop waiting for.

A daemon thread rather than a ThreadPoolExecutor: the interpreter joins an executor's threads at exit, so
work held up by a server until its timeout (a probe, a download) would keep a program that no longer waits
for it running that long. Work put here must leave nothing half-done that matters when it is abandoned.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FuturesTimeout
from typing import TypeVar

STOP_LOOK_S = 0.05  # how often a wait for something else looks whether a stop came

_T = TypeVar("_T")


def on_daemon_thread(fn: Callable[[], _T], name: str) -> Future[_T]:
    """`fn()` on a daemon thread of its own (named `name`); its result, or what it raised, in the Future."""
    future: Future[_T] = Future()
    future.set_running_or_notify_cancel()

    def run() -> None:
        try:
            result = fn()
        except BaseException as exc:  # noqa: BLE001 - handed to whoever waits, as an executor does
            future.set_exception(exc)
        else:
            future.set_result(result)

    threading.Thread(target=run, name=name, daemon=True).start()
    return future


def done_unless_stopped(future: Future[_T], stop: threading.Event, look_s: float = STOP_LOOK_S) -> bool:
    """Wait until `future` is done (True) or `stop` is set (False, at most `look_s` later; `future` is then
    left to end on its own). A stop set when both are there wins: its caller asked to end."""
    while not stop.is_set():
        try:
            future.exception(timeout=look_s)
        except FuturesTimeout:
            continue
        return not stop.is_set()
    return False
