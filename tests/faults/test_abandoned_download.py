"""A download given up while its server has stopped sending mid-body, or is silent before its answer's headers or
its TLS handshake, ends at once, not at the server's next chunk or the read timeout, and removes its own partial
file; so do the manifest's fetch and the connection check's HTTPS probe. One that cannot end in time (its server
never accepts the connection: no socket exists yet) has its partial file removed by the exiting side. Nothing
else in the cache is touched.

Real loopback servers (HTTP and HTTPS) that send part of the body and then nothing until the test ends, that
accept and say nothing, or that never accept. Runs in the Windows lane too (scripts/windows-lane.sh), where a
blocked read is ended by closing its socket."""

from __future__ import annotations

import os
import sys
import threading
import time
from pathlib import Path

import pytest

from launcher.config import ConnectivityConfig, Probe
from launcher.core.cancel import Cancel, end_at_exit
from launcher.core.connectivity import ProbeResult, run_checks_unless_stopped
from launcher.core.daemon import on_daemon_thread
from launcher.core.download import CHUNK, ensure_artifact, final_path
from launcher.core.errors import LauncherError
from launcher.core.fetch import ManifestAhead, fetch_manifest, verify_local_file
from launcher.core.http import make_session
from launcher.core.manifest import Artifact
from tests.faults.conftest import MANIFEST_PATH, Supply
from tests.support.loopback_download import linux_artifact
from tests.support.loopback_http import LoopbackServer, Reply
from tests.support.polling import wait_until
from tests.support.silent_server import SilentServer, UnacceptingServer
from tests.support.sparse_file import HUGE, sparse_file

BODY = os.urandom(CHUNK * 3)
STALL_AT = CHUNK + 4096  # one whole chunk reaches the file, then the server sends nothing more
READ_TIMEOUT_S = 120.0  # the download's own timeout: far beyond every bound below
ENDED_WITHIN_S = 15.0  # a ceiling for "at once" on a busy machine; the read timeout is 8 times that


def _session(ca: Path | None = None, retries: int = 0):  # noqa: ANN202
    from launcher.config import DownloadConfig

    # the connect timeout bounds the TLS handshake too: as long as the read's here
    return make_session(DownloadConfig(allowed_hosts=("127.0.0.1",)), retries=retries,
                        timeout=(READ_TIMEOUT_S, READ_TIMEOUT_S), backoff_factor=0.5, extra_ca_file=ca)


class _Download:
    """ensure_artifact on a thread of its own with a Cancel, as the window and the `session` command run it.
    `server` a LoopbackServer serving BODY with `reply`, or the URL of a server that never answers."""

    def __init__(self, server: LoopbackServer | str, cache: Path, reply: Reply | None = None, ca: Path | None = None,
                 retries: int = 0) -> None:
        url = server if isinstance(server, str) else server.serve("/qs.tar.gz", BODY, reply or Reply())
        self.artifact: Artifact = linux_artifact(url, BODY)
        self.cache = cache
        self.cancel = Cancel()
        self.progress: list[int] = []
        self._session = _session(ca, retries)
        self.thread_id = 0
        self.future = on_daemon_thread(self._run, "fetch")

    def _run(self) -> Path:
        self.thread_id = threading.get_ident()
        try:
            return ensure_artifact(self._session, self.artifact, self.cache, cancel=self.cancel,
                                   progress=lambda p: self.progress.append(p.done), allowed_hosts=["127.0.0.1"])
        finally:
            self._session.close()

    def partials(self) -> list[Path]:
        return sorted(self.cache.glob(".TeamViewerQS-*.part")) if self.cache.exists() else []

    def error(self) -> LauncherError:
        exc = self.future.exception(timeout=READ_TIMEOUT_S)
        assert isinstance(exc, LauncherError), exc
        return exc


def _stalled(hold: threading.Event, **kw: object) -> Reply:
    return Reply(hold=hold, stall_after=STALL_AT, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize("framing", ["length", "chunked"])
@pytest.mark.parametrize("scheme", ["http", "https"])
def test_cancel_ends_a_download_stalled_mid_body_at_once_and_removes_its_partial_file(
        scheme: str, framing: str, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    ca = None
    if scheme == "https":
        server, ca = LoopbackServer(tls=request.getfixturevalue("tls_cert")), request.getfixturevalue("tls_extra_ca")
    else:
        server = LoopbackServer()
    released = threading.Event()
    with server:
        try:
            download = _Download(server, tmp_path / "cache", _stalled(released, chunked=framing == "chunked"), ca)
            # the first chunk is on disk and the download waits in its next read, for bytes that do not come
            assert wait_until(lambda: bool(download.progress) and download.progress[-1] >= CHUNK, 30), \
                download.progress
            assert [p.stat().st_size for p in download.partials()] == [download.progress[-1]]
            started = time.monotonic()
            download.cancel.set()
            assert download.future.exception(timeout=ENDED_WITHIN_S) is not None, "still in its read"
            took = time.monotonic() - started
            assert not released.is_set()  # the server never sent another byte: the cancel ended the read
            assert download.error().code == "DL-CANCELLED", download.error()
            assert download.partials() == []  # removed by the download's own thread
            assert list(download.cache.iterdir()) == []  # and no final file
            assert took < ENDED_WITHIN_S
        finally:
            released.set()


def test_a_retry_downloads_beside_a_download_given_up_and_keeps_what_it_verified(tmp_path: Path) -> None:
    released = threading.Event()
    cache = tmp_path / "cache"
    with LoopbackServer() as server:
        try:
            first = _Download(server, cache, _stalled(released))
            assert wait_until(lambda: bool(first.progress) and first.progress[-1] >= CHUNK, 30)
            first.cancel.set()  # Anuluj, then Spróbuj ponownie: the next attempt gets the whole body
            second = _Download(server, cache, Reply())
            path = second.future.result(timeout=60)
            assert path == final_path(second.artifact, cache) and path.read_bytes() == BODY
            assert first.error().code == "DL-CANCELLED"
            assert sorted(p.name for p in cache.iterdir()) == [path.name]  # the first one's partial file is gone
            assert end_at_exit([(first.cancel, first.future), (second.cancel, second.future)]) == []
            assert path.read_bytes() == BODY  # a finished, renamed download is never removed at exit
        finally:
            released.set()


@pytest.mark.parametrize("scheme", ["http", "https"])
def test_cancel_ends_a_download_whose_server_is_silent_before_its_headers_at_once(
        scheme: str, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    """The request is sent, the server says nothing: no response exists yet, only its connection, which the
    cancel ends. No retry follows (the download's session retries a failed connection three times)."""
    ca = None
    if scheme == "https":
        server, ca = LoopbackServer(tls=request.getfixturevalue("tls_cert")), request.getfixturevalue("tls_extra_ca")
    else:
        server = LoopbackServer()
    released = threading.Event()
    with server:
        try:
            download = _Download(server, tmp_path / "cache", Reply(hold=released), ca, retries=3)
            assert wait_until(lambda: bool(server.hits("/qs.tar.gz")), 30), "the request never came"
            download.cancel.set()
            assert download.future.exception(timeout=ENDED_WITHIN_S) is not None, "still waiting for the headers"
            assert not released.is_set()
            assert download.error().code == "DL-CANCELLED", download.error()
            assert download.partials() == [] and list(download.cache.iterdir()) == []
            assert len(server.hits("/qs.tar.gz")) == 1  # given up, not tried again
        finally:
            released.set()


@pytest.mark.parametrize("scheme", ["https", "http"])
def test_cancel_ends_a_download_whose_server_accepts_and_says_nothing_at_once(
        scheme: str, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    """https: the server never answers the ClientHello (the connect step, TLS handshake included, waits); http:
    never a status line. The cancel ends the connection, and no new one is made."""
    ca = request.getfixturevalue("tls_extra_ca") if scheme == "https" else None
    with SilentServer() as server:
        download = _Download(server.url("/qs.tar.gz", scheme), tmp_path / "cache", ca=ca, retries=3)
        assert wait_until(lambda: server.received > 0, 30), "no ClientHello or request came"
        download.cancel.set()
        assert download.future.exception(timeout=ENDED_WITHIN_S) is not None, "still waiting for the server"
        assert download.error().code == "DL-CANCELLED", download.error()
        assert download.partials() == [] and list(download.cache.iterdir()) == []
        assert server.accepted == 1  # given up, not tried again


@pytest.mark.parametrize("how", ["never-answers", "silent-handshake"])
def test_cancel_ends_the_manifests_fetch_before_its_headers_at_once(
        how: str, supply: Supply) -> None:
    released = threading.Event()
    supply.publish(manifest_replies=[Reply(hold=released)])
    config = supply.config()
    cancel = Cancel()
    with SilentServer() as silent:
        if how == "silent-handshake":
            from dataclasses import replace

            config = replace(config, manifest=replace(config.manifest, url=silent.url(MANIFEST_PATH, "https")))
            reached = lambda: silent.received > 0  # noqa: E731
        else:
            reached = lambda: bool(supply.server.hits(MANIFEST_PATH))  # noqa: E731
        session = supply.session(config, timeout=(READ_TIMEOUT_S, READ_TIMEOUT_S))
        try:
            future = on_daemon_thread(lambda: fetch_manifest(config, supply.paths, session=session, cancel=cancel),
                                      "manifest")
            assert wait_until(reached, 30), "the manifest was never asked for"
            cancel.set()
            exc = future.exception(timeout=ENDED_WITHIN_S)
            assert isinstance(exc, LauncherError) and exc.code == "DL-CANCELLED", exc
            assert not released.is_set()
        finally:
            released.set()
            session.close()


def test_a_manifest_fetched_ahead_and_dropped_ends_at_once(supply: Supply) -> None:
    """The window fetches the manifest beside the connection check; a check that fails, a retry or a closed
    window drops it: a fetch its server holds before the headers ends then (its read timeout is 20 s)."""
    released = threading.Event()
    supply.publish(manifest_replies=[Reply(hold=released)])
    answers: list[object] = []
    try:
        ahead = ManifestAhead(supply.config(), supply.paths, on_answer=answers.append)
        assert wait_until(lambda: bool(supply.server.hits(MANIFEST_PATH)), 30), "the manifest was never asked for"
        ahead.drop()
        assert ahead.done.wait(ENDED_WITHIN_S), "still waiting for the manifest's headers"
        assert not released.is_set()
        assert ahead.take() is None and answers == []  # dropped: nobody is told
    finally:
        released.set()


def test_a_stopped_connection_check_ends_its_https_probe_at_once() -> None:
    released = threading.Event()
    results: list[ProbeResult] = []
    stop = threading.Event()
    with LoopbackServer() as server:
        try:
            server.serve("/probe", b"ok\n", Reply(hold=released))  # HEAD: the headers alone, never sent
            config = ConnectivityConfig(timeout_s=READ_TIMEOUT_S, probes=(Probe("download", url=server.url("/probe")),))
            check = on_daemon_thread(lambda: run_checks_unless_stopped(config, stop, on_result=results.append),
                                     "check")
            assert wait_until(lambda: bool(server.hits("/probe")), 30), "the probe never came"
            stop.set()
            assert check.result(timeout=ENDED_WITHIN_S) is None  # not waited for
            assert wait_until(lambda: any(r.key == "download" for r in results), ENDED_WITHIN_S), \
                "the probe still waits for its answer"
            probe = next(r for r in results if r.key == "download")
            assert not probe.ok and "stopped" in probe.detail, probe
            assert not released.is_set()
        finally:
            released.set()


def test_verify_stopped_mid_hash_ends_at_once(supply: Supply, tmp_path: Path) -> None:
    """`verify FILE` of a large file: a stop once the manifest is in ends the hash between two chunks (it went
    on to the file's end: the stopped command waited cancel.EXIT_WAIT_S for it, then gave it up)."""
    supply.publish()
    operators = sparse_file(tmp_path / "TeamViewerQS.exe")
    cancel = Cancel()
    work = on_daemon_thread(lambda: verify_local_file(operators, supply.config(), supply.paths, cancel=cancel),
                            "verify")
    # the manifest is verified and its serial kept: what is left is the hash
    assert wait_until(lambda: supply.paths.manifest_state_file.exists() or work.done(), 30)
    assert not work.done(), work.exception()
    cancel.set()
    exc = work.exception(timeout=ENDED_WITHIN_S)  # the whole file would take minutes
    assert isinstance(exc, LauncherError) and exc.code == "DL-CANCELLED", exc
    assert operators.stat().st_size == HUGE  # the operator's file is never touched


def _in_connect(download: _Download) -> bool:
    """The download's thread is inside the TCP connect (socket.create_connection, or urllib3's of that name)."""
    frame = sys._current_frames().get(download.thread_id)
    while frame is not None:
        if frame.f_code.co_name == "create_connection":
            return True
        frame = frame.f_back
    return False


def test_at_exit_a_download_whose_server_never_accepts_has_its_partial_file_removed(tmp_path: Path) -> None:
    """While the TCP connect waits there is no socket to end: the download would run on until its connect
    timeout. The exiting side removes its partial file, and only that: a verified build, another launcher's
    live partial file and files of other names in the cache stay as they were."""
    cache = tmp_path / "cache"
    cache.mkdir(mode=0o700)
    verified_other = cache / "TeamViewerQS-15.0.1-0123456789abcdef.tar.gz"
    verified_other.write_bytes(b"a verified earlier build")
    others_live = cache / ".TeamViewerQS-15.61.3-ffffffffffffffff.tar.gz.x1y2z3.part"
    others_live.write_bytes(b"another launcher is downloading this right now")
    notes = cache / "notes.txt"
    notes.write_bytes(b"not ours")
    before = {p: p.read_bytes() for p in (verified_other, others_live, notes)}
    with UnacceptingServer() as server:
        download = _Download(server.url("/qs.tar.gz"), cache)
        assert wait_until(lambda: len(download.partials()) == 2 and _in_connect(download), 30)
        ours = [p for p in download.partials() if p != others_live]
        removed = end_at_exit([(download.cancel, download.future)], wait_s=0.2)
        assert removed == ours
        assert not download.future.done()  # still connecting, as the exit no longer waits for
        assert {p: p.read_bytes() for p in before} == before
        assert sorted(cache.iterdir()) == sorted(before)
    # the server is gone (the connect is refused at last, or times out): the download, cancelled, ends without
    # putting anything back
    assert download.error().code == "DL-CANCELLED"
    assert sorted(cache.iterdir()) == sorted(before)
