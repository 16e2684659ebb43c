"""Streaming, resumable, size-capped artifact download with sha256 on the fly and an atomic rename.

Nothing half-written or unverified is ever at the final path: bytes go to a temp name, the size is
capped at the manifest's size while streaming, and only a file whose size and sha256 match is moved
into place with os.replace. Before launch, `open_verified` re-hashes and hands back the very handle
it hashed, so the bytes run are the bytes checked.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import requests
import urllib3

from launcher.core.errors import LauncherError
from launcher.core.http import check_url, map_request_error
from launcher.core.manifest import Artifact

CHUNK = 1 << 20
MAX_INTERRUPTIONS = 5
_EXT = {"exe": ".exe", "dmg": ".dmg", "tar.gz": ".tar.gz"}
_WIN_LOCKED = {32, 33}  # ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION


@dataclass(frozen=True)
class Progress:
    done: int
    total: int
    bytes_per_s: float
    eta_s: float | None


def final_path(artifact: Artifact, cache_dir: Path) -> Path:
    return Path(cache_dir) / f"TeamViewerQS-{artifact.version}-{artifact.sha256[:16]}{_EXT[artifact.kind]}"


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
    with contextlib.suppress(OSError):
        path.unlink()


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


def _stream(
    session: requests.Session, artifact: Artifact, fh: BinaryIO, meter: _Meter, cancel: threading.Event | None
) -> str:
    """Fill `fh` with the artifact's bytes (resuming when the connection breaks); returns the sha256."""
    digest = hashlib.sha256()
    done = 0
    validator: str | None = None
    interruptions = 0
    while True:
        if cancel is not None and cancel.is_set():
            raise LauncherError("DL-CANCELLED", "cancelled before request")
        headers = {}
        if done and validator:
            headers = {"Range": f"bytes={done}-", "If-Range": validator}
        try:
            resp = session.get(artifact.url, headers=headers, stream=True)
        except LauncherError:
            raise
        except requests.RequestException as exc:
            raise map_request_error(exc) from exc
        with resp:
            if resp.status_code == 206 and headers and _range_start(resp) == done:
                pass  # resumed where we stopped
            elif resp.status_code == 200:
                if done:  # the server ignored Range (or the file changed): start over
                    fh.seek(0)
                    fh.truncate()
                    digest, done = hashlib.sha256(), 0
                    meter.base = 0
            else:
                raise LauncherError("NET-HTTP", f"HTTP {resp.status_code} for {artifact.url}")
            validator = _validator(resp) or validator
            declared = _declared_length(resp)
            if declared is not None and done + declared > artifact.size:
                raise LauncherError("DL-SIZE", f"server announces {done + declared} > {artifact.size} bytes")
            try:
                for chunk in resp.iter_content(CHUNK):
                    if cancel is not None and cancel.is_set():
                        raise LauncherError("DL-CANCELLED", f"cancelled at {done} of {artifact.size} bytes")
                    if done + len(chunk) > artifact.size:
                        raise LauncherError("DL-SIZE", f"more than the {artifact.size} bytes in the manifest")
                    fh.write(chunk)
                    digest.update(chunk)
                    done += len(chunk)
                    meter.report(done)
            except (requests.exceptions.ChunkedEncodingError, requests.exceptions.ConnectionError,
                    urllib3.exceptions.HTTPError) as exc:
                interruptions += 1
                if interruptions > MAX_INTERRUPTIONS:
                    raise map_request_error(exc) from exc
                if not validator:
                    fh.seek(0)
                    fh.truncate()
                    digest, done = hashlib.sha256(), 0
                continue
        meter.report(done, force=True)
        if done != artifact.size:
            raise LauncherError("DL-SIZE", f"got {done} bytes, manifest says {artifact.size}")
        return digest.hexdigest()


def ensure_artifact(
    session: requests.Session,
    artifact: Artifact,
    cache_dir: Path,
    *,
    progress: Callable[[Progress], None] | None = None,
    cancel: threading.Event | None = None,
    allowed_hosts: Sequence[str] | None = None,
) -> Path:
    """The verified artifact in `cache_dir`: reused if it still matches, else downloaded and checked."""
    check_url(artifact.url, allowed_hosts)
    cache_dir = Path(cache_dir)
    final = final_path(artifact, cache_dir)
    try:
        cache_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        if sys.platform != "win32":
            os.chmod(cache_dir, 0o700)
    except OSError as exc:
        raise map_os_error(exc, cache_dir) from exc
    if final.exists():
        if _matches(final, artifact):
            if progress is not None:
                progress(Progress(done=artifact.size, total=artifact.size, bytes_per_s=0.0, eta_s=0.0))
            return final
        try:
            final.unlink()
        except OSError as exc:
            raise map_os_error(exc, final) from exc
    part = final.with_name(f".{final.name}.part")
    _unlink(part)
    try:
        try:
            fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0), 0o600)
        except OSError as exc:
            raise map_os_error(exc, part) from exc
        with os.fdopen(fd, "wb") as fh:
            sha = _stream(session, artifact, fh, _Meter(artifact.size, progress), cancel)
            if sha != artifact.sha256:
                raise LauncherError("DL-HASH", f"sha256 {sha} != manifest {artifact.sha256}")
            try:
                fh.flush()
                os.fsync(fh.fileno())
            except OSError as exc:
                raise map_os_error(exc, part) from exc
        try:
            os.replace(part, final)
        except OSError as exc:
            raise map_os_error(exc, final) from exc
    except OSError as exc:  # a write inside the stream
        _unlink(part)
        raise map_os_error(exc, part) from exc
    except BaseException:
        _unlink(part)
        raise
    return final


def _open_exclusive(path: Path) -> BinaryIO:
    """Open for reading; on Windows deny other writers/deleters while we hold the handle."""
    if sys.platform != "win32":
        return open(path, "rb")  # noqa: SIM115 - the caller owns the handle
    import ctypes
    import msvcrt
    from ctypes import wintypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    kernel32.CreateFileW.restype = wintypes.HANDLE
    kernel32.CreateFileW.argtypes = [wintypes.LPCWSTR, wintypes.DWORD, wintypes.DWORD, wintypes.LPVOID,
                                     wintypes.DWORD, wintypes.DWORD, wintypes.HANDLE]
    generic_read, share_read, open_existing = 0x80000000, 0x1, 3
    handle = kernel32.CreateFileW(str(path), generic_read, share_read, None, open_existing, 0x80, None)
    if handle in (None, wintypes.HANDLE(-1).value):
        err = ctypes.get_last_error()
        raise OSError(errno.EACCES, ctypes.FormatError(err), str(path), err)
    fd = msvcrt.open_osfhandle(handle, os.O_RDONLY | os.O_BINARY)
    return os.fdopen(fd, "rb")


def open_verified(path: Path, artifact: Artifact) -> BinaryIO:
    """Re-hash `path` now, return the same open handle at offset 0. DL-TAMPERED (file deleted) if changed."""
    path = Path(path)
    try:
        fh = _open_exclusive(path)
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
