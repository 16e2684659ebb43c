"""Download benchmark (issue 3, "Speed"): 40 MiB from a loopback server, the real path against `curl -o FILE`.

The real path is `make_session` + `ensure_artifact` (sha256 on the fly, size cap, fsync, atomic rename) into
a fresh temporary cache folder; curl writes the same bytes with `curl -s -o FILE` (no hashing, no fsync).
Both fetch from one server running in its own process (sendfile, so the server is never the bottleneck and
does not share our GIL). Runs are interleaved after one warm-up of each; the median counts.

Anuluj during a stalled download: a loopback server sends the first chunk and then nothing; the row is the time
from the attempt's Cancel being set to the end of the download's thread (its partial file removed), beside a
plain requests stream stalled the same way and ended the same way (urllib3's HTTPResponse.shutdown() from the
other thread).

    .venv/bin/python -m tests.perf.bench_download [--runs N]      (just these rows)
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SIZE = 40 * 1024 * 1024
MIB = 1024 * 1024
RUNS = 7
TARGET_THROUGHPUT = 0.9  # at least this share of curl's throughput


def serve(path: str) -> None:
    """Child process: serve `path` at /artifact on 127.0.0.1 (port printed on stdout) until stdin closes."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    size = os.path.getsize(path)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
            pass

        def do_GET(self) -> None:  # noqa: N802 - stdlib name
            if self.path.split("?", 1)[0] != "/artifact":
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Content-Length", str(size))
            self.send_header("ETag", '"bench"')
            self.send_header("Accept-Ranges", "bytes")
            self.end_headers()
            self.wfile.flush()
            with open(path, "rb") as fh:
                self.connection.sendfile(fh)

    class Server(ThreadingHTTPServer):
        daemon_threads = True

    server = Server(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(server.server_address[1], flush=True)
    sys.stdin.read()  # the parent closes our stdin (or dies): stop
    server.shutdown()


class _Server:
    def __init__(self, path: Path) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", "import sys; from tests.perf.bench_download import serve; serve(sys.argv[1])",
             str(path)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=Path(__file__).resolve().parents[2],
        )
        assert self.proc.stdout is not None
        self.url = f"http://127.0.0.1:{int(self.proc.stdout.readline())}/artifact"

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def _real(url: str, size: int, sha256: str, work: Path) -> float:
    from launcher.config import DownloadConfig
    from launcher.core.download import ensure_artifact
    from launcher.core.http import make_session
    from launcher.core.manifest import Artifact

    cache = work / "cache"
    artifact = Artifact(platform="linux-x86_64", url=url, size=size, sha256=sha256, version="0.0.0-bench",
                        kind="tar.gz")
    t0 = time.perf_counter()
    session = make_session(DownloadConfig(allowed_hosts=("127.0.0.1",), proxy=""), allowed_hosts=["127.0.0.1"])
    with session:
        path = ensure_artifact(session, artifact, cache, allowed_hosts=["127.0.0.1"], progress=lambda p: None)
    elapsed = time.perf_counter() - t0
    if path.stat().st_size != size:
        raise RuntimeError("real download: wrong size")
    shutil.rmtree(cache)  # every run starts from the same state: no output of an earlier run around
    return elapsed


def _curl(curl: str, url: str, size: int, work: Path) -> float:
    out = work / "curl.bin"
    t0 = time.perf_counter()
    subprocess.run([curl, "-s", "-S", "--fail", "-o", str(out), url], check=True)
    elapsed = time.perf_counter() - t0
    if out.stat().st_size != size:
        raise RuntimeError("curl: wrong size")
    out.unlink()  # at once: its dirty pages are dropped instead of being written back during the next run
    return elapsed


STALL_BODY = 4 * MIB
STALL_AT = 256 * 1024 + 4096  # one whole chunk of the real path (download.CHUNK), then the server sends nothing


def _stalled_real(server, sha_of: dict, work: Path) -> float:  # noqa: ANN001 - a LoopbackServer
    """ms from Anuluj (the attempt's Cancel set) to the end of the real download's thread, stalled mid-body."""
    import threading

    from launcher.config import DownloadConfig
    from launcher.core.cancel import Cancel
    from launcher.core.download import ensure_artifact
    from launcher.core.http import make_session
    from launcher.core.manifest import Artifact
    from tests.support.loopback_http import Reply

    released, first_chunk, cancel = threading.Event(), threading.Event(), Cancel()
    url = server.serve("/stalled", sha_of["body"], Reply(hold=released, stall_after=STALL_AT))
    artifact = Artifact(platform="linux-x86_64", url=url, size=STALL_BODY, sha256=sha_of["sha256"],
                        version="0.0.0-bench", kind="tar.gz")
    session = make_session(DownloadConfig(allowed_hosts=("127.0.0.1",), proxy=""), allowed_hosts=["127.0.0.1"])

    def download() -> None:
        with session, contextlib.suppress(Exception):  # DL-CANCELLED, as Anuluj makes it
            ensure_artifact(session, artifact, work / "stalled-cache", cancel=cancel,
                            progress=lambda p: p.done and first_chunk.set())

    thread = threading.Thread(target=download, name="fetch")
    thread.start()
    try:
        first_chunk.wait(60)
        t0 = time.perf_counter()
        cancel.set()
        thread.join()
        return (time.perf_counter() - t0) * 1000
    finally:
        released.set()
        thread.join()


def _stalled_plain(server, sha_of: dict) -> float:  # noqa: ANN001 - a LoopbackServer
    """The baseline: ms from the same close (HTTPResponse.shutdown() from another thread) to the end of a plain
    requests stream's reading thread, stalled the same way."""
    import threading

    import requests

    from tests.support.loopback_http import Reply

    released, first_chunk = threading.Event(), threading.Event()
    url = server.serve("/stalled-plain", sha_of["body"], Reply(hold=released, stall_after=STALL_AT))
    with requests.Session() as session:
        response = session.get(url, stream=True, timeout=(5, 20))

        def read() -> None:
            with contextlib.suppress(requests.RequestException):
                for _chunk in response.iter_content(256 * 1024):
                    first_chunk.set()

        thread = threading.Thread(target=read)
        thread.start()
        try:
            first_chunk.wait(60)
            t0 = time.perf_counter()
            response.raw.shutdown()
            thread.join()
            return (time.perf_counter() - t0) * 1000
        finally:
            released.set()
            thread.join()
            response.close()


def stalled_rows(runs: int = RUNS) -> list:
    """Anuluj during a download its server stalled mid-body: how long until the download's thread has ended
    (its partial file removed), beside a plain requests stream closed the same way."""
    from tests.perf.run import Row
    from tests.support.loopback_http import LoopbackServer

    body = os.urandom(STALL_BODY)
    sha_of = {"body": body, "sha256": hashlib.sha256(body).hexdigest()}
    work = Path(tempfile.mkdtemp(prefix="bench-stalled-"))
    try:
        with LoopbackServer() as server:
            _stalled_real(server, sha_of, work)  # warm-up
            _stalled_plain(server, sha_of)
            real_t, plain_t = [], []
            for _ in range(runs):
                real_t.append(_stalled_real(server, sha_of, work))
                plain_t.append(_stalled_plain(server, sha_of))
        left = list((work / "stalled-cache").iterdir())
    finally:
        shutil.rmtree(work, ignore_errors=True)
    note = (f"loopback, stalled after {STALL_AT // 1024} KiB; baseline: a plain requests stream ended by "
            f"HTTPResponse.shutdown(); max {max(real_t):.1f} ms, n={runs}; partial files left: {len(left)}")
    return [Row("Anuluj during a stalled download → download thread ended", statistics.median(real_t),
                statistics.median(plain_t), "ms", note=note)]


def run(runs: int = RUNS) -> list:
    from tests.perf.run import Row

    curl = shutil.which("curl")
    work = Path(tempfile.mkdtemp(prefix="bench-download-"))
    try:
        data = os.urandom(SIZE)
        source = work / "artifact.bin"
        source.write_bytes(data)
        sha256 = hashlib.sha256(data).hexdigest()
        del data
        server = _Server(source)
        try:
            _real(server.url, SIZE, sha256, work)  # warm-up: imports, page cache, TCP
            if curl:
                _curl(curl, server.url, SIZE, work)
            real_t, curl_t = [], []
            for _ in range(runs):
                real_t.append(_real(server.url, SIZE, sha256, work))
                if curl:
                    curl_t.append(_curl(curl, server.url, SIZE, work))
        finally:
            server.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)

    stalled = stalled_rows(runs)
    real_s = statistics.median(real_t)
    real_mibs = SIZE / MIB / real_s
    spread = f"{min(real_t) * 1000:.0f}-{max(real_t) * 1000:.0f} ms, n={runs}"
    if not curl:
        return [Row("download 40 MiB (loopback), real path", real_s * 1000, None, "ms",
                    note=f"{real_mibs:.0f} MiB/s; curl not found, no baseline; {spread}"), *stalled]
    curl_s = statistics.median(curl_t)
    curl_mibs = SIZE / MIB / curl_s
    share = real_mibs / curl_mibs
    return [
        Row("download 40 MiB (loopback) vs curl -o", real_s * 1000, curl_s * 1000, "ms",
            target_ratio=round(1 / TARGET_THROUGHPUT, 2),
            note=f"time; sha256+fsync+rename included; {spread}"),
        Row("download throughput vs curl -o", real_mibs, curl_mibs, "MiB/s",
            note=f"{share:.2f}x curl's throughput (target ≥ {TARGET_THROUGHPUT}x)"),
        *stalled,
    ]


def main(argv: list[str] | None = None) -> int:
    from tests.perf.run import bench_main

    return bench_main("python -m tests.perf.bench_download", run, RUNS, argv)


if __name__ == "__main__":
    sys.exit(main())
