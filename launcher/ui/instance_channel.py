"""The come-forward conversation between two launchers of one user, over a local socket.

The first launcher listens (`ComeForwardServer`, a QLocalServer only this user may connect to, the split
qutebrowser's IPC makes); a second start connects (`ask_to_come_forward`, a QLocalSocket), sends one line,
`come-forward`, and waits for `ok`, asking again on a new connection when one stays unanswered for
ANSWER_WAIT_MS (Qt's QLocalServer can miss a connection made while it starts listening). Who is first
is not decided here: `single_instance` holds the lock and only its holder listens. Loaded after the first
window is painted (the lock alone is needed before it).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from PySide6.QtCore import QByteArray, QObject, Signal, Slot
from PySide6.QtNetwork import QAbstractSocket, QLocalServer, QLocalSocket

log = logging.getLogger(__name__)

REQUEST = b"come-forward\n"
ANSWER = b"ok\n"
CONNECT_RETRY_S = 0.05  # between tries to reach a first instance that is not listening yet
ANSWER_WAIT_MS = 1000  # one connection's wait for the answer before asking again on a new connection
MAX_LINE = 256  # bytes a client may send before its line ends; anything longer is not a launcher


class ComeForwardServer(QObject):
    """Answers `come-forward` with `ok` and emits `raiseRequested`; anything else is cut off."""

    raiseRequested = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._on_new_connection)

    def listen(self, name: str) -> bool:
        """Listen on `name`. The caller holds the single-instance lock, so a socket already there was left
        by a launcher that ended and is removed. True if listening."""
        server = self._server
        if not server.listen(name):
            if server.serverError() == QAbstractSocket.SocketError.AddressInUseError:
                log.info("removing a single-instance socket left by a launcher that ended: %s", name)
                QLocalServer.removeServer(name)
            if not server.listen(name):
                log.warning("cannot listen on %s (%s): a second start cannot bring this window forward",
                            name, server.errorString())
        return server.isListening()

    def is_listening(self) -> bool:
        return self._server.isListening()

    def close(self) -> None:
        self._server.close()

    @Slot()
    def _on_new_connection(self) -> None:
        while (client := self._server.nextPendingConnection()) is not None:
            client.readyRead.connect(self._on_client_data)
            client.disconnected.connect(client.deleteLater)
            self._read_request(client)  # its line may have come with the connection

    @Slot()
    def _on_client_data(self) -> None:
        client = self.sender()
        if isinstance(client, QLocalSocket):
            self._read_request(client)

    def _read_request(self, client: QLocalSocket) -> None:
        if not client.canReadLine():
            if client.bytesAvailable() > MAX_LINE:
                log.warning("ignoring a single-instance client that sends no request line")
                client.abort()
            return
        line = client.readLine(MAX_LINE).data()
        if line != REQUEST:
            log.warning("ignoring an unknown single-instance request %r", line[:40])
            client.abort()
            return
        client.write(QByteArray(ANSWER))
        client.flush()
        client.disconnectFromServer()
        self.raiseRequested.emit()


def ask_to_come_forward(name: str, timeout_ms: int) -> bool:
    """True if the launcher listening on `name` answered within `timeout_ms` (and will come forward).
    Needs a QCoreApplication; blocks the calling thread (a second start has no window yet)."""
    deadline = time.monotonic() + timeout_ms / 1000

    def left_ms() -> int:
        return max(0, int((deadline - time.monotonic()) * 1000))

    def answer_wait_ms() -> int:
        return min(left_ms(), ANSWER_WAIT_MS)

    while True:
        client = QLocalSocket()
        client.connectToServer(name)
        if client.waitForConnected(left_ms()):
            answered = _converse(client, answer_wait_ms)
            client.abort()
            if answered is not None:
                return answered
            if not left_ms():
                log.info("the running launcher did not answer on %s", name)
                return False
            # connected but unanswered: Qt's QLocalServer (Windows, under Wine: 2 of 5 tries) missed a
            # connection made while it was starting to listen; a new one is seen, the missed one with it
            log.info("no answer yet on %s: asking again on a new connection", name)
            continue
        client.abort()
        if time.monotonic() + CONNECT_RETRY_S >= deadline:
            log.info("the running launcher did not answer on %s: %s", name, client.errorString())
            return False
        time.sleep(CONNECT_RETRY_S)  # not listening yet (still painting its first window)


def _converse(client: QLocalSocket, wait_ms: Callable[[], int]) -> bool | None:
    """One request on a connected socket: True if answered `ok`, False if answered otherwise or hung up
    on, None if nothing came back while still connected (each wait lasting `wait_ms()` ms)."""
    connected = QLocalSocket.LocalSocketState.ConnectedState
    client.write(QByteArray(REQUEST))
    if not client.waitForBytesWritten(wait_ms()):
        return None if client.state() == connected else False
    answer = b""
    while not answer.endswith(b"\n") and len(answer) <= MAX_LINE:
        if not client.bytesAvailable() and not client.waitForReadyRead(wait_ms()):
            if not answer and client.state() == connected:
                return None
            break
        answer += client.readAll().data()
    return answer == ANSWER
