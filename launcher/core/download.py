"""Streaming, resumable, size-capped artifact download with sha256 on the fly and an atomic rename.

Nothing half-written or unverified is ever at the final path: bytes go to a temp name, the size is
capped at the manifest's size while streaming, and only a file whose size and sha256 match is moved
into place with os.replace. Before launch, `open_verified` re-hashes and hands back the very handle
it hashed, so the bytes run are the bytes checked.

Speed (tests/perf/bench_download.py, target: at least 0.9x curl's throughput): the body is read with
http.client's readinto straight into a ring of preallocated buffers (no per-chunk bytes objects), sha256
runs on a helper thread one chunk behind the socket (hashlib releases the GIL), and on Linux the kernel is
asked to start writing finished bytes to disk while we download, so the single fsync at the end is short.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import http.client
import logging
import os
import sys
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import BinaryIO

import requests
import urllib3

from launcher.core.cancel import Cancelled, connections_watched, end_socket, holding, interrupting
from launcher.core.errors import LauncherError
from launcher.core.fsutil import open_for_reading, remove_file, replace_file
from launcher.core.http import check_url, map_request_error
from launcher.core.manifest import Artifact
from launcher.core.paths import make_private_dir
from launcher.core.unique_names import create_file

log = logging.getLogger(__name__)

CHUNK = 256 << 10  # 3 of these in the ring: a bigger chunk only raises the peak memory, not the speed
RING = 3  # buffers: one filling from the socket while up to two are being hashed
WRITEBACK_EVERY = 8 << 20
MAX_INTERRUPTIONS = 5
_EXT = {"exe": ".exe", "dmg": ".dmg", "tar.gz": ".tar.gz"}
_WIN_LOCKED = {32, 33}  # ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION


@dataclass(frozen=True)
class Progress:
    done: int
    total: int
    bytes_per_s: float
    eta_s: float | None


CACHED_PREFIX = "TeamViewerQS-"
# A download in progress rewrites its .part all the time; one untouched this long was left by a launcher that
# was killed or lost power mid-download.
STALE_PART_S = 3600.0


def final_path(artifact: Artifact, cache_dir: Path) -> Path:
    return Path(cache_dir) / f"{CACHED_PREFIX}{artifact.version}-{artifact.sha256[:16]}{_EXT[artifact.kind]}"


def prune_cache(cache_dir: Path, keep: Path, *, now: float | None = None) -> list[Path]:
    """Remove the QuickSupport builds in `cache_dir` other than `keep` (each manifest update downloads a new
    one, ~30-70 MB) and partial downloads untouched for STALE_PART_S seconds. A file another launcher holds
    (Windows) or that is already gone is skipped; files of other names are never touched. Returns what was
    removed."""
    now = time.time() if now is None else now
    removed = []
    try:
        entries = list(Path(cache_dir).iterdir())
    except OSError:
        return removed
    for path in entries:
        name = path.name
        old_build = name.startswith(CACHED_PREFIX) and path != keep
        stale_part = name.startswith("." + CACHED_PREFIX) and name.endswith(".part")
        try:
            if not path.is_file() or path.is_symlink():
                continue
            if stale_part and now - path.stat().st_mtime < STALE_PART_S:
                continue
            if old_build or stale_part:
                remove_file(path)
                removed.append(path)
        except OSError as exc:  # held by another launcher, or removed by it first: next time
            log.info("cache: %s not removed: %s", path, exc)
    if removed:
        log.info("cache: removed %s", ", ".join(p.name for p in removed))
    return removed


def map_os_error(exc: OSError, where: Path) -> LauncherError:
    """Disk full, read-only, locked: each its own code."""
    detail = f"{where}: {exc}"
    if getattr(exc, "winerror", None) in _WIN_LOCKED:
        return LauncherError("DL-LOCKED", detail)
    if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return LauncherError("DL-DISK-FULL", detail)
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        if sys.platform == "win32" and isinstance(exc, PermissionError) and where.exists():
            return LauncherError("DL-LOCKED", detail)  # Windows: an open handle (antivirus) blocks it
        return LauncherError("DL-READONLY", detail)
    if exc.errno in (errno.EBUSY, errno.ETXTBSY):
        return LauncherError("DL-LOCKED", detail)
    return LauncherError("DL-READONLY", detail)


def _unlink(path: Path) -> None:
    """Remove a file of the download's own (read-only attribute and all), if it can be; never raises."""
    with contextlib.suppress(OSError):
        remove_file(path, missing_ok=True)


def _matches(path: Path, artifact: Artifact) -> bool:
    try:
        if path.stat().st_size != artifact.size:
            return False
        digest = hashlib.sha256()
        with open(path, "rb") as fh:
            while chunk := fh.read(CHUNK):
                digest.update(chunk)
        return digest.hexdigest() == artifact.sha256
    except OSError:
        return False


class _Meter:
    def __init__(self, total: int, callback: Callable[[Progress], None] | None) -> None:
        self.total, self.callback = total, callback
        self.start = time.monotonic()
        self.base = 0  # bytes already on disk when this run started (resume)
        self.last = 0.0

    def report(self, done: int, force: bool = False) -> None:
        if self.callback is None:
            return
        now = time.monotonic()
        if not force and now - self.last < 0.1:
            return
        self.last = now
        elapsed = max(now - self.start, 1e-6)
        speed = max(done - self.base, 0) / elapsed
        eta = (self.total - done) / speed if speed > 0 else None
        self.callback(Progress(done=done, total=self.total, bytes_per_s=speed, eta_s=eta))


def _validator(resp: requests.Response) -> str | None:
    etag = resp.headers.get("ETag")
    if etag and not etag.startswith("W/"):
        return etag
    return resp.headers.get("Last-Modified")


def _range_start(resp: requests.Response) -> int | None:
    value = resp.headers.get("Content-Range", "")
    if not value.startswith("bytes ") or "-" not in value:
        return None
    try:
        return int(value[6:].split("-", 1)[0])
    except ValueError:
        return None


def _declared_length(resp: requests.Response) -> int | None:
    try:
        return int(resp.headers["Content-Length"])
    except (KeyError, ValueError):
        return None


class _HashPipe:
    """sha256 on one helper thread, fed from a ring of reusable buffers in download order.

    A buffer is handed out for refilling only after its previous contents were hashed; `hexdigest` waits
    for everything fed so far. hashlib releases the GIL on large updates, so hashing overlaps the download.
    """

    def __init__(self) -> None:
        self.sha = hashlib.sha256()
        self._buffers = [bytearray(CHUNK) for _ in range(RING)]
        self._pending: list[Future[None] | None] = [None] * RING
        self._next = 0
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="download-sha256")

    def buffer(self) -> bytearray:
        """The next free buffer (waits until its previous contents are hashed)."""
        slot = self._next % RING
        if (pending := self._pending[slot]) is not None:
            pending.result()
            self._pending[slot] = None
        return self._buffers[slot]

    def feed(self, data: bytes | memoryview) -> None:
        """Hash `data` next; call `buffer()` once before each feed so the ring slot is free."""
        self._pending[self._next % RING] = self._pool.submit(self.sha.update, data)
        self._next += 1

    def _drain(self) -> None:
        for slot, pending in enumerate(self._pending):
            if pending is not None:
                pending.result()
                self._pending[slot] = None

    def reset(self) -> None:
        self._drain()
        self.sha = hashlib.sha256()

    def hexdigest(self) -> str:
        self._drain()
        return self.sha.hexdigest()

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


def _body_reader(resp: requests.Response, pipe: _HashPipe) -> Callable[[], bytes | memoryview]:
    """A function returning the next piece of the body exactly as sent (empty at its end).

    The bytes are hashed as they came over the wire, never content-decoded: we ask for `identity`, and a
    server that labels a stored `.tar.gz` `Content-Encoding: gzip` (or `br`, `deflate`) still sends the
    signed file's bytes; decoding them would hash something else. Transfer-Encoding chunked is undone (it
    is framing, not content).

    Fast path: http.client's readinto (under urllib3) into the pipe's buffers. A broken connection is
    raised as requests raises it (ChunkedEncodingError, or ConnectionError "Read timed out"), and a body
    shorter than its Content-Length counts as broken, as urllib3 treats it (resume points stay whole
    chunks). Without a raw readinto, urllib3's stream with decode_content=False.
    """
    raw = getattr(resp.raw, "_fp", None)
    readinto = getattr(raw, "readinto", None)
    if readinto is None:
        chunks = resp.raw.stream(CHUNK, decode_content=False)

        def next_chunk() -> bytes:
            pipe.buffer()  # keeps at most RING chunks waiting for the hasher
            return next(chunks, b"")

        return next_chunk

    def read_into() -> memoryview:
        buf = pipe.buffer()
        try:
            n = readinto(buf)
        except TimeoutError as exc:
            raise requests.exceptions.ConnectionError(f"Read timed out: {exc}") from exc
        except (OSError, http.client.HTTPException) as exc:
            raise requests.exceptions.ChunkedEncodingError(f"Connection broken: {exc!r}") from exc
        if n < len(buf) and getattr(raw, "length", None):
            # a read stops short only at end of stream: the connection ended before the body did. Broken, as
            # urllib3 reports it; like urllib3 the partial piece is dropped (the resume fetches it again)
            raise requests.exceptions.ChunkedEncodingError(f"IncompleteRead: {raw.length} bytes missing")
        return memoryview(buf)[:n]

    return read_into


def _writeback_hint() -> Callable[[int, int, int], object] | None:
    """Linux: sync_file_range(SYNC_FILE_RANGE_WRITE) starts writing a range to disk without waiting."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        func = ctypes.CDLL(None, use_errno=True).sync_file_range
    except (OSError, AttributeError):
        return None
    func.argtypes = [ctypes.c_int, ctypes.c_int64, ctypes.c_int64, ctypes.c_uint]
    func.restype = ctypes.c_int
    return lambda fd, offset, length: func(fd, offset, length, 2)


_WRITEBACK = _writeback_hint()


def stop_reading(resp: requests.Response) -> None:
    """End a read of `resp`'s body that another thread is blocked in; that read then fails at once.

    urllib3's `HTTPResponse.shutdown()` shuts the socket's reading side, which wakes the blocked read on Linux
    and macOS. Windows does not wake it (python/cpython#91913; Wine neither: tests/faults/
    test_abandoned_download.py runs in the Windows lane): there the socket is closed as well
    (`cancel.end_socket`: detached, then closesocket). Never raises: a connection already gone has nothing left
    to end. Before the headers, the connection itself is ended (`cancel.connections_watched`)."""
    raw = resp.raw
    with contextlib.suppress(OSError, ValueError):
        raw.shutdown()
    if sys.platform == "win32":
        end_socket(getattr(getattr(raw, "connection", None), "sock", None))


def _stream(
    session: requests.Session, artifact: Artifact, fh: BinaryIO, meter: _Meter, cancel: threading.Event | None
) -> str:
    """Fill `fh` with the artifact's bytes (resuming when the connection breaks); returns the sha256."""
    pipe = _HashPipe()
    try:
        return _stream_into(session, artifact, fh, meter, cancel, pipe)
    finally:
        pipe.close()


_BROKEN = (requests.exceptions.ChunkedEncodingError, requests.exceptions.ConnectionError, urllib3.exceptions.HTTPError)


def _stream_into(
    session: requests.Session, artifact: Artifact, fh: BinaryIO, meter: _Meter, cancel: threading.Event | None,
    pipe: _HashPipe,
) -> str:
    done = 0
    validator: str | None = None
    interruptions = 0
    flushed = 0  # bytes already handed to the kernel's writeback (a hint; the final fsync is the guarantee)

    def start_over() -> None:
        nonlocal done, flushed
        fh.seek(0)
        fh.truncate()
        pipe.reset()
        done = flushed = 0

    while True:
        if cancel is not None and cancel.is_set():
            raise LauncherError("DL-CANCELLED", "cancelled before request")
        headers = {}
        if done and validator:
            headers = {"Range": f"bytes={done}-", "If-Range": validator}
        try:
            # Anuluj also ends a connection whose server is silent before its answer's headers (or its TLS
            # handshake), at once rather than at the read timeout
            with connections_watched(cancel):
                resp = session.get(artifact.url, headers=headers, stream=True)
        except LauncherError:
            raise
        except (requests.RequestException, Cancelled) as exc:
            if cancel is not None and cancel.is_set():  # the request its cancel ended or refused
                raise LauncherError("DL-CANCELLED", f"cancelled at {done} of {artifact.size} bytes") from exc
            raise map_request_error(exc) from exc
        # Anuluj, a closed window or an exit ends a read blocked on a server that stopped sending at once, from
        # the cancelling thread, instead of at the server's next chunk or the timeout
        with resp, interrupting(cancel, partial(stop_reading, resp)):
            if resp.status_code == 206 and headers and _range_start(resp) == done:
                pass  # resumed where we stopped
            elif resp.status_code == 200:
                if done:  # the server ignored Range (or the file changed): start over
                    start_over()
                    meter.base = 0
            else:
                raise LauncherError("NET-HTTP", f"HTTP {resp.status_code} for {artifact.url}")
            validator = _validator(resp) or validator
            declared = _declared_length(resp)
            if declared is not None and done + declared > artifact.size:
                raise LauncherError("DL-SIZE", f"server announces {done + declared} > {artifact.size} bytes")
            read = _body_reader(resp, pipe)
            try:
                while chunk := read():
                    if cancel is not None and cancel.is_set():
                        raise LauncherError("DL-CANCELLED", f"cancelled at {done} of {artifact.size} bytes")
                    if done + len(chunk) > artifact.size:
                        raise LauncherError("DL-SIZE", f"more than the {artifact.size} bytes in the manifest")
                    fh.write(chunk)
                    pipe.feed(chunk)
                    done += len(chunk)
                    if _WRITEBACK is not None and done - flushed >= WRITEBACK_EVERY:
                        fh.flush()
                        _WRITEBACK(fh.fileno(), flushed, done - flushed)
                        flushed = done
                    meter.report(done)
            except LauncherError:
                raise
            except Exception as exc:
                if cancel is not None and cancel.is_set():  # the read its cancel cut short, however it ended
                    raise LauncherError("DL-CANCELLED", f"cancelled at {done} of {artifact.size} bytes") from exc
                if not isinstance(exc, _BROKEN):
                    raise
                interruptions += 1
                if interruptions > MAX_INTERRUPTIONS:
                    raise map_request_error(exc) from exc
                if not validator:
                    start_over()
                continue
            if cancel is not None and cancel.is_set():  # a shut read side can look like the body's end
                raise LauncherError("DL-CANCELLED", f"cancelled at {done} of {artifact.size} bytes")
        meter.report(done, force=True)
        if done != artifact.size:
            raise LauncherError("DL-SIZE", f"got {done} bytes, manifest says {artifact.size}")
        return pipe.hexdigest()


def ensure_artifact(
    session: requests.Session,
    artifact: Artifact,
    cache_dir: Path,
    *,
    progress: Callable[[Progress], None] | None = None,
    cancel: threading.Event | None = None,
    allowed_hosts: Sequence[str] | None = None,
) -> Path:
    """The verified artifact in `cache_dir`: reused if it still matches, else downloaded and checked.

    `cancel` set: DL-CANCELLED, the partial file removed by this thread. A plain Event is looked at between
    chunks; a `launcher.core.cancel.Cancel` also shuts the body's read at once when set, and holds the partial
    file until it is renamed into place, for an exiting caller's `Cancel.remove_partials()`."""
    check_url(artifact.url, allowed_hosts)
    cache_dir = Path(cache_dir)
    final = final_path(artifact, cache_dir)
    try:
        cache_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        if sys.platform != "win32":
            os.chmod(cache_dir, 0o700)
    except OSError as exc:
        raise map_os_error(exc, cache_dir) from exc
    if sys.platform == "win32":  # its private access list, which the partial and the verified file inherit
        make_private_dir(cache_dir)  # APP-DATA-DIR where a cache outside the user's profile cannot be private
    if final.exists():
        if _matches(final, artifact):
            if progress is not None:
                progress(Progress(done=artifact.size, total=artifact.size, bytes_per_s=0.0, eta_s=0.0))
            prune_cache(cache_dir, final)
            return final
        try:
            remove_file(final)
        except OSError as exc:
            raise map_os_error(exc, final) from exc
    # a partial file of this download's own (owner-only): one given up on (Anuluj, a closed window) may still
    # be ending on its thread while the next attempt downloads beside it, and each removes only its own
    try:
        fd, part = create_file(cache_dir, f".{final.name}.", ".part")  # not tempfile.mkstemp: see unique_names
    except OSError as exc:
        raise map_os_error(exc, final.with_name(f".{final.name}.part")) from exc
    try:
        fh = os.fdopen(fd, "wb")
    except BaseException:
        os.close(fd)
        _unlink(part)
        raise
    try:
        # held until it is renamed into place: an exit that no longer waits for this thread removes it (a cancel
        # that is a launcher.core.cancel.Cancel); before the rename it is a partial file, after it nothing
        with holding(cancel, part, fh):
            with fh:
                sha = _stream(session, artifact, fh, _Meter(artifact.size, progress), cancel)
                if sha != artifact.sha256:
                    raise LauncherError("DL-HASH", f"sha256 {sha} != manifest {artifact.sha256}")
                try:
                    fh.flush()
                    os.fsync(fh.fileno())
                except OSError as exc:
                    raise map_os_error(exc, part) from exc
            try:
                replace_file(part, final)  # Windows: a scanner opening the new file may hold it for a moment
            except OSError as exc:
                raise map_os_error(exc, final) from exc
    except OSError as exc:  # a write inside the stream
        _unlink(part)
        raise map_os_error(exc, part) from exc
    except BaseException:
        _unlink(part)
        raise
    prune_cache(cache_dir, final)
    return final


def open_verified(path: Path, artifact: Artifact) -> BinaryIO:
    """Re-hash `path` now, return the same open handle at offset 0. DL-TAMPERED (file deleted) if changed."""
    path = Path(path)
    try:
        fh = open_for_reading(path, others_may_change_it=False)  # nobody changes it between check and use
    except FileNotFoundError as exc:
        raise LauncherError("DL-TAMPERED", f"{path} is gone") from exc
    except OSError as exc:
        raise map_os_error(exc, path) from exc
    try:
        digest, size = hashlib.sha256(), 0
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
        if size != artifact.size or digest.hexdigest() != artifact.sha256:
            fh.close()
            _unlink(path)
            raise LauncherError("DL-TAMPERED", f"{path}: {size} bytes, sha256 {digest.hexdigest()}")
        fh.seek(0)
        return fh
    except OSError as exc:
        fh.close()
        raise map_os_error(exc, path) from exc
    except BaseException:
        if not fh.closed:
            fh.close()
        raise
