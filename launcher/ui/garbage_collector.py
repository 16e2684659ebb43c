"""Python's cyclic garbage collection, on the GUI thread only.

Left to itself, Python collects reference cycles in whichever thread happens to allocate past the
collector's threshold. A worker thread (the holiday calendar loading, a download) could then destroy the
Qt objects of a closed dialog or page, and Qt objects must be destroyed in the thread they live in: Qt
warns "Timers cannot be stopped from another thread" and, worse, frees memory another thread is using
(a crash far from the cause). As qutebrowser does, automatic collection is switched off while the GUI runs
and a timer on the GUI thread collects instead, the generations whose thresholds were passed.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer, Slot


class GarbageCollector(QObject):
    """Collects on the GUI thread every `INTERVAL_MS`; `start()` switches automatic collection off,
    `stop()` (or the application quitting) switches it back on."""

    INTERVAL_MS = 1000

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setInterval(self.INTERVAL_MS)
        self._timer.timeout.connect(self.collect)
        self._was_enabled = gc.isenabled()

    def start(self) -> None:
        self._was_enabled = gc.isenabled()
        gc.disable()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        if self._was_enabled:
            gc.enable()

    @Slot()
    def collect(self) -> int:
        """The oldest generation whose count passed its threshold, as the automatic collector would choose;
        returns how many unreachable objects were found (0 when nothing was due)."""
        counts, thresholds = gc.get_count(), gc.get_threshold()
        due = [generation for generation in range(3) if counts[generation] > thresholds[generation]]
        return gc.collect(due[-1]) if due else 0


def collect_on_gui_thread(app: QObject) -> GarbageCollector:
    """Install the collector on `app` (the QApplication) for as long as it lives."""
    collector = GarbageCollector(app)
    collector.start()
    app.aboutToQuit.connect(collector.stop)  # type: ignore[attr-defined]
    return collector
