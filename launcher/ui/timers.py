"""Qt timers the launcher's objects own."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer


def single_shot_timer(parent: QObject, interval_ms: int, slot: Callable[[], None]) -> QTimer:
    """A stopped single-shot QTimer owned by `parent` (so it lives on `parent`'s thread) that calls `slot`
    `interval_ms` milliseconds after each start()."""
    timer = QTimer(parent)
    timer.setSingleShot(True)
    timer.setInterval(interval_ms)
    timer.timeout.connect(slot)
    return timer
