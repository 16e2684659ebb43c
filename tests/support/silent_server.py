"""Loopback TCP servers that never answer: what a request meets before any HTTP response exists.

    with SilentServer() as srv:      # accepts each connection, then says nothing (no TLS handshake, no headers)
        srv.url("/qs.tar.gz", "https"); srv.accepted  # connections taken so far
    with UnacceptingServer() as srv:  # never accepts: its queue is full, a new connection waits in its connect

Both are plain sockets on 127.0.0.1, port 0; what they hold is closed when the block is left.
"""

from __future__ import annotations

import contextlib
import socket
import threading


class SilentServer:
    """Accepts connections, reads what comes and never sends a byte: a client's TLS handshake gets no ServerHello,
    a plain HTTP request no status line. `received`: the bytes read so far (a ClientHello, a request), so a test
    knows the client is waiting for the answer."""

    def __init__(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._held: list[socket.socket] = []
        self._lock = threading.Lock()
        self._received = 0
        self._closed = threading.Event()
        self._thread = threading.Thread(target=self._accept, name="silent server", daemon=True)

    def _accept(self) -> None:
        self._listener.settimeout(0.05)  # looks whether it was closed between accepts
        while not self._closed.is_set():
            try:
                conn, _peer = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            conn.settimeout(None)
            with self._lock:
                self._held.append(conn)
            threading.Thread(target=self._read, args=(conn,), name="silent server reader", daemon=True).start()

    def _read(self, conn: socket.socket) -> None:
        while True:
            try:
                data = conn.recv(65536)
            except OSError:
                return
            if not data:
                return
            with self._lock:
                self._received += len(data)

    @property
    def accepted(self) -> int:
        with self._lock:
            return len(self._held)

    @property
    def received(self) -> int:
        with self._lock:
            return self._received

    def url(self, path: str, scheme: str = "http") -> str:
        return f"{scheme}://127.0.0.1:{self.port}{path}"

    def __enter__(self) -> SilentServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._closed.set()
        self._thread.join(timeout=5)
        self._listener.close()
        with self._lock:
            held, self._held = self._held, []
        for conn in held:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
            with contextlib.suppress(OSError):
                conn.close()


class UnacceptingServer:
    """Listens with a queue of one and never accepts; one connection fills the queue, so a client's connection
    waits in its connect (its SYN unanswered) until its connect timeout: no socket exists for it yet."""

    def __init__(self) -> None:
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(0)
        self.port = self._listener.getsockname()[1]
        self._fillers: list[socket.socket] = []

    def url(self, path: str, scheme: str = "http") -> str:
        return f"{scheme}://127.0.0.1:{self.port}{path}"

    def __enter__(self) -> UnacceptingServer:
        # fill the accept queue: Linux holds backlog + 1 connections, then drops new SYNs
        for _ in range(4):
            filler = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            filler.setblocking(False)
            with contextlib.suppress(BlockingIOError):
                filler.connect(("127.0.0.1", self.port))
            self._fillers.append(filler)
        return self

    def __exit__(self, *exc: object) -> None:
        for sock in (*self._fillers, self._listener):
            with contextlib.suppress(OSError):
                sock.close()
