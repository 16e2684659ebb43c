"""A download given up while its server has stopped sending mid-body ends at once, not at the server's next
chunk or the read timeout, and removes its own partial file; one that cannot end in time (its server holds the
answer back) has its partial file removed by the exiting side. Nothing else in the cache is touched.

Real loopback servers (HTTP and HTTPS) that send part of the body and then nothing until the test ends."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

from launcher.core.cancel import Cancel, end_at_exit
from launcher.core.daemon import on_daemon_thread
from launcher.core.download import CHUNK, ensure_artifact, final_path
from launcher.core.errors import LauncherError
from launcher.core.http import make_session
from launcher.core.manifest import Artifact
from tests.support.loopback_download import linux_artifact
from tests.support.loopback_http import LoopbackServer, Reply
from tests.support.polling import wait_until

BODY = os.urandom(CHUNK * 3)
STALL_AT = CHUNK + 4096  # one whole chunk reaches the file, then the server sends nothing more
READ_TIMEOUT_S = 120.0  # the download's own timeout: far beyond every bound below
ENDED_WITHIN_S = 15.0  # a ceiling for "at once" on a busy machine; the read timeout is 8 times that


def _session(ca: Path | None = None):  # noqa: ANN202
    from launcher.config import DownloadConfig

    return make_session(DownloadConfig(allowed_hosts=("127.0.0.1",)), retries=0, timeout=(5.0, READ_TIMEOUT_S),
                        extra_ca_file=ca)


class _Download:
    """ensure_artifact on a thread of its own with a Cancel, as the window and the `session` command run it."""

    def __init__(self, server: LoopbackServer, cache: Path, reply: Reply, ca: Path | None = None) -> None:
        self.artifact: Artifact = linux_artifact(server.serve("/qs.tar.gz", BODY, reply), BODY)
        self.cache = cache
        self.cancel = Cancel()
        self.progress: list[int] = []
        self._session = _session(ca)
        self.future = on_daemon_thread(self._run, "fetch")

    def _run(self) -> Path:
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


def test_at_exit_a_download_its_server_holds_back_has_its_partial_file_removed(tmp_path: Path) -> None:
    """Before the answer's headers there is no connection to shut: the download would run on until its
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
    released = threading.Event()
    with LoopbackServer() as server:
        try:
            download = _Download(server, cache, Reply(hold=released))
            assert wait_until(lambda: bool(server.hits("/qs.tar.gz")) and len(download.partials()) == 2, 30)
            ours = [p for p in download.partials() if p != others_live]
            removed = end_at_exit([(download.cancel, download.future)], wait_s=0.2)
            assert removed == ours
            assert not download.future.done()  # still waiting for its server, as the exit no longer does
            assert {p: p.read_bytes() for p in before} == before
            assert sorted(cache.iterdir()) == sorted(before)
        finally:
            released.set()
        # the server answers at last: the download, cancelled, ends without putting anything back
        assert download.error().code == "DL-CANCELLED"
    assert sorted(cache.iterdir()) == sorted(before)
