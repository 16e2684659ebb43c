"""Networks that lie: a DNS filter answering 0.0.0.0, ::, 127.x (or their IPv4-mapped forms) for a public
name is NET-FILTERED, and nothing connects to that address. Resolver answers come from a table here, never
from real DNS."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import pytest

from launcher.config import ConnectivityConfig, Probe
from launcher.core.connectivity import is_filter_answer, overall_code, run_checks
from launcher.core.errors import CATALOGUE
from tests.support.polling import wait_until

FILTER_ANSWERS = ["0.0.0.0", "::", "127.0.0.1", "127.0.1.1", "::1", "::ffff:127.0.0.1", "::ffff:0.0.0.0",
                  "0.1.2.3"]


class Listener:
    """Something listening locally on a port, counting the connections it gets."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.accepted = 0
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.accepted += 1
            conn.close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    lst = Listener()
    yield lst
    lst.sock.close()


def table(answers: dict[str, list[str]]):
    def resolve(host: str) -> list[str]:
        if host not in answers:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return answers[host]
    return resolve


@pytest.mark.parametrize("address", FILTER_ANSWERS)
def test_filter_answers_recognised(address: str):
    assert is_filter_answer(address)


@pytest.mark.parametrize("address", ["217.146.13.135", "2a00:11c0::1", "10.0.0.5", "192.168.1.10"])
def test_real_answers_are_not_filter_answers(address: str):
    assert not is_filter_answer(address)


@pytest.mark.parametrize("address", FILTER_ANSWERS)
def test_public_name_answered_by_a_filter_is_net_filtered_without_connecting(listener: Listener, address: str):
    cfg = ConnectivityConfig(timeout_s=2, probes=(
        Probe("teamviewer", host="router1.teamviewer.com", ports=(listener.port,)),
        Probe("download", url="https://dl.example.com/q.json"),
    ))
    resolver = table({"router1.teamviewer.com": [address], "dl.example.com": ["0.0.0.0"]})
    results = run_checks(cfg, proxies={}, resolver=resolver)
    assert [(r.key, r.ok, r.code) for r in results] == [
        ("dns", False, "NET-FILTERED"), ("teamviewer", False, "NET-FILTERED"), ("download", False, "NET-FILTERED")]
    assert "filter" in results[0].detail
    assert overall_code(results) == "NET-FILTERED"
    assert listener.accepted == 0


def test_every_answer_a_filter_answer_counts_even_when_they_differ(listener: Listener):
    cfg = ConnectivityConfig(timeout_s=2, probes=(Probe("tv", host="router1.teamviewer.com", ports=(listener.port,)),))
    results = run_checks(cfg, proxies={}, resolver=table({"router1.teamviewer.com": ["0.0.0.0", "127.0.0.1", "::"]}))
    assert [r.code for r in results] == ["NET-FILTERED", "NET-FILTERED"]
    assert listener.accepted == 0


def test_real_addresses_next_to_filter_answers_are_the_ones_used():
    import time

    from launcher.core.connectivity import _Lookup

    lookup = _Lookup("router1.teamviewer.com", table({"router1.teamviewer.com": ["0.0.0.0", "192.0.2.10", "::"]}))
    assert lookup.wait(time.monotonic() + 5)
    assert lookup.addresses == ["192.0.2.10"] and not lookup.filtered


def test_loopback_configured_on_purpose_still_works(listener: Listener):
    cfg = ConnectivityConfig(timeout_s=2, probes=(Probe("tv", host="127.0.0.1", ports=(listener.port,)),
                                                  Probe("tv2", host="localhost", ports=(listener.port,))))
    results = run_checks(cfg, proxies={}, resolver=table({}))
    assert all(r.ok for r in results), results
    # the connect is done once the kernel queued it; the listener's own accept may come a moment later
    assert wait_until(lambda: listener.accepted >= 1, 10)


def test_unknown_name_is_still_net_dns():
    cfg = ConnectivityConfig(timeout_s=2, probes=(Probe("tv", host="router1.teamviewer.com", ports=(5938,)),))
    results = run_checks(cfg, proxies={}, resolver=table({}))
    assert results[0].code == "NET-DNS" and results[1].code == "NET-DNS"


def test_catalogue_sentence():
    spec = CATALOGUE["NET-FILTERED"]
    assert "filtr" in spec.what_pl.lower()


@pytest.mark.parametrize("address", ["127.0.0.1", "::ffff:127.0.0.1"])
def test_download_session_does_not_dial_a_filtered_name(listener: Listener, address: str):
    from launcher.config import DownloadConfig
    from launcher.core.errors import LauncherError
    from launcher.core.http import make_session

    with make_session(DownloadConfig(allowed_hosts=("dl.example.com",)), retries=0) as session:
        session.resolver = table({"dl.example.com": [address]})
        with pytest.raises(LauncherError) as err:
            session.get(f"https://dl.example.com:{listener.port}/qs.tar.gz")
    assert err.value.code == "NET-FILTERED"
    assert listener.accepted == 0


def test_download_session_takes_loopback_urls_as_written(listener: Listener):
    from launcher.config import DownloadConfig
    from launcher.core.http import make_session

    with make_session(DownloadConfig(allowed_hosts=("127.0.0.1",)), retries=0) as session, \
            pytest.raises(Exception) as err:  # noqa: PT011 - the listener closes at once: any request error
        session.resolver = table({})
        session.get(f"http://127.0.0.1:{listener.port}/x", timeout=3)
    assert "NET-FILTERED" not in str(err.value)
    assert listener.accepted == 1
