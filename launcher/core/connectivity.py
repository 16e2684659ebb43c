"""The connection check: DNS, HTTPS reachability of the download host, TCP reachability of TeamViewer.

Everything runs at once with short timeouts, so an offline computer is recognised in seconds: each probe
waits for its own host's DNS lookup (bounded by the timeout) and reports NET-DNS instead of a slow
connect timeout when the name does not resolve. Lookups run on daemon threads, because a stuck resolver
must never hold up the check (or the program's exit).
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from urllib.parse import urlsplit

import requests

from launcher.config import ConnectivityConfig, DownloadConfig, Probe
from launcher.core import http
from launcher.core.errors import LauncherError
from launcher.core.hosts import is_loopback_host as is_loopback
from launcher.core.redaction import redact, register_url_secrets

DNS_KEY = "dns"
# The order overall_code() picks the one code to show in.
_PRIORITY = ("NET-OFFLINE", "NET-DNS", "NET-PROXY", "NET-TLS", "NET-HTTPS", "NET-INSECURE", "NET-TV-BLOCKED")


@dataclass(frozen=True)
class CheckItem:
    """One row of the check list, known before anything runs."""

    key: str
    kind: str  # dns | https | tcp
    label_pl: str
    label_en: str


@dataclass(frozen=True)
class ProbeResult:
    key: str
    kind: str
    ok: bool
    detail: str
    code: str | None  # a catalogue code when not ok
    elapsed_s: float
    port: int | None = None  # tcp: the port that answered


# ----- plan

def _probe_host(probe: Probe) -> str:
    return (urlsplit(probe.url).hostname or "") if probe.url else probe.host


def _label(probe: Probe) -> tuple[str, str]:
    host = _probe_host(probe)
    if probe.kind == "https":
        return f"Dostęp do serwera pobierania ({host})", f"Access to the download server ({host})"
    if "teamviewer" in (probe.name + host).lower():
        return f"Połączenie z siecią TeamViewer ({host})", f"Connection to the TeamViewer network ({host})"
    return f"Połączenie z serwerem {host}", f"Connection to the server {host}"


def planned_checks(config: ConnectivityConfig) -> list[CheckItem]:
    """The rows in the order run_checks() returns them: DNS first, then one per probe."""
    items = [CheckItem(DNS_KEY, "dns", "Odnajdywanie serwerów w internecie (DNS)",
                       "Finding servers on the internet (DNS)")]
    for probe in config.probes:
        pl, en = _label(probe)
        items.append(CheckItem(probe.name, probe.kind, pl, en))
    return items


# ----- DNS

def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


class _Lookup:
    """A getaddrinfo on a daemon thread; wait() gives up after the deadline."""

    def __init__(self, host: str) -> None:
        self.host = host
        self.addresses: list[str] = []
        self.error = ""
        self.elapsed_s = 0.0
        self._done = threading.Event()
        self._started = time.monotonic()
        if is_loopback(host) or _is_ip(host):
            self.addresses = ["127.0.0.1"] if host.lower().startswith("localhost") else [host.strip("[]")]
            self._done.set()
        else:
            threading.Thread(target=self._run, name=f"dns-{host}", daemon=True).start()

    def _run(self) -> None:
        try:
            infos = socket.getaddrinfo(self.host, None, type=socket.SOCK_STREAM)
            seen: list[str] = []
            for info in infos:
                address = str(info[4][0])
                if address not in seen:
                    seen.append(address)
            self.addresses = seen
        except (OSError, UnicodeError) as exc:
            self.error = str(exc) or type(exc).__name__
        finally:
            self.elapsed_s = time.monotonic() - self._started
            self._done.set()

    def wait(self, deadline: float) -> bool:
        """True when the name resolved before the deadline (a time.monotonic() value)."""
        if not self._done.wait(max(0.0, deadline - time.monotonic())):
            return False
        return bool(self.addresses)

    def describe(self) -> str:
        if self._done.is_set():
            return f"{self.host}: {', '.join(self.addresses[:2])}" if self.addresses else \
                f"{self.host}: {self.error or 'no address'}"
        return f"{self.host}: no answer in time"


def _dns_result(
    lookups: Sequence[_Lookup], deadline: float, started: float, skipped: Sequence[str]
) -> ProbeResult:
    ok = all(lookup.wait(deadline) for lookup in lookups)
    parts = [lookup.describe() for lookup in lookups] + [f"{host}: via proxy" for host in skipped]
    return ProbeResult(DNS_KEY, "dns", ok, "; ".join(parts) or "nothing to resolve",
                       None if ok else "NET-DNS", time.monotonic() - started)


# ----- HTTPS

def _proxy_for(url: str, proxies: Mapping[str, str] | None) -> str:
    """The proxy for `url`: explicit ones first, then the environment's; never one for loopback."""
    parts = urlsplit(url)
    if is_loopback(parts.hostname or ""):
        return ""
    if proxies is not None:  # explicit, {} meaning "no proxy"; None: the system's (environment) proxies
        chosen = proxies.get(parts.scheme, "") or proxies.get("all", "")
    else:  # requests reads http(s)_proxy/all_proxy/no_proxy in either case, as curl and wget do
        env = requests.utils.get_environ_proxies(url)
        chosen = env.get(parts.scheme, "") or env.get("all", "")
    if chosen:
        register_url_secrets(chosen)
    return http.normalize_proxy_url(chosen) if chosen else ""


def _exception_chain(exc: BaseException) -> list[BaseException]:
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in chain and len(chain) < 10:
        chain.append(current)
        current = current.__cause__ or current.__context__ or (
            current.args[0] if current.args and isinstance(current.args[0], BaseException) else None)
    return chain


def _classify(exc: requests.RequestException) -> str:
    if http.proxy_failure_code(exc) is not None:
        return "NET-PROXY"
    if isinstance(exc, requests.exceptions.SSLError):
        return "NET-TLS"
    for link in _exception_chain(exc):
        name = type(link).__name__
        if name == "NameResolutionError" or isinstance(link, socket.gaierror):
            return "NET-DNS"
    return "NET-HTTPS"


def probe_url(
    url: str, timeout: float, proxies: Mapping[str, str] | None = None
) -> tuple[bool, str, str | None]:
    """HEAD `url`; any HTTP answer (even 404 or 500) means reachable. Returns (ok, detail, code).

    Same session as the downloads (launcher.core.http: OS trust store, https only, http for loopback
    alone) but no retries: the check must answer in seconds.
    """
    try:
        http.check_url(url)
    except LauncherError as exc:
        return False, f"refused: {exc.detail}", exc.code
    proxy = _proxy_for(url, proxies)
    via = f" via proxy {redact(proxy)}" if proxy else ""
    session = http.make_session(DownloadConfig(allowed_hosts=()), timeout=(timeout, timeout), retries=0)
    session.trust_env = False  # the proxy is decided by _proxy_for (explicit, else the environment's)
    session.proxies = {}
    try:
        with session:
            chosen = {urlsplit(url).scheme: proxy} if proxy else {}
            response = session.head(url, allow_redirects=False, proxies=chosen)
            response.close()
    except LauncherError as exc:
        return False, f"refused: {exc.detail}", exc.code
    except requests.RequestException as exc:
        return False, redact(f"{type(exc).__name__}{via}: {exc}"), _classify(exc)
    return True, f"HTTP {response.status_code}{via}", None


# ----- TCP

def _connect(addresses: Sequence[str], port: int, deadline: float) -> bool:
    for address in addresses:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return False
        try:
            socket.create_connection((address, port), timeout=remaining).close()
            return True
        except OSError:
            continue
    return False


def _tcp_first_port(addresses: Sequence[str], ports: Sequence[int], timeout: float) -> int | None:
    """Try all ports at once; the first port in config order that answers wins (5938 before 443 before 80)."""
    deadline = time.monotonic() + timeout
    pool = ThreadPoolExecutor(max_workers=max(1, len(ports)), thread_name_prefix="tcp-probe")
    try:
        futures = [pool.submit(_connect, addresses, port, deadline) for port in ports]
        pending = set(futures)
        while True:
            for port, future in zip(ports, futures, strict=True):
                if not future.done():
                    break  # an earlier (preferred) port is still trying
                if future.result():
                    return port
            else:
                return None
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


# ----- running

def _run_probe(probe: Probe, lookups: dict[str, _Lookup], deadline: float, timeout: float,
               proxies: Mapping[str, str] | None) -> ProbeResult:
    started = time.monotonic()
    host = _probe_host(probe)

    def result(ok: bool, detail: str, code: str | None, port: int | None = None) -> ProbeResult:
        return ProbeResult(probe.name, probe.kind, ok, redact(detail), code, time.monotonic() - started, port)

    if not host:
        code = "NET-HTTPS" if probe.url else "NET-TV-BLOCKED"
        return result(False, f"no host in {probe.url or probe.host!r}", code)
    lookup = lookups.get(host)
    if lookup is not None and not lookup.wait(deadline):
        return result(False, f"DNS: {lookup.describe()}", "NET-DNS")
    if probe.kind == "https":
        ok, detail, code = probe_url(probe.url, timeout, proxies)
        return result(ok, detail, code)
    addresses = lookup.addresses if lookup is not None else [host]
    port = _tcp_first_port(addresses, probe.ports, timeout)
    if port is None:
        ports = ", ".join(map(str, probe.ports))
        return result(False, f"{host}: no answer on ports {ports}", "NET-TV-BLOCKED")
    return result(True, f"{host}:{port} answered", None, port)


def run_checks(
    config: ConnectivityConfig,
    *,
    on_result: Callable[[ProbeResult], None] | None = None,
    proxies: Mapping[str, str] | None = None,
) -> list[ProbeResult]:
    """Run every check in parallel; results in planned_checks() order. `on_result` runs on worker threads."""
    started = time.monotonic()
    timeout = config.timeout_s
    deadline = started + timeout
    lookups: dict[str, _Lookup] = {}
    skipped: list[str] = []
    for probe in config.probes:
        host = _probe_host(probe)
        if not host or host in lookups or host in skipped:
            continue
        if probe.kind == "https" and _proxy_for(probe.url, proxies):
            skipped.append(host)  # the proxy resolves it; the local resolver may not know it at all
        else:
            lookups[host] = _Lookup(host)

    def report(result: ProbeResult) -> ProbeResult:
        if on_result is not None:
            on_result(result)
        return result

    pool = ThreadPoolExecutor(max_workers=len(config.probes) + 1, thread_name_prefix="check")
    try:
        futures: list[Future[ProbeResult]] = [
            pool.submit(lambda: report(_dns_result(list(lookups.values()), deadline, started, skipped)))
        ]
        for probe in config.probes:
            futures.append(pool.submit(
                lambda p=probe: report(_run_probe(p, lookups, deadline, timeout, proxies))))
        return [future.result() for future in futures]
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


def overall_code(results: Sequence[ProbeResult]) -> str | None:
    """The one code for the error page, or None when everything passed."""
    failed = [r for r in results if not r.ok]
    if not failed:
        return None
    dns_failed = any(r.kind == "dns" for r in failed)
    if dns_failed and len(failed) == len(results):
        return "NET-OFFLINE"
    codes = {r.code for r in failed}
    for code in _PRIORITY:
        if code in codes:
            return code
    return next((r.code for r in failed if r.code), "NET-OFFLINE")


def check_failure(results: Sequence[ProbeResult]) -> LauncherError | None:
    """The error that stops the flow after the check (its code and each failed probe's detail), or None."""
    code = overall_code(results)
    if code is None:
        return None
    return LauncherError(code, "; ".join(f"{r.key}: {r.detail}" for r in results if not r.ok))
