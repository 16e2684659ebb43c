"""The --demo server as the customer's terminal meets it: a client that goes away mid-request (Anuluj, Ctrl+C,
a closed window end a download at once) prints nothing; any other failure goes to the log, never to stderr.
Real sockets on 127.0.0.1 and a real DemoServer."""

from __future__ import annotations

import logging
import socket
import struct
import sys

import pytest

from launcher.demo.server import DemoServer
from tests.support.polling import wait_until

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the demo stand-in is Linux only")

BIG_BYTES = 16 * 1024 * 1024  # far beyond the socket buffers: the server is still writing when the client goes


def _reset(sock: socket.socket) -> None:
    """Close with a TCP reset (SO_LINGER 0), as a connection ended mid-transfer is."""
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()


def _went_away(caplog) -> bool:
    return any("went away" in record.getMessage() for record in caplog.records)


@pytest.fixture
def server(tmp_path):
    demo = DemoServer(tmp_path).start()
    try:
        yield demo
    finally:
        demo.stop()


def test_a_client_gone_mid_download_prints_nothing(server, tmp_path, caplog, capfd):
    (tmp_path / "big.bin").write_bytes(b"\0" * BIG_BYTES)
    caplog.set_level(logging.DEBUG, logger="launcher.demo.server")
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(b"GET /big.bin HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        assert sock.recv(4096).startswith(b"HTTP/1.0 200")
        _reset(sock)
    assert wait_until(lambda: _went_away(caplog), 30.0), caplog.text
    assert capfd.readouterr().err == ""


def test_a_client_gone_before_its_request_ends_prints_nothing(server, caplog, capfd):
    caplog.set_level(logging.DEBUG, logger="launcher.demo.server")
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=10)
    sock.sendall(b"GET /quicksupport.json HTTP/1.1\r\n")  # the headers never come
    _reset(sock)
    assert wait_until(lambda: _went_away(caplog), 30.0), caplog.text
    assert capfd.readouterr().err == ""


def test_any_other_failure_goes_to_the_log_with_its_traceback(server, caplog, capfd):
    caplog.set_level(logging.DEBUG, logger="launcher.demo.server")
    httpd = server._httpd
    try:
        raise ValueError("a handler's own mistake")
    except ValueError:
        httpd.handle_error(None, ("127.0.0.1", 1))
    [record] = [r for r in caplog.records if r.name == "launcher.demo.server"]
    assert record.levelno == logging.WARNING and record.exc_info[0] is ValueError
    assert capfd.readouterr().err == ""
