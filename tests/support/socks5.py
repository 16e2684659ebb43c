"""A SOCKS5 proxy on loopback for tests (RFC 1928, user/password RFC 1929): CONNECTs only to the
names it is given a loopback address for, records what it was asked, relays bytes both ways."""

from __future__ import annotations

import contextlib
import socket
import socketserver
import struct
import threading


class _Handler(socketserver.BaseRequestHandler):
    server: _Server

    def handle(self) -> None:
        sock: socket.socket = self.request
        owner = self.server.owner
        try:
            _version, count = sock.recv(2)
            methods = sock.recv(count)
            if 2 in methods:
                sock.sendall(b"\x05\x02")
                _ver, ulen = sock.recv(2)
                user = sock.recv(ulen).decode()
                plen = sock.recv(1)[0]
                password = sock.recv(plen).decode()
                owner.logins.append((user, password))
                sock.sendall(b"\x01\x00")
            else:
                sock.sendall(b"\x05\x00")
            _ver, _cmd, _rsv, atyp = sock.recv(4)
            if atyp == 3:
                host = sock.recv(sock.recv(1)[0]).decode()
            elif atyp == 1:
                host = socket.inet_ntoa(sock.recv(4))
            else:
                host = socket.inet_ntop(socket.AF_INET6, sock.recv(16))
            port = struct.unpack("!H", sock.recv(2))[0]
            owner.asked.append((host, port))
            target = owner.routes.get(host)
            if target is None:
                sock.sendall(b"\x05\x04\x00\x01" + bytes(6))  # host unreachable
                return
            upstream = socket.create_connection(target, timeout=5)
        except (OSError, ValueError):
            return
        sock.sendall(b"\x05\x00\x00\x01" + socket.inet_aton("127.0.0.1") + struct.pack("!H", target[1]))
        pump = threading.Thread(target=_pump, args=(upstream, sock), daemon=True)
        pump.start()
        _pump(sock, upstream)
        pump.join(timeout=5)


def _pump(src: socket.socket, dst: socket.socket) -> None:
    with contextlib.suppress(OSError):
        while data := src.recv(65536):
            dst.sendall(data)
    with contextlib.suppress(OSError):
        dst.shutdown(socket.SHUT_WR)


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    owner: Socks5Proxy


class Socks5Proxy:
    """`with Socks5Proxy({"download.example.test": ("127.0.0.1", port)}) as proxy: proxy.url()`."""

    def __init__(self, routes: dict[str, tuple[str, int]]) -> None:
        self.routes = routes
        self.asked: list[tuple[str, int]] = []
        self.logins: list[tuple[str, str]] = []
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.owner = self
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)

    def url(self, scheme: str = "socks5h", userinfo: str = "") -> str:
        return f"{scheme}://{userinfo + '@' if userinfo else ''}127.0.0.1:{self.port}"

    def __enter__(self) -> Socks5Proxy:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
