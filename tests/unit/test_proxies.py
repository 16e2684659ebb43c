"""Proxies as desktops and users set them: SOCKS (socks://, socks4, socks5, socks5h, ALL_PROXY in either
case), a proxy that is down (NET-PROXY, nothing else contacted), no_proxy, and a password that never shows."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import requests

from launcher.config import DownloadConfig
from launcher.core import connectivity
from launcher.core.http import make_session, map_request_error, normalize_proxy_url, proxy_failure_code
from tests.support.loopback_http import LoopbackServer
from tests.support.socks5 import Socks5Proxy, closed_port

TARGET = "download.example.invalid"  # .invalid never resolves: a test can not reach a real host by mistake
PROXY_ENV = ("all_proxy", "ALL_PROXY", "https_proxy", "HTTPS_PROXY", "http_proxy", "HTTP_PROXY", "no_proxy",
             "NO_PROXY")


@pytest.fixture(autouse=True)
def _clean_proxy_env(monkeypatch):
    for name in PROXY_ENV:
        monkeypatch.delenv(name, raising=False)


@pytest.mark.parametrize(("given", "used"), [
    ("socks://127.0.0.1:1080/", "socks5h://127.0.0.1:1080/"),
    ("SOCKS5://127.0.0.1:1080", "socks5://127.0.0.1:1080"),
    ("socks4://127.0.0.1:1080", "socks4://127.0.0.1:1080"),
    ("socks5h://u:p@127.0.0.1:1080", "socks5h://u:p@127.0.0.1:1080"),
    ("http://proxy:3128", "http://proxy:3128"),
])
def test_proxy_url_normalised(given: str, used: str):
    assert normalize_proxy_url(given) == used


@pytest.mark.parametrize("scheme", ["socks", "socks4", "socks4a", "socks5", "socks5h", "http"])
@pytest.mark.parametrize("variable", ["all_proxy", "ALL_PROXY", "https_proxy"])
def test_a_proxy_that_is_down_is_net_proxy(monkeypatch, scheme: str, variable: str):
    monkeypatch.setenv(variable, f"{scheme}://127.0.0.1:{closed_port()}")
    with make_session(DownloadConfig(allowed_hosts=()), retries=0, timeout=(3, 3)) as session, \
            pytest.raises(requests.RequestException) as err:
        session.get(f"https://{TARGET}/qs.tar.gz")
    assert proxy_failure_code(err.value) == "NET-PROXY"
    assert map_request_error(err.value).code == "NET-PROXY"
    ok, _detail, code = connectivity.probe_url(f"https://{TARGET}/", 3)
    assert (ok, code) == (False, "NET-PROXY")


def test_no_proxy_is_honoured_in_either_case(monkeypatch):
    monkeypatch.setenv("ALL_PROXY", "socks5://127.0.0.1:1080")
    assert connectivity._proxy_for(f"https://{TARGET}/", None) == "socks5://127.0.0.1:1080"
    monkeypatch.setenv("NO_PROXY", ".example.invalid")
    assert connectivity._proxy_for(f"https://{TARGET}/", None) == ""


def test_socks_target_refused_by_the_proxy_is_not_a_proxy_failure():
    with Socks5Proxy({}) as proxy:  # up, but it can not reach the target
        config = DownloadConfig(allowed_hosts=(), proxy=proxy.url("socks"))
        with make_session(config, retries=0, timeout=(3, 3)) as session, \
                pytest.raises(requests.RequestException) as err:
            session.get(f"https://{TARGET}/qs.tar.gz")
        assert proxy.asked == [(TARGET, 443)]  # the name went to the proxy (socks:// = SOCKS5, remote DNS)
    assert proxy_failure_code(err.value) is None
    assert map_request_error(err.value).code == "NET-HTTPS"


@pytest.fixture(scope="module")
def tls_for_target(tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    try:
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key),
                        "-out", str(cert), "-days", "2", "-subj", f"/CN={TARGET}",
                        "-addext", f"subjectAltName=DNS:{TARGET}"], check=True, capture_output=True, timeout=60)
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("openssl CLI not available")
    return cert, key


@pytest.mark.parametrize("configured", ["socks://{u}127.0.0.1:{p}", "socks5h://{u}127.0.0.1:{p}"])
def test_download_through_a_socks_proxy_with_a_password(tls_for_target, configured: str):
    body = b"QuickSupport bytes" * 1000
    with LoopbackServer(tls=tls_for_target) as srv:
        srv.serve("/qs.tar.gz", body)
        with Socks5Proxy({TARGET: ("127.0.0.1", srv.port)}) as proxy:
            url = configured.format(u="jan:Zi%2Fma%2399@", p=proxy.port)
            with make_session(DownloadConfig(allowed_hosts=(), proxy=url), extra_ca_file=tls_for_target[0]) as session:
                got = session.get(f"https://{TARGET}:{srv.port}/qs.tar.gz", timeout=10).content
            assert proxy.logins == [("jan", "Zi/ma#99")]
            assert proxy.asked == [(TARGET, srv.port)]
    assert got == body
