"""Never two launchers (and so never two QuickSupports): a second start brings the first window forward.

A lock file (QLockFile, per user) decides who is first: it cannot be mistaken for a crashed instance
the way a local socket can, and it costs nothing at start-up. The first instance then serves "come
forward" requests on a QLocalServer, opened after its window is painted (QtNetwork is loaded only
then); a second instance loads QtNetwork only to send that request.
"""

from __future__ import annotations

import getpass
import logging
import time
import zlib
from pathlib import Path

from PySide6.QtCore import QLockFile, QObject, Signal, Slot

from launcher import APP_ID

log = logging.getLogger(__name__)

RAISE = b"raise\n"
ASK_TIMEOUT_MS = 2000  # the first instance may still be starting up when a second one asks


def server_name(suffix: str = "") -> str:
    try:
        user = getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name: one name for everyone still works
        user = "user"
    # Only tells users and lock folders apart (the lock file decides who runs); crc32 because hashlib
    # would load OpenSSL before the first paint.
    return f"{APP_ID}-{zlib.crc32(f'{user}|{suffix}'.encode()):08x}"


def default_lock_dir() -> Path:
    """Per-user and independent of the config's data folder: one launcher per user, whatever config.
    The data folder, not the cache, which cleaning tools may empty under a running launcher."""
    import platformdirs

    from launcher import ORG_NAME

    return Path(platformdirs.user_data_dir(APP_ID, ORG_NAME, roaming=False))


def ask_running_instance_to_raise(name: str, timeout_ms: int | None = None) -> bool:
    """True if another instance answered (and was told to come forward) within timeout_ms."""
    from PySide6.QtNetwork import QLocalSocket

    deadline = time.monotonic() + (ASK_TIMEOUT_MS if timeout_ms is None else timeout_ms) / 1000
    while True:
        sock = QLocalSocket()
        sock.connectToServer(name)
        if sock.waitForConnected(max(1, int((deadline - time.monotonic()) * 1000))):
            sock.write(RAISE)
            sock.waitForBytesWritten(500)
            sock.disconnectFromServer()
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.05)  # not listening yet (still starting) or a refused connection: try again


class SingleInstance(QObject):
    raiseRequested = Signal()

    def __init__(self, name: str, lock_dir: Path | None = None) -> None:
        super().__init__()
        self.name = name
        folder = lock_dir or default_lock_dir()
        try:
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError as exc:  # a read-only profile must not keep the customer from getting help
            log.warning("no folder for the single-instance lock (%s); using the temporary folder", exc)
            import tempfile

            folder = Path(tempfile.gettempdir())
        self.lock = QLockFile(str(folder / f"{name}.lock"))
        # A lock is stale only when its process is gone (Qt checks the PID); never because of its age,
        # or a session longer than the default 30 s would let a second launcher in.
        self.lock.setStaleLockTime(0)
        self.server = None

    def acquire(self) -> bool:
        """True if this is the only launcher of this user.

        A lock no live launcher holds is replaced, whatever it looks like: left by a crash (also under
        another host name, which macOS changes with the network), torn, or carrying a reused PID.
        Qt's removal refuses while the holder lives (flock on Unix, share mode on Windows), so a
        running launcher's lock is never taken. A lock that cannot be written at all does not stop
        the launcher: it runs unguarded and says so in the log."""
        if self.lock.tryLock(0):
            return True
        if self.lock.removeStaleLockFile() and self.lock.tryLock(0):
            log.warning("replaced a single-instance lock no running launcher held: %s", self.lock.fileName())
            return True
        if self.lock.error() == QLockFile.LockError.LockFailedError:
            deadline = time.monotonic() + 0.3  # a launcher starting this moment may not have written it yet
            while not (pid := self.lock.getLockInfo()[0]) and time.monotonic() < deadline:
                if self.lock.tryLock(50):
                    return True
            if pid:
                log.info("another launcher (pid %s) holds %s", pid, self.lock.fileName())
                return False
        log.warning("single-instance lock %s unusable (%s): running without it", self.lock.fileName(),
                    self.lock.error())
        return True

    @Slot()
    def listen(self) -> bool:
        """Serve "come forward" requests. Only the lock holder listens, so any socket already there was
        left by a crashed instance and is removed first."""
        from PySide6.QtNetwork import QLocalServer

        if self.server is not None:
            return self.server.isListening()
        self.server = QLocalServer(self)
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self.server.newConnection.connect(self._on_connection)
        QLocalServer.removeServer(self.name)
        ok = self.server.listen(self.name)
        if not ok:
            log.warning("single-instance server could not listen: %s", self.server.errorString())
        return ok

    def release(self) -> None:
        if self.server is not None:
            self.server.close()
        self.lock.unlock()

    @Slot()
    def _on_connection(self) -> None:
        while self.server.hasPendingConnections():
            conn = self.server.nextPendingConnection()
            conn.readyRead.connect(self._on_ready)
            conn.disconnected.connect(conn.deleteLater)

    @Slot()
    def _on_ready(self) -> None:
        from PySide6.QtNetwork import QLocalSocket

        conn = self.sender()
        if isinstance(conn, QLocalSocket) and conn.readAll().data().startswith(RAISE.strip()):
            self.raiseRequested.emit()
