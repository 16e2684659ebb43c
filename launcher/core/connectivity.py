"""The connection check: DNS, HTTPS reachability of the download host, TCP reachability of TeamViewer.

Everything runs at once with short timeouts, so an offline computer is recognised in seconds: each probe
waits for its own host's DNS lookup (bounded by the timeout) and reports NET-DNS instead of a slow
connect timeout when the name does not resolve. Lookups and probes run on daemon threads, because a stuck
resolver or a server that holds a probe's connection open must never hold up the program's exit: a caller
that stops waiting for the check (the `session` command on a stop) leaves them to end by their timeout.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, wait
from dataclasses import dataclass
from urllib.parse import urlsplit

import requests

from launcher.config import ConnectivityConfig, DownloadConfig, Probe
from launcher.core import http
from launcher.core.cancel import Cancel, Cancelled, connections_watched
from launcher.core.daemon import done_unless_stopped, on_daemon_thread
from launcher.core.errors import LauncherError
from launcher.core.hosts import is_filter_answer
from launcher.core.hosts import is_loopback_host as is_loopback
from launcher.core.redaction import redact, register_url_secrets

DNS_KEY = "dns"
# The order overall_code() picks the one code to show in.
_PRIORITY = ("NET-OFFLINE", "NET-FILTERED", "NET-DNS", "NET-PROXY", "NET-TLS", "NET-HTTPS", "NET-INSECURE",
             "NET-TV-BLOCKED")


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


Resolver = Callable[[str], Sequence[str]]  # host name -> addresses (raises OSError when it does not resolve)


def system_resolver(host: str) -> list[str]:
    """The OS resolver (getaddrinfo), addresses in its order without repeats."""
    seen: list[str] = []
    for info in socket.getaddrinfo(host, None, type=socket.SOCK_STREAM):
        address = str(info[4][0])
        if address not in seen:
            seen.append(address)
    return seen


class _Lookup:
    """A lookup on a daemon thread; wait() gives up after the deadline.

    A public name whose every answer is a filter answer (is_filter_answer) is `filtered`: a DNS filter on
    this network blocks it, and nothing connects to that address. Loopback names and IP literals are
    taken as written (tests and the demo use 127.0.0.1 on purpose)."""

    def __init__(self, host: str, resolver: Resolver | None = None) -> None:
        self.host = host
        self.resolver = resolver or system_resolver
        self.filtered = False
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
            answers = [str(a) for a in self.resolver(self.host)]
            real = [a for a in answers if not is_filter_answer(a)]
            self.filtered = bool(answers) and not real
            self.addresses = real
            if self.filtered:
                self.error = f"blocked by a DNS filter (answer {', '.join(answers[:2])})"
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
    ok = all([lookup.wait(deadline) for lookup in lookups])
    parts = [lookup.describe() for lookup in lookups] + [f"{host}: via proxy" for host in skipped]
    code = None if ok else "NET-FILTERED" if any(lookup.filtered for lookup in lookups) else "NET-DNS"
    return ProbeResult(DNS_KEY, "dns", ok, "; ".join(parts) or "nothing to resolve", code,
                       time.monotonic() - started)


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
    url: str, timeout: float, proxies: Mapping[str, str] | None = None, resolver: Resolver | None = None,
    cancel: threading.Event | None = None,
) -> tuple[bool, str, str | None]:
    """HEAD `url`; any HTTP answer (even 404 or 500) means reachable. Returns (ok, detail, code).

    Same session as the downloads (launcher.core.http: OS trust store, https only, http for loopback
    alone) but no retries: the check must answer in seconds. `cancel` (a `launcher.core.cancel.Cancel`), once
    set, ends the request at once, also while its server is silent before the answer's headers (the probe then
    fails, its detail saying so).
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
    session.resolver = resolver  # the check's resolver also decides what the request may dial
    try:
        with session, connections_watched(cancel):
            chosen = {urlsplit(url).scheme: proxy} if proxy else {}
            response = session.head(url, allow_redirects=False, proxies=chosen)
            response.close()
    except LauncherError as exc:
        return False, f"refused: {exc.detail}", exc.code
    except (requests.RequestException, Cancelled) as exc:
        if cancel is not None and cancel.is_set():
            return False, f"given up{via}: the check was stopped", "NET-HTTPS"
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
    futures = [on_daemon_thread(lambda port=port: _connect(addresses, port, deadline), f"tcp-probe-{port}")
               for port in ports]
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


# ----- running

def _run_probe(probe: Probe, lookups: dict[str, _Lookup], deadline: float, timeout: float,
               proxies: Mapping[str, str] | None, cancel: threading.Event | None = None) -> ProbeResult:
    started = time.monotonic()
    host = _probe_host(probe)

    def result(ok: bool, detail: str, code: str | None, port: int | None = None) -> ProbeResult:
        return ProbeResult(probe.name, probe.kind, ok, redact(detail), code, time.monotonic() - started, port)

    if not host:
        code = "NET-HTTPS" if probe.url else "NET-TV-BLOCKED"
        return result(False, f"no host in {probe.url or probe.host!r}", code)
    lookup = lookups.get(host)
    if lookup is not None and not lookup.wait(deadline):
        return result(False, f"DNS: {lookup.describe()}", "NET-FILTERED" if lookup.filtered else "NET-DNS")
    if probe.kind == "https":
        ok, detail, code = probe_url(probe.url, timeout, proxies, lookup.resolver if lookup else None, cancel)
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
    resolver: Resolver | None = None,
    cancel: threading.Event | None = None,
) -> list[ProbeResult]:
    """Run every check in parallel; results in planned_checks() order. `on_result` runs on worker threads.

    `resolver` replaces the OS resolver (tests feed it an answer table); default system_resolver. `cancel` (a
    `launcher.core.cancel.Cancel`), once set, ends the HTTPS probes' requests at once (`probe_url`); lookups
    and TCP connects end by the timeout."""
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
            lookups[host] = _Lookup(host, resolver)

    def report(result: ProbeResult) -> ProbeResult:
        if on_result is not None:
            on_result(result)
        return result

    futures: list[Future[ProbeResult]] = [on_daemon_thread(
        lambda: report(_dns_result(list(lookups.values()), deadline, started, skipped)), f"check-{DNS_KEY}")]
    for probe in config.probes:
        futures.append(on_daemon_thread(
            lambda p=probe: report(_run_probe(p, lookups, deadline, timeout, proxies, cancel)), f"check-{probe.name}"))
    return [future.result() for future in futures]


def run_checks_unless_stopped(
    config: ConnectivityConfig,
    stop: threading.Event,
    *,
    on_result: Callable[[ProbeResult], None] | None = None,
    proxies: Mapping[str, str] | None = None,
) -> list[ProbeResult] | None:
    """run_checks, no longer waited for once `stop` is set: None then (soon after the stop, not after the
    check's timeout). The HTTPS probes' requests are then ended at once; lookups and TCP connects end by the
    timeout on their daemon threads, and `on_result` may still be called from them. A stop set when the
    results are there also gives None: its caller asked to end."""
    given_up = Cancel()
    answer = on_daemon_thread(lambda: run_checks(config, on_result=on_result, proxies=proxies, cancel=given_up),
                              "connection check")
    if done_unless_stopped(answer, stop):
        return answer.result()
    given_up.set()
    return None


def overall_code(results: Sequence[ProbeResult]) -> str | None:
    """The one code for the error page, or None when everything passed."""
    failed = [r for r in results if not r.ok]
    if not failed:
        return None
    dns_failed = any(r.kind == "dns" and r.code != "NET-FILTERED" for r in failed)
    if dns_failed and len(failed) == len(results):  # a filter answers, so the computer is not offline
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
