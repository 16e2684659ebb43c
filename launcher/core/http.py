"""The one requests.Session factory every download goes through.

Explicit timeouts, retries with backoff (429/5xx, Retry-After honoured but capped), the OS trust store
(truststore, so corporate TLS-inspecting proxies work), system proxies plus the manual one, no content
encoding, and every hop (redirects included) checked: https only, http for loopback alone, hosts from
the allowlist, never an https -> http downgrade.

Every connection is made by urllib3 pools whose `ConnectionCls` (urllib3's documented way to choose the
connection class of a pool) watches the two steps a silent server can hold up before any response exists:
`connect()` (a proxy's CONNECT included) and `getresponse()` (waiting for the headers); the TLS handshake runs
in the session's SSL context (`_WatchedSSLContext`), on a socket of its own. Inside
`launcher.core.cancel.connections_watched(cancel)` a cancel then ends that socket at once.
"""

from __future__ import annotations

import functools
import re
import socket
import ssl
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote, urljoin, urlsplit

import requests
import truststore
import urllib3
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.util.retry import Retry

from launcher import APP_ID, __version__
from launcher.config import DownloadConfig
from launcher.core.cancel import watched_connection, watched_socket
from launcher.core.errors import LauncherError
from launcher.core.hosts import is_filter_answer, is_ip_literal, is_loopback_host
from launcher.core.redaction import redact, register_url_secrets

DEFAULT_TIMEOUT: tuple[float, float] = (5.0, 20.0)  # (connect, read)
USER_AGENT = f"{APP_ID}/{__version__}"
RETRY_STATUSES = (429, 500, 502, 503, 504)


def _host(url: str) -> str:
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    return host.lower().rstrip(".")


# `socks://` is what GNOME, KDE and Tor setups write into all_proxy; SOCKS5 with the name resolved by the
# proxy is what such proxies speak (and the local resolver may not know the name at all).
_SOCKS_ALIASES = {"socks": "socks5h"}
_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")


def normalize_proxy_url(proxy: str) -> str:
    """A proxy URL requests understands: `socks://h:p` -> `socks5h://h:p`, scheme in lower case, and a
    password written unencoded (`http://jan:ab/cd#9@proxy:3128`: userinfo up to the last `@`) encoded, as
    curl reads it; `%XX` already in it is kept."""
    proxy = (proxy or "").strip()
    if proxy and "://" not in proxy:
        proxy = f"http://{proxy}"  # as requests reads a proxy without a scheme
    scheme, sep, rest = proxy.partition("://")
    lower = scheme.lower()
    if "@" in rest:
        userinfo, _, hostpart = rest.rpartition("@")
        user, colon, password = userinfo.partition(":")
        encode = lambda part: quote(_PERCENT.sub("%25", part), safe="%")  # noqa: E731
        rest = f"{encode(user)}{colon}{encode(password)}@{hostpart}"
    return f"{_SOCKS_ALIASES.get(lower, lower)}://{rest}"


# SOCKS5 reply codes about the target, as PySocks words them ("0x04: Host unreachable"); urllib3 may drop
# the PySocks exception and keep only this text
_SOCKS_TARGET_REPLY = re.compile(r"\b0x0[3-6]: ")


def proxy_failure_code(exc: BaseException) -> str | None:
    """NET-PROXY when `exc` says the proxy itself failed (down, refused us, bad credentials), else None.

    requests raises ProxyError for an HTTP proxy; for a SOCKS proxy urllib3 raises NewConnectionError from
    its SOCKSConnection and, when the proxy could not even be reached, drops the PySocks cause. A SOCKS
    reply about the target (PySocks SOCKS4Error/SOCKS5Error: host unreachable, refused) is not the proxy's
    fault and gives None.
    """
    seen: list[BaseException] = []
    current: BaseException | None = exc
    socks_conn = False
    while current is not None and current not in seen and len(seen) < 12:
        seen.append(current)
        if isinstance(current, requests.exceptions.ProxyError | urllib3.exceptions.ProxyError
                      | requests.exceptions.InvalidProxyURL):
            return "NET-PROXY"
        module = type(current).__module__
        if module == "socks":
            return None if type(current).__name__ in ("SOCKS4Error", "SOCKS5Error") else "NET-PROXY"
        if isinstance(current, urllib3.exceptions.NewConnectionError) and hasattr(
                getattr(current, "conn", None), "_socks_options"):
            if _SOCKS_TARGET_REPLY.search(str(current)):
                return None  # the proxy answered: network/host unreachable, refused, TTL expired
            socks_conn = True
        current = (getattr(current, "reason", None) if isinstance(current, urllib3.exceptions.MaxRetryError)
                   else None) or current.__cause__ or current.__context__ or (
            current.args[0] if current.args and isinstance(current.args[0], BaseException) else None)
    return "NET-PROXY" if socks_conn else None


def check_url(url: str, allowed_hosts: Sequence[str] | None = None) -> None:
    """Refuse anything but https (http only to loopback) and, if given, hosts outside `allowed_hosts`."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError as exc:
        raise LauncherError("NET-INSECURE", f"malformed URL {url!r}") from exc
    scheme, host = parts.scheme.lower(), _host(url)
    if not host or parts.username is not None or parts.password is not None:
        raise LauncherError("NET-INSECURE", f"malformed URL {url!r}")
    if scheme == "http":
        if not is_loopback_host(host):
            raise LauncherError("NET-INSECURE", f"http is allowed only for loopback hosts: {url}")
    elif scheme != "https":
        raise LauncherError("NET-INSECURE", f"scheme {scheme!r} refused: {url}")
    if allowed_hosts is not None and host not in {h.lower().rstrip(".") for h in allowed_hosts}:
        raise LauncherError("NET-HOST", f"host {host!r} is not in download.allowed_hosts")


class CappedRetry(Retry):
    """urllib3 Retry whose Retry-After wait is capped, so a hostile server cannot park us for hours."""

    max_retry_after: float = 30.0

    def get_retry_after(self, response: Any) -> float | None:
        value = super().get_retry_after(response)
        return None if value is None else min(value, self.max_retry_after)

    def new(self, **kw: Any) -> CappedRetry:
        new = super().new(**kw)
        new.max_retry_after = self.max_retry_after
        return new


class _Watched:
    """The steps of a connection that wait on the server before a response exists, each inside
    `watched_connection` (launcher.core.cancel): a cancel ends the socket they wait on."""

    def connect(self) -> None:
        with watched_connection(self):
            super().connect()  # type: ignore[misc]

    def getresponse(self) -> Any:
        with watched_connection(self):
            return super().getresponse()  # type: ignore[misc]


class WatchedHTTPConnection(_Watched, HTTPConnection):
    pass


class WatchedHTTPSConnection(_Watched, HTTPSConnection):
    pass


class WatchedHTTPConnectionPool(HTTPConnectionPool):
    ConnectionCls = WatchedHTTPConnection


class WatchedHTTPSConnectionPool(HTTPSConnectionPool):
    ConnectionCls = WatchedHTTPSConnection


def _watched_pools(manager: Any) -> dict[str, type[HTTPConnectionPool]]:
    """The pool classes by scheme for a urllib3 pool manager: the watched ones (SOCKS's own for a SOCKS proxy)."""
    try:
        from urllib3.contrib.socks import SOCKSProxyManager
    except ImportError:  # PySocks missing: no SOCKS proxy manager can exist either
        SOCKSProxyManager = None  # noqa: N806
    if SOCKSProxyManager is not None and isinstance(manager, SOCKSProxyManager):
        return _socks_pools()
    return {"http": WatchedHTTPConnectionPool, "https": WatchedHTTPSConnectionPool}


@functools.cache
def _socks_pools() -> dict[str, type[HTTPConnectionPool]]:
    from urllib3.contrib.socks import (
        SOCKSConnection,
        SOCKSHTTPConnectionPool,
        SOCKSHTTPSConnection,
        SOCKSHTTPSConnectionPool,
    )

    class WatchedSOCKSConnection(_Watched, SOCKSConnection):
        pass

    class WatchedSOCKSHTTPSConnection(_Watched, SOCKSHTTPSConnection):
        pass

    class WatchedSOCKSHTTPConnectionPool(SOCKSHTTPConnectionPool):
        ConnectionCls = WatchedSOCKSConnection

    class WatchedSOCKSHTTPSConnectionPool(SOCKSHTTPSConnectionPool):
        ConnectionCls = WatchedSOCKSHTTPSConnection

    return {"http": WatchedSOCKSHTTPConnectionPool, "https": WatchedSOCKSHTTPSConnectionPool}


class _WatchedSSLContext(truststore.SSLContext):
    """The OS trust store's context, whose TLS handshake a cancel can end (`watched_socket`): the socket is
    wrapped without one, then the handshake (truststore verifies the peer in it) runs on the wrapped socket the
    cancel can reach. urllib3 hands the context a connected socket and wants it back with its handshake done."""

    def wrap_socket(self, sock: socket.socket, server_side: bool = False, do_handshake_on_connect: bool = True,
                    suppress_ragged_eofs: bool = True, server_hostname: str | None = None,
                    session: ssl.SSLSession | None = None) -> ssl.SSLSocket:
        wrapped = super().wrap_socket(sock, server_side=server_side, do_handshake_on_connect=False,
                                      suppress_ragged_eofs=suppress_ragged_eofs, server_hostname=server_hostname,
                                      session=session)
        if not do_handshake_on_connect:
            return wrapped
        try:
            with watched_socket(wrapped):
                wrapped.do_handshake()
        except BaseException:
            wrapped.close()  # as ssl closes a socket whose handshake on connect failed
            raise
        return wrapped


class _TrustStoreAdapter(HTTPAdapter):
    """Verifies TLS with the OS trust store (truststore.SSLContext) only, and applies default timeouts."""

    def __init__(self, ssl_context: ssl.SSLContext, timeout: tuple[float, float], **kw: Any) -> None:
        self._ssl_context = ssl_context
        self._timeout = timeout
        super().__init__(**kw)

    def init_poolmanager(self, *args: Any, **kw: Any) -> None:
        kw["ssl_context"] = self._ssl_context
        super().init_poolmanager(*args, **kw)
        # a dict of its own: urllib3's managers share one module-level default
        self.poolmanager.pool_classes_by_scheme = _watched_pools(self.poolmanager)

    def proxy_manager_for(self, proxy: str, **kw: Any) -> Any:
        kw["ssl_context"] = self._ssl_context
        manager = super().proxy_manager_for(proxy, **kw)
        manager.pool_classes_by_scheme = _watched_pools(manager)
        return manager

    def cert_verify(self, conn: Any, url: str, verify: Any, cert: Any) -> None:
        # Never load certifi or REQUESTS_CA_BUNDLE into the truststore context: the OS store decides.
        if url.lower().startswith("https"):
            conn.cert_reqs = "CERT_REQUIRED"
        else:
            conn.cert_reqs = "CERT_NONE"
        conn.ca_certs = None
        conn.ca_cert_dir = None

    def send(self, request: requests.PreparedRequest, stream: bool = False, timeout: Any = None,
             verify: Any = True, cert: Any = None, proxies: Any = None) -> requests.Response:
        if timeout is None:
            timeout = self._timeout
        if is_loopback_host(_host(request.url or "")):
            proxies = {}  # loopback never goes through a proxy
        elif proxies:
            proxies = {key: normalize_proxy_url(value) for key, value in proxies.items() if value}
        return super().send(request, stream=stream, timeout=timeout, verify=True, cert=cert, proxies=proxies)


def _system_addresses(host: str) -> list[str]:
    return [str(info[4][0]) for info in socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)]


def check_not_filtered(url: str, resolver: Callable[[str], Sequence[str]] | None = None) -> None:
    """NET-FILTERED when a public name in `url` resolves only to addresses a DNS filter answers with
    (hosts.is_filter_answer): connecting there would reach whatever listens on this computer, if anything.
    Loopback names and IP literals are taken as written; a name that does not resolve is left to the
    request (NET-DNS)."""
    host = _host(url)
    if not host or is_loopback_host(host) or is_ip_literal(host):
        return
    try:
        answers = list((resolver or _system_addresses)(host))
    except (OSError, UnicodeError):
        return
    if answers and all(is_filter_answer(a) for a in answers):
        raise LauncherError("NET-FILTERED", f"{host} resolves to {', '.join(answers[:2])}: a DNS filter")


class CheckedSession(requests.Session):
    """A Session that checks the URL of every request it sends, redirect hops included, and refuses to
    dial a name a DNS filter answered for (unless a proxy resolves it)."""

    allowed_hosts: Sequence[str] | None = None
    resolver: Callable[[str], Sequence[str]] | None = None  # tests feed an answer table

    def send(self, request: requests.PreparedRequest, **kw: Any) -> requests.Response:
        url = request.url or ""
        check_url(url, self.allowed_hosts)
        proxies = kw.get("proxies") or {}
        if not (proxies.get(urlsplit(url).scheme.lower()) or proxies.get("all")):
            check_not_filtered(url, self.resolver)  # (a proxy resolves names itself)
        return super().send(request, **kw)

    def get_redirect_target(self, resp: requests.Response) -> str | None:
        target = super().get_redirect_target(resp)
        if target is None:
            return None
        absolute = urljoin(resp.url, target)
        if urlsplit(resp.url).scheme.lower() == "https" and urlsplit(absolute).scheme.lower() != "https":
            raise LauncherError("NET-INSECURE", f"redirect from https to {absolute} refused")
        check_url(absolute, self.allowed_hosts)
        return target


def make_session(
    download: DownloadConfig,
    *,
    allowed_hosts: Sequence[str] | None = None,
    timeout: tuple[float, float] = DEFAULT_TIMEOUT,
    retries: int = 3,
    backoff_factor: float = 0.5,
    max_retry_after: float = 30.0,
    extra_ca_file: Path | None = None,
) -> requests.Session:
    """The session for manifest and artifact downloads.

    `backoff_factor`/`max_retry_after` exist so tests can keep waits tiny; `extra_ca_file` adds a CA to
    the OS trust store (tests with a loopback TLS server; a corporate CA is normally in the OS store).
    """
    ctx = _WatchedSSLContext(ssl.PROTOCOL_TLS_CLIENT)
    if extra_ca_file is not None:
        ctx.load_verify_locations(cafile=str(extra_ca_file))
    retry = CappedRetry(
        total=retries,
        connect=retries,
        read=0,  # a broken body is resumed by download.py, not replayed blindly
        status=retries,
        backoff_factor=backoff_factor,
        status_forcelist=RETRY_STATUSES,
        allowed_methods=frozenset({"GET", "HEAD"}),
        respect_retry_after_header=True,
        raise_on_status=False,
        raise_on_redirect=False,
        redirect=0,  # redirects are followed (and checked) by the session, not urllib3
    )
    retry.max_retry_after = max_retry_after
    session = CheckedSession()
    session.allowed_hosts = tuple(allowed_hosts) if allowed_hosts is not None else None
    session.max_redirects = 5
    adapter = _TrustStoreAdapter(ctx, timeout, max_retries=retry)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    session.headers.update({"User-Agent": USER_AGENT, "Accept-Encoding": "identity", "Accept": "*/*"})
    session.trust_env = True  # system proxies (env / registry / macOS settings via urllib)
    for configured in (download.proxy, *requests.utils.getproxies().values()):
        register_url_secrets(configured)  # a proxy password never reaches a log, an error or the report
    if download.proxy:
        proxy = normalize_proxy_url(download.proxy)
        session.proxies = {"http": proxy, "https": proxy}
    return session


def map_request_error(exc: Exception) -> LauncherError:
    """Translate a requests/urllib3 exception into the catalogue code the customer sees."""
    if isinstance(exc, LauncherError):
        return exc
    detail = redact(f"{type(exc).__name__}: {exc}")
    if proxy_failure_code(exc) is not None:
        return LauncherError("NET-PROXY", detail)
    if isinstance(exc, requests.exceptions.SSLError):
        return LauncherError("NET-TLS", detail)
    if isinstance(exc, requests.exceptions.Timeout):
        return LauncherError("NET-TIMEOUT", detail)
    if isinstance(exc, requests.exceptions.TooManyRedirects):
        return LauncherError("NET-HTTP", detail)
    if isinstance(exc, requests.exceptions.HTTPError):
        return LauncherError("NET-HTTP", detail)
    if isinstance(exc, requests.exceptions.ChunkedEncodingError | urllib3.exceptions.ProtocolError):
        return LauncherError("DL-INTERRUPTED", detail)
    if isinstance(exc, requests.exceptions.ConnectionError):
        text = str(exc).lower()
        if "name or service not known" in text or "nodename nor servname" in text \
                or "getaddrinfo failed" in text or "name resolution" in text or "nameresolution" in text:
            return LauncherError("NET-DNS", detail)
        if "read timed out" in text or "connecttimeout" in text:
            return LauncherError("NET-TIMEOUT", detail)
        if "remotedisconnected" in text or "connection aborted" in text or "connection reset" in text:
            return LauncherError("DL-INTERRUPTED", detail)
        return LauncherError("NET-HTTPS", detail)  # refused / unreachable
    if isinstance(exc, requests.exceptions.RequestException):
        return LauncherError("NET-HTTP", detail)
    return LauncherError("APP-INTERNAL", detail)
