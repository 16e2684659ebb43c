"""launcher.core.http: URL policy, session settings, error mapping (real requests against loopback)."""

from __future__ import annotations

import pytest
import requests

from launcher.config import DownloadConfig
from launcher.core.errors import LauncherError
from launcher.core.http import DEFAULT_TIMEOUT, USER_AGENT, check_url, make_session, map_request_error
from tests.support.loopback_http import LoopbackServer


@pytest.mark.parametrize("url", ["https://dl.teamviewer.com/x", "http://127.0.0.1:8/x", "http://127.5.6.7/x",
                                 "http://[::1]:80/x", "http://localhost/x"])
def test_allowed_urls(url: str) -> None:
    check_url(url)


@pytest.mark.parametrize("url", ["http://dl.teamviewer.com/x", "ftp://127.0.0.1/x", "file:///etc/passwd",
                                 "http://127.0.0.1.evil.com/x", "https://user:pw@host/x", "https:///x",
                                 "http://10.0.0.1/x", "https://h:99999/x"])
def test_refused_urls(url: str) -> None:
    with pytest.raises(LauncherError) as info:
        check_url(url)
    assert info.value.code == "NET-INSECURE"


def test_host_allowlist() -> None:
    check_url("https://DL.TeamViewer.com./x", ["dl.teamviewer.com"])
    with pytest.raises(LauncherError) as info:
        check_url("https://evil.com/x", ["dl.teamviewer.com"])
    assert info.value.code == "NET-HOST"


def test_session_headers_timeouts_and_redirect_checks() -> None:
    with LoopbackServer() as srv:
        srv.serve("/a", b"hello")
        srv.redirect("/r", srv.url("/a"))
        srv.redirect("/out", srv.url("/a", host="localhost"))
        session = make_session(DownloadConfig(allowed_hosts=("127.0.0.1",)), allowed_hosts=["127.0.0.1"])
        assert session.get(srv.url("/r")).content == b"hello"
        sent = srv.hits("/a")[0].headers
        assert sent["User-Agent"] == USER_AGENT == "OvermaxPomocZdalna/" + USER_AGENT.split("/")[1]
        assert sent["Accept-Encoding"] == "identity"
        with pytest.raises(LauncherError) as info:
            session.get(srv.url("/out"))
        assert info.value.code == "NET-HOST"
    assert DEFAULT_TIMEOUT[0] > 0 and DEFAULT_TIMEOUT[1] > 0


def test_manual_proxy_is_configured_but_loopback_bypasses_it() -> None:
    session = make_session(DownloadConfig(allowed_hosts=(), proxy="http://proxy.invalid:3128"))
    assert session.proxies == {"http": "http://proxy.invalid:3128", "https": "http://proxy.invalid:3128"}
    with LoopbackServer() as srv:
        srv.serve("/a", b"ok")
        assert session.get(srv.url("/a")).content == b"ok"


def test_refused_connection_maps_to_a_catalogue_code() -> None:
    with LoopbackServer() as srv:
        url = srv.url("/x")
    session = make_session(DownloadConfig(allowed_hosts=()), retries=0)
    with pytest.raises(requests.RequestException) as info:
        session.get(url)
    assert map_request_error(info.value).code == "NET-HTTPS"


@pytest.mark.parametrize(("exc", "code"), [
    (requests.exceptions.ConnectTimeout("x"), "NET-TIMEOUT"),
    (requests.exceptions.ReadTimeout("x"), "NET-TIMEOUT"),
    (requests.exceptions.SSLError("x"), "NET-TLS"),
    (requests.exceptions.ProxyError("x"), "NET-PROXY"),
    (requests.exceptions.ConnectionError("Failed to resolve 'x' ([Errno -2] Name or service not known)"),
     "NET-DNS"),
    (requests.exceptions.ChunkedEncodingError("x"), "DL-INTERRUPTED"),
    (requests.exceptions.HTTPError("x"), "NET-HTTP"),
])
def test_error_mapping(exc: Exception, code: str) -> None:
    assert map_request_error(exc).code == code
