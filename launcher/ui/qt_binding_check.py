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


def emit_leak() -> int:
    """How many of EMITS emits lost a reference to True or False: 0 for a sound binding, about EMITS
    for the broken one.

    Each emit is measured on its own (the counts just before and just after it). Other threads take and
    drop references to True and False too (after a session the worker, the log and the thread pool are
    still winding down), and PySide6 lets them run during some emits, so a few of the readings are
    theirs, of any size. The broken binding loses exactly one at every emit: the answer is the number
    of emits that lost exactly one when they are most of them, else 0. A slot that is not called for
    every emit counts as all of them lost."""
    losses, seen = _losses_per_emit()
    if seen != EMITS:
        return EMITS
    lost_one = sum(1 for loss in losses if loss == 1)
    return lost_one if 2 * lost_one > len(losses) else 0


def _losses_per_emit() -> tuple[list[int], int]:
    """The references to True and False each of EMITS emits lost (list of EMITS ints, negative where
    more were taken meanwhile), and how many times the slot ran."""
    probe = _Probe()
    losses: list[int] = []
    count = sys.getrefcount
    for i in range(EMITS):
        before = count(True) + count(False)
        probe.fired.emit(i)
        losses.append(before - (count(True) + count(False)))
    seen = probe.seen
    probe.deleteLater()
    return losses, seen
