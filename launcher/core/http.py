"""The one requests.Session factory every download goes through.

Explicit timeouts, retries with backoff (429/5xx, Retry-After honoured but capped), the OS trust store
(truststore, so corporate TLS-inspecting proxies work), system proxies plus the manual one, no content
encoding, and every hop (redirects included) checked: https only, http for loopback alone, hosts from
the allowlist, never an https -> http downgrade.
"""

from __future__ import annotations

import re
import ssl
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests
import truststore
import urllib3
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from launcher import APP_ID, __version__
from launcher.config import DownloadConfig
from launcher.core.errors import LauncherError
from launcher.core.hosts import is_loopback_host
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
SOCKS_SCHEMES = ("socks4", "socks4a", "socks5", "socks5h")


def normalize_proxy_url(proxy: str) -> str:
    """A proxy URL requests understands: `socks://h:p` -> `socks5h://h:p`, scheme in lower case."""
    proxy = (proxy or "").strip()
    scheme, sep, rest = proxy.partition("://")
    if not sep:
        return proxy
    lower = scheme.lower()
    return f"{_SOCKS_ALIASES.get(lower, lower)}://{rest}"


def is_socks_proxy(proxy: str) -> bool:
    return normalize_proxy_url(proxy).lower().startswith(tuple(f"{s}://" for s in SOCKS_SCHEMES))


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
        if isinstance(current, requests.exceptions.ProxyError | urllib3.exceptions.ProxyError):
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


class _TrustStoreAdapter(HTTPAdapter):
    """Verifies TLS with the OS trust store (truststore.SSLContext) only, and applies default timeouts."""

    def __init__(self, ssl_context: ssl.SSLContext, timeout: tuple[float, float], **kw: Any) -> None:
        self._ssl_context = ssl_context
        self._timeout = timeout
        super().__init__(**kw)

    def init_poolmanager(self, *args: Any, **kw: Any) -> None:
        kw["ssl_context"] = self._ssl_context
        super().init_poolmanager(*args, **kw)

    def proxy_manager_for(self, proxy: str, **kw: Any) -> Any:
        kw["ssl_context"] = self._ssl_context
        return super().proxy_manager_for(proxy, **kw)

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


class CheckedSession(requests.Session):
    """A Session that checks the URL of every request it sends, redirect hops included."""

    allowed_hosts: Sequence[str] | None = None

    def send(self, request: requests.PreparedRequest, **kw: Any) -> requests.Response:
        check_url(request.url or "", self.allowed_hosts)
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
    ctx = truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
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
