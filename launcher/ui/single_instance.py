"""Never two launchers (and so never two QuickSupports): a second start brings the first window forward."""

from __future__ import annotations

import getpass
import hashlib
import logging

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from launcher import APP_ID

log = logging.getLogger(__name__)

RAISE = b"raise\n"


def server_name(suffix: str = "") -> str:
    try:
        user = getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name: one name for everyone still works
        user = "user"
    digest = hashlib.sha256(f"{user}|{suffix}".encode()).hexdigest()[:12]
    return f"{APP_ID}-{digest}"


def ask_running_instance_to_raise(name: str, timeout_ms: int = 500) -> bool:
    """True if another instance answered (and was told to come forward)."""
    sock = QLocalSocket()
    sock.connectToServer(name)
    if not sock.waitForConnected(timeout_ms):
        return False
    sock.write(RAISE)
    sock.waitForBytesWritten(timeout_ms)
    sock.disconnectFromServer()
    return True


class SingleInstance(QObject):
    raiseRequested = Signal()

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name
        self.server = QLocalServer(self)
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self.server.newConnection.connect(self._on_connection)

    def listen(self) -> bool:
        if self.server.listen(self.name):
            return True
        QLocalServer.removeServer(self.name)  # a stale socket left by a crashed instance
        ok = self.server.listen(self.name)
        if not ok:
            log.warning("single-instance server could not listen: %s", self.server.errorString())
        return ok

    @Slot()
    def _on_connection(self) -> None:
        while self.server.hasPendingConnections():
            conn = self.server.nextPendingConnection()
            conn.readyRead.connect(self._on_ready)
            conn.disconnected.connect(conn.deleteLater)

    @Slot()
    def _on_ready(self) -> None:
        conn = self.sender()
        if isinstance(conn, QLocalSocket) and conn.readAll().data().startswith(RAISE.strip()):
            self.raiseRequested.emit()
