"""Run blocking core work off the GUI thread and marshal the outcome back (the Picard way).

A `Task` runs a plain function on the global QThreadPool. Its `TaskSignals` object is created on the
GUI thread, so connecting its signals to bound `@Slot` methods of GUI objects gives queued delivery
on the GUI thread. Never connect lambdas to these signals: in PySide6 they run on the worker thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from launcher.core.errors import LauncherError

log = logging.getLogger(__name__)


class TaskSignals(QObject):
    succeeded = Signal(object)
    failed = Signal(object)  # a LauncherError


class Task(QRunnable):
    def __init__(self, fn: Callable[[], Any], name: str) -> None:
        super().__init__()
        self.setAutoDelete(False)  # the owner keeps it alive until its signal arrives
        self.fn = fn
        self.name = name
        self.signals = TaskSignals()

    def run(self) -> None:
        try:
            result = self.fn()
        except LauncherError as exc:
            log.warning("task %s failed: %s", self.name, exc)
            self._deliver(self.signals.failed, exc)
        except Exception as exc:  # noqa: BLE001 - nothing may crash to a traceback
            log.exception("task %s crashed", self.name)
            self._deliver(self.signals.failed, LauncherError("APP-INTERNAL", f"{self.name}: {exc!r}"))
        else:
            self._deliver(self.signals.succeeded, result)

    def _deliver(self, signal: Any, value: object) -> None:
        try:
            signal.emit(value)
        except RuntimeError:
            # The window that asked was closed (the app is quitting) while the task ran: nobody is left
            # to tell, and that is not an error.
            log.debug("task %s finished after its receiver was gone", self.name)


def start_task(task: Task) -> Task:
    QThreadPool.globalInstance().start(task)
    return task
