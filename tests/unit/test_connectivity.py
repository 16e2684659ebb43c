"""Connection check against loopback only: a real HTTP server, real listening sockets, closed ports and
names under the reserved .invalid TLD (RFC 6761), which never resolve."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from launcher.config import ConnectivityConfig, Probe
from launcher.core.connectivity import (
    CheckItem,
    ProbeResult,
    is_loopback,
    overall_code,
    planned_checks,
    probe_url,
    run_checks,
)
from launcher.core.errors import CATALOGUE

TIMEOUT = 1.0
NOWHERE = "router1.example.invalid"


class _Handler(BaseHTTPRequestHandler):
    def do_HEAD(self) -> None:  # noqa: N802 - http.server's naming
        status = 500 if self.path.startswith("/broken") else 404 if self.path.startswith("/missing") else 200
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - keep test output quiet
        pass


@pytest.fixture
def http_url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _listening() -> Iterator[int]:
    """A TCP port that accepts connections (the kernel completes the handshake from the backlog)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    try:
        yield sock.getsockname()[1]
    finally:
        sock.close()


@pytest.fixture
def listening_port() -> Iterator[int]:
    yield from _listening()


@pytest.fixture
def second_listening_port() -> Iterator[int]:
    yield from _listening()


@pytest.fixture
def closed_port() -> int:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return port


def config(*probes: Probe) -> ConnectivityConfig:
    return ConnectivityConfig(timeout_s=TIMEOUT, probes=probes)


def by_key(results: list[ProbeResult]) -> dict[str, ProbeResult]:
    return {r.key: r for r in results}


def test_invalid_tld_does_not_resolve():
    """The premise of the DNS tests: a .invalid name fails without touching the network."""
    with pytest.raises(OSError):
        socket.getaddrinfo(NOWHERE, 443)


def test_planned_checks_rows():
    cfg = config(Probe("download", url="https://dl.example.com/q.json"),
                 Probe("teamviewer", host="router1.teamviewer.com", ports=(5938, 443, 80)))
    items = planned_checks(cfg)
    assert [(i.key, i.kind) for i in items] == [("dns", "dns"), ("download", "https"), ("teamviewer", "tcp")]
    assert all(isinstance(i, CheckItem) and i.label_pl and i.label_en for i in items)
    assert "dl.example.com" in items[1].label_pl
    assert "TeamViewer" in items[2].label_pl and "TeamViewer" in items[2].label_en


def test_everything_reachable(http_url: str, listening_port: int):
    seen: list[tuple[str, str]] = []
    cfg = config(Probe("download", url=f"{http_url}/quicksupport.json"),
                 Probe("teamviewer", host="127.0.0.1", ports=(listening_port,)))
    results = run_checks(cfg, on_result=lambda r: seen.append((r.key, threading.current_thread().name)))
    assert [r.key for r in results] == ["dns", "download", "teamviewer"]
    assert all(r.ok and r.code is None for r in results), results
    r = by_key(results)
    assert r["download"].detail.startswith("HTTP 200")
    assert r["teamviewer"].port == listening_port
    assert overall_code(results) is None
    # every row reported once, from worker threads, as it finished
    assert sorted(k for k, _ in seen) == ["dns", "download", "teamviewer"]
    assert all(name != threading.main_thread().name for _, name in seen)


@pytest.mark.parametrize("path", ["/broken", "/missing"])
def test_any_http_answer_counts_as_reachable(http_url: str, path: str):
    ok, detail, code = probe_url(http_url + path, TIMEOUT)
    assert ok and code is None
    assert detail.startswith("HTTP 500" if path == "/broken" else "HTTP 404")


def test_tcp_falls_back_to_the_next_port(closed_port: int, listening_port: int):
    cfg = config(Probe("teamviewer", host="127.0.0.1", ports=(closed_port, listening_port)))
    tv = by_key(run_checks(cfg))["teamviewer"]
    assert tv.ok and tv.port == listening_port


def test_tcp_prefers_the_first_port_that_answers(listening_port: int, second_listening_port: int):
    cfg = config(Probe("teamviewer", host="localhost", ports=(second_listening_port, listening_port)))
    tv = by_key(run_checks(cfg))["teamviewer"]
    assert tv.ok and tv.port == second_listening_port


def test_tcp_all_ports_closed_is_tv_blocked(http_url: str, closed_port: int):
    cfg = config(Probe("download", url=http_url), Probe("teamviewer", host="127.0.0.1", ports=(closed_port,)))
    results = run_checks(cfg)
    tv = by_key(results)["teamviewer"]
    assert not tv.ok and tv.code == "NET-TV-BLOCKED" and tv.port is None
    assert str(closed_port) in tv.detail
    assert by_key(results)["download"].ok
    assert overall_code(results) == "NET-TV-BLOCKED"


def test_dns_failure_is_reported_as_dns_not_as_timeout(http_url: str):
    cfg = config(Probe("download", url=http_url), Probe("teamviewer", host=NOWHERE, ports=(5938, 443, 80)))
    results = run_checks(cfg)
    r = by_key(results)
    assert not r["dns"].ok and r["dns"].code == "NET-DNS"
    assert NOWHERE in r["dns"].detail
    assert not r["teamviewer"].ok and r["teamviewer"].code == "NET-DNS"
    assert r["download"].ok
    assert overall_code(results) == "NET-DNS"


def test_offline_every_name_fails():
    cfg = config(Probe("download", url="https://download.example.invalid/quicksupport.json"),
                 Probe("teamviewer", host=NOWHERE, ports=(5938, 443, 80)))
    results = run_checks(cfg, proxies={})
    assert [r.key for r in results] == ["dns", "download", "teamviewer"]
    assert all(not r.ok and r.code == "NET-DNS" for r in results)
    assert overall_code(results) == "NET-OFFLINE"


def test_tls_failure_is_net_tls(http_url: str):
    """A plain-HTTP server spoken to over https: the TLS handshake fails."""
    ok, detail, code = probe_url(http_url.replace("http://", "https://"), TIMEOUT)
    assert not ok and code == "NET-TLS", detail


def test_unreachable_proxy_is_net_proxy(closed_port: int):
    proxy = f"http://user:s3cr3tpw@127.0.0.1:{closed_port}"
    cfg = config(Probe("download", url="https://download.example.invalid/quicksupport.json"))
    results = run_checks(cfg, proxies={"https": proxy})
    r = by_key(results)
    assert not r["download"].ok and r["download"].code == "NET-PROXY"
    assert "s3cr3tpw" not in r["download"].detail
    # through a proxy the local resolver is not asked about the host: the proxy resolves it
    assert r["dns"].ok and "via proxy" in r["dns"].detail
    assert overall_code(results) == "NET-PROXY"


def test_no_proxy_for_loopback(http_url: str, closed_port: int):
    ok, _, code = probe_url(http_url, TIMEOUT, proxies={"http": f"http://127.0.0.1:{closed_port}"})
    assert ok and code is None


def test_plain_http_refused_for_other_hosts():
    ok, detail, code = probe_url("http://192.0.2.1/quicksupport.json", TIMEOUT)
    assert not ok and code == "NET-INSECURE" and detail.startswith("refused")


def test_server_that_never_answers_is_net_https(listening_port: int):
    ok, _, code = probe_url(f"http://127.0.0.1:{listening_port}/", 0.3)
    assert not ok and code == "NET-HTTPS"


def test_is_loopback():
    assert all(is_loopback(h) for h in ("127.0.0.1", "::1", "[::1]", "localhost"))
    assert not is_loopback("10.0.0.1") and not is_loopback("example.com") and not is_loopback("")


def _r(key: str, kind: str, code: str | None) -> ProbeResult:
    return ProbeResult(key, kind, code is None, "", code, 0.0)


@pytest.mark.parametrize(
    "codes,expected",
    [
        ((None, None, None), None),
        (("NET-DNS", "NET-DNS", "NET-DNS"), "NET-OFFLINE"),
        (("NET-DNS", None, "NET-DNS"), "NET-DNS"),
        ((None, "NET-TLS", "NET-TV-BLOCKED"), "NET-TLS"),
        ((None, "NET-HTTPS", "NET-TV-BLOCKED"), "NET-HTTPS"),
        ((None, "NET-PROXY", None), "NET-PROXY"),
        ((None, None, "NET-TV-BLOCKED"), "NET-TV-BLOCKED"),
        ((None, "NET-HTTPS", "NET-TV-BLOCKED"), "NET-HTTPS"),
    ],
)
def test_overall_code(codes: tuple[str | None, ...], expected: str | None):
    keys = [("dns", "dns"), ("download", "https"), ("teamviewer", "tcp")]
    results = [_r(key, kind, code) for (key, kind), code in zip(keys, codes, strict=True)]
    assert overall_code(results) == expected


def test_every_code_is_in_the_catalogue():
    from launcher.core import connectivity

    for code in connectivity._PRIORITY:
        assert code in CATALOGUE
