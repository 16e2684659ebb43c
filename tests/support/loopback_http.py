"""A loopback HTTP/HTTPS test server: serve bytes per path, script faults per request.

    with LoopbackServer() as srv:
        srv.serve("/qs.tar.gz", data)                               # 200, ETag, Range support
        srv.serve("/x", data, Reply(status=503, headers={"Retry-After": "1"}))  # first request 503, then 200
        srv.serve("/y", data, Reply(cut_after=1000))                # first response dies mid-body
        srv.redirect("/r", "http://elsewhere/")
        url = srv.url("/qs.tar.gz"); srv.requests  # what the client sent

`tls=(certfile, keyfile)` serves HTTPS. Replies in a route's script are used in order, one per request;
when the script is exhausted the plain body is served. ThreadingHTTPServer on 127.0.0.1, port 0.
"""

from __future__ import annotations

import contextlib
import hashlib
import socket
import ssl
import struct
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

HOLD_LIMIT_S = 120.0  # a held reply that nobody releases (a failing test) still ends


@dataclass
class Reply:
    status: int = 200
    body: bytes | None = None  # None: the route's body
    headers: dict[str, str] = field(default_factory=dict)
    content_length: int | None = None  # announce this instead of the real length
    cut_after: int | None = None  # send only this many body bytes, then break the connection ...
    cut_rst: bool = False  # ... with a TCP RST (unsent/unread data may be lost) instead of a FIN
    ignore_range: bool = False
    chunk_delay: float = 0.0  # seconds between 64 KiB chunks (slow server)
    omit_length: bool = False  # no Content-Length: the body ends when the connection closes
    chunked: bool = False  # Transfer-Encoding: chunked (64 KiB chunks), no Content-Length
    delay: float = 0.0  # seconds before the reply starts (a slow server)
    hold: threading.Event | None = None  # the reply starts once this is set (a server slow until a test says)
    # with `hold`: the headers and this many body bytes go at once, the rest once `hold` is set (a server that
    # stops sending mid-body); `hold` is then waited for there instead of before the reply
    stall_after: int | None = None


@dataclass
class Route:
    body: bytes = b""
    script: list[Reply] = field(default_factory=list)
    honour_range: bool = True
    etag: str = ""
    redirect_to: str = ""
    redirect_status: int = 302


@dataclass(frozen=True)
class RecordedRequest:
    path: str
    headers: dict[str, str]
    peer_port: int = 0  # the client's port: requests over one connection share it


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        pass

    def do_HEAD(self) -> None:  # noqa: N802 - stdlib name
        self._respond(head=True)

    def do_GET(self) -> None:  # noqa: N802 - stdlib name
        self._respond(head=False)

    def _respond(self, head: bool) -> None:
        owner = self.server.owner
        path = self.path.split("?", 1)[0]
        with owner.lock:
            owner.requests.append(RecordedRequest(path, {k: v for k, v in self.headers.items()},
                                                  self.client_address[1]))
            route = owner.routes.get(path)
            reply = route.script.pop(0) if route and route.script else Reply()
        if reply.delay:
            time.sleep(reply.delay)
        if reply.hold is not None and reply.stall_after is None:
            reply.hold.wait(HOLD_LIMIT_S)
        if route is None:
            self._send(404, b"not found\n", {})
            return
        if route.redirect_to:
            self._send(route.redirect_status, b"", {"Location": route.redirect_to})
            return
        body = route.body if reply.body is None else reply.body
        headers = {"ETag": route.etag, "Last-Modified": "Mon, 01 Jan 2024 00:00:00 GMT",
                   "Accept-Ranges": "bytes", "Content-Type": "application/octet-stream", **reply.headers}
        status = reply.status
        rng = self.headers.get("Range")
        if status == 200 and rng and route.honour_range and not reply.ignore_range:
            if_range = self.headers.get("If-Range")
            if if_range in (None, route.etag, headers["Last-Modified"]) and rng.startswith("bytes="):
                start = int(rng[6:].split("-", 1)[0])
                if start < len(body):
                    headers["Content-Range"] = f"bytes {start}-{len(body) - 1}/{len(body)}"
                    body, status = body[start:], 206
        self._send(status, body, headers, reply=reply, head=head)

    def _send(self, status: int, body: bytes, headers: dict[str, str], *, reply: Reply | None = None,
              head: bool = False) -> None:
        reply = reply or Reply()
        self.send_response(status)
        length = len(body) if reply.content_length is None else reply.content_length
        for key, value in headers.items():
            self.send_header(key, value)
        if reply.chunked:
            self.send_header("Transfer-Encoding", "chunked")
        elif not reply.omit_length:
            self.send_header("Content-Length", str(length))
        if reply.cut_after is not None or reply.content_length is not None or reply.omit_length:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        if head:
            return
        to_send = body if reply.cut_after is None else body[: reply.cut_after]
        if reply.content_length is not None:
            to_send = to_send[: reply.content_length]  # never more than announced
        try:
            if reply.stall_after is not None:
                self._stall(to_send[: reply.stall_after], chunked=reply.chunked, release=reply.hold)
                to_send = to_send[reply.stall_after :]
            for i in range(0, len(to_send), 64 * 1024):
                piece = to_send[i : i + 64 * 1024]
                self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece) if reply.chunked else piece)
                if reply.chunk_delay:
                    self.wfile.flush()
                    time.sleep(reply.chunk_delay)
            if reply.chunked and reply.cut_after is None:
                self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()
        except OSError:
            return
        if reply.cut_after is not None:
            self._break(rst=reply.cut_rst)

    def _stall(self, first: bytes, *, chunked: bool, release: threading.Event | None) -> None:
        """Send `first` of the body, then nothing until `release` is set (HOLD_LIMIT_S at most)."""
        if first:
            self.wfile.write(b"%x\r\n%s\r\n" % (len(first), first) if chunked else first)
        self.wfile.flush()
        (release or threading.Event()).wait(HOLD_LIMIT_S)

    def _break(self, rst: bool) -> None:
        """End the connection mid-body: FIN (peer sees a short body) or RST (SO_LINGER 0)."""
        with contextlib.suppress(OSError):
            if rst:
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            else:
                self.connection.shutdown(socket.SHUT_WR)
        self.close_connection = True


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    owner: LoopbackServer


class LoopbackServer:
    def __init__(self, tls: tuple[Path, Path] | None = None, host: str = "127.0.0.1") -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[RecordedRequest] = []
        self.lock = threading.Lock()
        self._server = _Server((host, 0), _Handler)
        self._server.owner = self
        self.scheme = "http"
        if tls is not None:
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(str(tls[0]), str(tls[1]))
            self._server.socket = ctx.wrap_socket(self._server.socket, server_side=True)
            self.scheme = "https"
        self.host = host
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)

    # lifecycle
    def start(self) -> LoopbackServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> LoopbackServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # routes
    def url(self, path: str, host: str | None = None) -> str:
        return f"{self.scheme}://{host or self.host}:{self.port}{path}"

    def serve(self, path: str, body: bytes, *script: Reply, honour_range: bool = True) -> str:
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        with self.lock:
            self.routes[path] = Route(body=body, script=list(script), honour_range=honour_range, etag=etag)
        return self.url(path)

    def redirect(self, path: str, location: str, status: int = 302) -> str:
        with self.lock:
            self.routes[path] = Route(redirect_to=location, redirect_status=status)
        return self.url(path)

    def remove(self, path: str) -> None:
        with self.lock:
            self.routes.pop(path, None)

    def hits(self, path: str) -> list[RecordedRequest]:
        with self.lock:
            return [r for r in self.requests if r.path == path]
