"""Code the window loads after its first paint, one module after the other on the thread pool.

For its `from __feature__ import` switches PySide6 reads, with `inspect.getsource`, the source of every module
imported after it, and `linecache` keeps each file whole: in a source install several MiB for the holiday
calendar's or requests' few hundred modules. Nothing needs those lines again (a traceback reads its lines
anew), so they are let go after each module, on the GUI thread: `linecache` is not safe to empty while another
thread reads it (it looks a file up twice), and between two loads no other thread imports anything. The frozen
build has no sources: nothing is read, nothing to let go.
"""

from __future__ import annotations

import importlib
import linecache
from collections.abc import Sequence
from functools import partial

from PySide6.QtCore import QObject, Signal, Slot

from launcher.ui import tasks


def release_source_lines() -> None:
    """Let go of the source lines PySide6 has read so far (GUI thread)."""
    linecache.clearcache()


class ImportsInTurn(QObject):
    """Imports `modules` one after the other on the thread pool, the source lines let go after each;
    `finished` once all were tried. A module that fails to import is logged by its task and fails again, and
    is reported, where a step needs it: loading ahead is never what reports it."""

    finished = Signal()

    def __init__(self, modules: Sequence[str], name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self._waiting = list(modules)
        self._task: tasks.Task | None = None
        self.started = False
        self.done = False

    def start(self) -> None:
        """Start loading (once: later calls change nothing)."""
        if self.started:
            return
        self.started = True
        self._next()

    @Slot(object)
    def _loaded(self, _result: object) -> None:
        release_source_lines()
        self._next()

    def _next(self) -> None:
        if not self._waiting:
            self._task = None
            self.done = True
            self.finished.emit()
            return
        module = self._waiting.pop(0)
        self._task = tasks.Task(partial(importlib.import_module, module), f"{self.name}: {module}")
        self._task.signals.succeeded.connect(self._loaded)
        self._task.signals.failed.connect(self._loaded)
        tasks.start_task(self._task)
