"""A check of the Qt binding itself: emitting a signal must not consume references it does not own.

PySide6 6.12.0 drops one reference to `True` at every Python-side `Signal.emit()`. On Python 3.11
(where True is not immortal) the launcher would die with "Fatal Python error: bool_dealloc" after about
a thousand emits, in the middle of a download or a session. pyproject.toml excludes that release; this
check makes a build with such a binding fail its --self-test instead of failing a customer.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal, Slot

EMITS = 200


class _Probe(QObject):
    fired = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.seen = 0
        self.fired.connect(self._on_fired)

    @Slot(object)
    def _on_fired(self, value: object) -> None:
        self.seen += 1


def emit_leak(tries: int = 3) -> int:
    """How many references to True and False EMITS emits lost (0 for a sound binding).

    Other threads take and drop references to True and False while this measures (after a session the
    worker, the log and the thread pool are still winding down), so one measurement can read a few more or
    fewer. The broken binding loses one at every emit, every time; so the result is the smallest loss of
    up to `tries` measurements (stopping at the first without one), never below 0."""
    lost = EMITS
    for _ in range(tries):
        lost = min(lost, _measure())
        if lost <= 0:
            return 0
    return lost


def _measure() -> int:
    probe = _Probe()
    interval = sys.getswitchinterval()
    # other threads move these counts too: none is switched to between the two counts (the emits are over
    # long before a second has passed, and none of them waits for another thread)
    sys.setswitchinterval(1.0)
    try:
        before = sys.getrefcount(True) + sys.getrefcount(False)
        for i in range(EMITS):
            probe.fired.emit(i)
        lost = before - (sys.getrefcount(True) + sys.getrefcount(False))
    finally:
        sys.setswitchinterval(interval)
    probe.deleteLater()
    return lost if probe.seen == EMITS else EMITS
