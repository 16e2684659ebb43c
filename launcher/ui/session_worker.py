"""Owns the running QuickSupport on its own thread: start, poll the log and process, read the password, stop.

The controller talks to it only through queued signals (`requestPrepare`, `requestStart`, `requestStop`)
and hears back
through `started`, `event`, `password`, `stopped`, `failed`. Every process and file operation happens on
this worker's thread, never on the GUI thread.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QThread, QTimer, Signal, Slot

from launcher.core.errors import LauncherError

if TYPE_CHECKING:
    from launcher.core.fetch import VerifiedArtifact
    from launcher.core.quicksupport.session import PasswordReads

log = logging.getLogger(__name__)



def _ms(seconds: float) -> int:
    return round(seconds * 1000)


class SessionWorker(QObject):
    requestPrepare = Signal()  # the customer clicked Dalej: launch the watchdog while the download runs
    requestStart = Signal(object, object, object)  # VerifiedArtifact, runtime dir, QuickSupportConfig
    requestStop = Signal()
    requestFront = Signal()

    started = Signal()
    event = Signal(object)  # a TvEvent
    password = Signal(str)
    # (PasswordStatus, time.time() until which an unreadable password is retried, or None) on each change
    passwordStatus = Signal(object, object)
    stopped = Signal()
    failed = Signal(object)  # a LauncherError
    _passwordRead = Signal(object, object)  # (session, value or None) from the reader thread

    unknown_supporter = "disconnect"  # config [session] unknown_supporter; set by the controller before a start

    def __init__(self) -> None:
        super().__init__()
        self._session = None
        self._timer: QTimer | None = None
        self._reads: PasswordReads | None = None  # made at the start (the session code loads with it)
        self._poll_ms = 0  # the pace once the ID is known
        self._reader: threading.Thread | None = None
        self._standby = None  # a process.Watchdog launched ahead by requestPrepare, not guarding yet
        self.requestPrepare.connect(self._prepare)
        self.requestStart.connect(self._start)
        self.requestStop.connect(self._stop)
        self.requestFront.connect(self._front)
        self._passwordRead.connect(self._on_password_read)

    @Slot()
    def _prepare(self) -> None:
        """Launch the watchdog process now, so that its interpreter starts while the connection is checked
        and QuickSupport downloaded instead of beside QuickSupport itself. From this (long-lived) thread."""
        from launcher.core.quicksupport.process import Watchdog

        if self._standby is not None and self._standby.waiting:
            return
        try:
            self._standby = Watchdog.launch()
        except OSError as exc:  # the start will try again and report it
            log.warning("watchdog could not be launched ahead: %s", exc)
            self._standby = None

    def _release_standby(self) -> None:
        standby, self._standby = self._standby, None
        if standby is not None and standby.waiting:
            standby.release()

    @Slot(object, object, object)
    def _start(self, verified: VerifiedArtifact, runtime_dir: Path, qs_config) -> None:
        from launcher.core.quicksupport.session import POLL_S, POLL_UNTIL_ID_S, PasswordReads, start_session

        standby = self._standby
        # the signed manifest's roster checks every supporter inside the session's poll
        session = self._attempt(lambda: start_session(verified, runtime_dir, qs_config, self.unknown_supporter,
                                                      standby),
                                "QS-START", "starting QuickSupport")
        self._release_standby()  # handed over to the session, or unused after a failed start
        if session is None:
            return
        self._session = session
        self._reads = PasswordReads()
        self._poll_ms = _ms(POLL_S)
        self._timer = QTimer(self)
        # the customer is waiting for the ID: watch closely until it is there, then at the usual pace
        self._timer.setInterval(_ms(POLL_UNTIL_ID_S))
        self._timer.timeout.connect(self._poll)
        self._timer.start()
        self.started.emit()

    @Slot()
    def _poll(self) -> None:
        session = self._session
        if session is None:
            return
        try:
            events = session.poll()
        except LauncherError as exc:
            from launcher.core.quicksupport.session import EndFailed

            self._halt_polling()
            for ev in exc.events if isinstance(exc, EndFailed) else ():
                self.event.emit(ev)  # who was refused is told and recorded, then that QuickSupport survived
            self.failed.emit(self._stop_after_failure(session, exc))
            return
        for ev in events:
            self.event.emit(ev)
        if session.tv_id and self._timer is not None and self._timer.interval() != self._poll_ms:
            self._timer.setInterval(self._poll_ms)
        reading = self._reader is not None and self._reader.is_alive()
        if session.tv_id and not reading and self._reads is not None and self._reads.due():
            # An accessibility walk can take a few seconds: it runs on its own thread so the log and
            # the processes keep being watched every 100 ms meanwhile.
            self._reader = threading.Thread(target=self._read_password, args=(session,),
                                            name="quicksupport-password", daemon=True)
            self._reader.start()

    def _read_password(self, session) -> None:  # runs on the reader thread
        from launcher.core.quicksupport.credentials import PasswordReading, PasswordStatus

        try:
            reading = session.read_password_field()
        except Exception as exc:  # noqa: BLE001 - a failed read only means "read it from the window"
            log.info("password could not be read through accessibility: %s", type(exc).__name__)
            reading = PasswordReading(PasswordStatus.UNREADABLE)
        self._passwordRead.emit(session, reading)  # queued to this worker's thread

    @Slot(object, object)
    def _on_password_read(self, session, reading) -> None:
        if session is not self._session or self._timer is None or self._reads is None:
            return  # the session ended (or is ending) while the read was under way: drop it
        outcome = self._reads.record(reading.value, status=reading.status)
        if outcome.unreadable:  # the customer must read it off TeamViewer's window
            self._front()
        if outcome.new_value:
            self.password.emit(reading.value)
        if outcome.status_changed:
            self.passwordStatus.emit(outcome.status, outcome.try_until)

    def _stop_after_failure(self, session, failure: LauncherError) -> LauncherError:
        """QuickSupport failed while running: take it down; if something survives, say that instead (and
        keep the session, so a later stop tries again)."""
        try:
            session.stop()
        except LauncherError as stop_failure:
            return stop_failure
        self._session = None
        return failure

    @Slot()
    def _front(self) -> None:
        if self._session is not None:
            self._session.bring_to_front()

    @Slot()
    def _halt_polling(self) -> None:
        """Stop watching QuickSupport (on this worker's thread: its timer belongs to it)."""
        if self._timer is not None:
            self._timer.stop()
            self._timer.deleteLater()
            self._timer = None

    @Slot()
    def _stop(self) -> None:
        self._halt_polling()
        self._release_standby()
        self._reads = None
        session = self._session
        if session is None:
            self.stopped.emit()
            return
        if self._attempt(lambda: session.stop() or True, "QS-KILL", "stopping QuickSupport"):
            self._session = None
            self.stopped.emit()
        # else: QS-KILL was reported and the session is kept, so the next stop (retry, close) tries again

    def _attempt(self, action, code: str, what: str):
        """`action()`'s result, or None after reporting its failure (any crash becomes `code`)."""
        try:
            return action()
        except LauncherError as exc:
            self.failed.emit(exc)
        except Exception as exc:  # noqa: BLE001 - nothing may crash to a traceback
            log.exception("%s crashed", what)
            self.failed.emit(LauncherError(code, repr(exc)))
        return None

    def stop_now(self) -> None:
        """Synchronous last resort at interpreter exit, called only after the thread has ended."""
        self._halt_polling()
        self._release_standby()
        session, self._session = self._session, None
        if session is not None:
            try:
                session.stop()
            except Exception:  # noqa: BLE001
                log.exception("final QuickSupport stop failed")

    @property
    def active(self) -> bool:
        return self._session is not None


def make_session_thread(worker: SessionWorker) -> QThread:
    thread = QThread()
    thread.setObjectName("quicksupport-session")
    worker.moveToThread(thread)
    # `finished` comes from the thread itself as it ends: its poll timer is stopped there, where Qt allows it,
    # before stop_now() ends QuickSupport from the GUI thread
    thread.finished.connect(worker._halt_polling, Qt.ConnectionType.DirectConnection)
    return thread
