"""Exceptions nothing caught, while the window runs: logged with their traceback and shown as APP-INTERNAL.

PySide6 hands an exception raised in a slot, a lambda connected to a signal or an event handler override
(paintEvent, ...) to `sys.excepthook` and goes on with the event loop; one raised on a Python thread of ours
goes to `threading.excepthook`. The default hooks print a traceback to stderr, which a windowed Windows build
has nowhere to show: the customer would be left on a page that no longer moves, QuickSupport possibly still
running. `UnexpectedErrors` replaces both hooks for the window's lifetime; each exception is logged (the log
file, the diagnostics report) and `raised` is emitted with a one-line detail. The controller, connected with a
queued connection (it acts after the code that raised has unwound), shows APP-INTERNAL and ends whatever was
under way (Controller.on_unexpected_error). Nothing is printed; a hook someone else installed before us (a
test harness, a debugger) still hears of each exception. Ctrl+C's KeyboardInterrupt and SystemExit go to
the previous hook as they always did. qutebrowser's crash handler takes over the same two hooks (none of its
code here).
"""

from __future__ import annotations

import contextlib
import logging
import sys
import threading
from types import TracebackType

from PySide6.QtCore import QObject, Signal

log = logging.getLogger(__name__)


def _detail(exc_type: type[BaseException], exc: BaseException | None, where: str) -> str:
    return f"{where}: {exc_type.__name__}: {exc}" if str(exc) else f"{where}: {exc_type.__name__}"


class UnexpectedErrors(QObject):
    """`install()` the hooks, `uninstall()` restores the ones before. `raised(detail)`: one per exception,
    from the thread that raised it (connect with Qt.QueuedConnection)."""

    raised = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._previous_hook = None
        self._previous_thread_hook = None
        self.installed = False

    def install(self) -> UnexpectedErrors:
        if not self.installed:
            self._previous_hook, sys.excepthook = sys.excepthook, self._excepthook
            self._previous_thread_hook, threading.excepthook = threading.excepthook, self._thread_excepthook
            self.installed = True
        return self

    def uninstall(self) -> None:
        if self.installed:
            if sys.excepthook == self._excepthook:
                sys.excepthook = self._previous_hook
            if threading.excepthook == self._thread_excepthook:
                threading.excepthook = self._previous_thread_hook
            self.installed = False

    def _excepthook(self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if not issubclass(exc_type, Exception):  # KeyboardInterrupt, SystemExit: not a bug
            self._previous_hook(exc_type, exc, tb)
            return
        self._handle(exc_type, exc, tb, "the window")
        if self._previous_hook not in (sys.__excepthook__, None):
            self._previous_hook(exc_type, exc, tb)

    def _thread_excepthook(self, args: threading.ExceptHookArgs) -> None:
        if not issubclass(args.exc_type, Exception):
            self._previous_thread_hook(args)
            return
        name = args.thread.name if args.thread is not None else "a thread"
        self._handle(args.exc_type, args.exc_value, args.exc_traceback, f"thread {name}")
        if self._previous_thread_hook not in (threading.__excepthook__, None):
            self._previous_thread_hook(args)

    def _handle(self, exc_type: type[BaseException], exc: BaseException | None, tb: TracebackType | None,
                where: str) -> None:
        log.error("unexpected error in %s", where, exc_info=(exc_type, exc, tb))
        with contextlib.suppress(RuntimeError):  # this object is gone (the window closed): the log has it
            self.raised.emit(_detail(exc_type, exc, where))
