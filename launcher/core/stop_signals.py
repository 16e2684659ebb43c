"""Signals that ask a running loop to stop, handled without taking any lock in the handler.

A Python signal handler runs on the main thread between two of its bytecodes, wherever that thread is: also
inside `threading.Event.wait()`, `Condition.wait()` or any `with lock:` block, with that lock held. A handler
that sets the event the main thread is waiting on (or takes any lock the main thread may hold) then waits for
the main thread, which waits for the handler: the process hangs for good, and a second Ctrl+C or a SIGTERM
only adds another hung handler. Under Windows this is no rare race: a lock wait there is not interrupted by
the console's Ctrl+C, so the handler runs right after it, usually inside the event's own lock
(`session` hung on Ctrl+C under Wine that way). See CPython gh-126434 (multiprocessing.Event) and gh-144706
(locks and signal handlers).

The handler installed here only puts the signal's name on a `queue.SimpleQueue`, whose `put` is reentrant
(documented safe where the same thread may be interrupted inside another `put` or `get`); a daemon thread takes
the names off the queue and calls `on_signal(name)` there, where taking locks is fine.
"""

from __future__ import annotations

import queue
import signal
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager


@contextmanager
def signals_forwarded(signals: Mapping[str, int], on_signal: Callable[[str], None]) -> Iterator[None]:
    """While inside, each signal in `signals` (name -> signal number, e.g. {"sigint": signal.SIGINT}) calls
    `on_signal(name)` on the thread "stop-signals" instead of running the signal's previous action; the
    previous handlers are back on leaving. Signals that came before leaving are all handed on, in the order
    they came, before the thread ends. Main thread only (as `signal.signal`): ValueError elsewhere."""
    names: queue.SimpleQueue[str | None] = queue.SimpleQueue()

    def hand_on() -> None:
        while (name := names.get()) is not None:
            on_signal(name)

    previous = {}
    try:
        for name, signum in signals.items():
            previous[signum] = signal.signal(signum, lambda _signum, _frame, name=name: names.put(name))
    except BaseException:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        raise
    forwarder = threading.Thread(target=hand_on, name="stop-signals", daemon=True)
    forwarder.start()
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        names.put(None)
        forwarder.join()
