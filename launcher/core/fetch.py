"""The whole supply-chain pipeline: signed manifest -> rollback check -> download -> hash -> publisher.

Used by the CLI (`fetch`, `verify FILE`) and the UI. Raises LauncherError only.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from pathlib import Path

import requests

from launcher.config import Config
from launcher.core.cancel import Cancel, Cancelled, connections_watched, interrupting
from launcher.core.download import Progress, ensure_artifact, stop_reading
from launcher.core.errors import LauncherError
from launcher.core.http import check_url, make_session, map_request_error
from launcher.core.manifest import (
    MAX_MANIFEST_BYTES,
    Artifact,
    Manifest,
    SerialStore,
    check_expiry,
    decode_public_keys,
    verify_and_parse,
)
from launcher.core.paths import AppPaths, make_private_dir
from launcher.core.publisher import check_publisher

log = logging.getLogger(__name__)
MAX_SIG_BYTES = 4096
VERIFY_CHUNK = 1 << 20  # `verify FILE` hashes this much between two looks at its stop


@dataclass(frozen=True)
class VerifiedArtifact:
    path: Path
    artifact: Artifact
    manifest: Manifest


def _get_small(session: requests.Session, url: str, limit: int, *, missing_code: str,
               cancel: threading.Event | None = None) -> bytes:
    """`url`'s body of at most `limit` bytes. `cancel` (a `launcher.core.cancel.Cancel`): setting it ends the
    request at once, as a download's: the connection while its server is silent before the headers (or its TLS
    handshake), the body's read once they are in. Only the name lookup and the TCP connect run on to their
    timeout (a caller that exits does not wait for them)."""
    if cancel is not None and cancel.is_set():
        raise LauncherError("DL-CANCELLED", f"cancelled before {url}")
    try:
        with connections_watched(cancel), session.get(url, stream=True) as resp, \
                interrupting(cancel, partial(stop_reading, resp)):
            if resp.status_code in (404, 410):
                raise LauncherError(missing_code, f"HTTP {resp.status_code} for {url}")
            if resp.status_code != 200:
                raise LauncherError("NET-HTTP", f"HTTP {resp.status_code} for {url}")
            data = b""
            for chunk in resp.iter_content(64 * 1024):
                data += chunk
                if len(data) > limit:
                    raise LauncherError("MAN-FORMAT", f"{url} is larger than {limit} bytes")
            if cancel is not None and cancel.is_set():  # a shut read side can look like the body's end
                raise LauncherError("DL-CANCELLED", f"cancelled reading {url}")
            return data
    except LauncherError:
        raise
    except (requests.RequestException, Cancelled) as exc:
        if cancel is not None and cancel.is_set():  # the request or read its cancel cut short, however it ended
            raise LauncherError("DL-CANCELLED", f"cancelled reading {url}") from exc
        raise map_request_error(exc) from exc


def fetch_manifest(
    config: Config, paths: AppPaths, *, session: requests.Session | None = None, now: datetime | None = None,
    cancel: threading.Event | None = None,
) -> Manifest:
    """Download manifest + .sig, verify before parsing, refuse expired and rolled-back manifests. `cancel`: as
    `_get_small` takes it (DL-CANCELLED once set)."""
    if not decode_public_keys(config.manifest.public_keys):
        raise LauncherError("MAN-NOKEY", "manifest.public_keys holds no valid key: refusing to download")
    allowed = config.download.allowed_hosts
    url = config.manifest.url
    check_url(url, allowed)
    own = session is None
    session = session or make_session(config.download, allowed_hosts=allowed)
    try:
        data = _get_small(session, url, MAX_MANIFEST_BYTES, missing_code="NET-HTTP", cancel=cancel)
        signature = _get_small(session, url + ".sig", MAX_SIG_BYTES, missing_code="MAN-SIG", cancel=cancel)
    finally:
        if own:
            session.close()
    from launcher import __version__

    manifest = verify_and_parse(data, signature, config.manifest.public_keys, now=now,
                                launcher_version=__version__)
    make_private_dir(paths.data)
    SerialStore(paths.manifest_state_file).accept(manifest)
    log.info("manifest serial %d verified, expires %s", manifest.serial, manifest.expires.isoformat())
    return manifest


@dataclass
class PrefetchedManifest:
    """A signed manifest fetched ahead of its download, with the HTTP session it came over: the download
    that follows reuses that session's open connection instead of making a new one (a TLS handshake)."""

    manifest: Manifest
    session: requests.Session

    def close(self) -> None:
        """Close the connection when the manifest will not be used (the check failed, the window closed)."""
        self.session.close()


def prefetch_manifest(config: Config, paths: AppPaths, *,
                      cancel: threading.Event | None = None) -> PrefetchedManifest:
    """The signed manifest alone, verified and accepted as `fetch_manifest` does it, on a session kept open
    for `fetch_quicksupport(..., prefetched=)`. Run beside the connection check, so that a passing check
    goes straight to the download; a caller whose check fails closes it, and one whose prefetch failed
    fetches again after the check, where the error is the download step's to show. `cancel`: as
    `fetch_manifest` takes it. Raises LauncherError only."""
    session: requests.Session | None = None
    try:
        session = make_session(config.download, allowed_hosts=config.download.allowed_hosts)
        return PrefetchedManifest(fetch_manifest(config, paths, session=session, cancel=cancel), session)
    except Exception as exc:  # the contract: LauncherError only (ManifestAhead's thread always answers)
        if session is not None:
            session.close()
        if isinstance(exc, LauncherError):
            raise
        raise LauncherError("APP-INTERNAL", f"{type(exc).__name__}: {exc}") from exc


class ManifestAhead:
    """`prefetch_manifest` on a daemon thread of its own, started now: the window and the `session` command
    fetch the manifest while the connection is checked.

    A daemon thread rather than a pool: when the network is down its answer can take long (a stuck
    resolver, retries) and is no longer wanted; it must hold up neither other work nor the program's exit.
    `on_answer(self)` is called on that thread when the answer is there. `take` hands the manifest over
    once; `drop` closes its connection now, or when it comes, if nobody will use it, and ends a fetch still
    under way at once (a server silent before its answer held it, and its connection, until the read timeout)."""

    def __init__(self, config: Config, paths: AppPaths,
                 on_answer: Callable[[ManifestAhead], None] | None = None) -> None:
        self._answer: PrefetchedManifest | LauncherError | None = None
        self._dropped = False
        self._cancel = Cancel()  # set by drop(): the fetch still under way is not wanted
        self._lock = threading.Lock()
        self.done = threading.Event()
        self._on_answer = on_answer
        threading.Thread(target=self._fetch, args=(config, paths), name="manifest ahead", daemon=True).start()

    def _fetch(self, config: Config, paths: AppPaths) -> None:
        answer: PrefetchedManifest | LauncherError
        try:
            answer = prefetch_manifest(config, paths, cancel=self._cancel)
        except LauncherError as exc:
            answer = exc
        with self._lock:
            dropped = self._dropped
            if not dropped:
                self._answer = answer
        if dropped:
            _close_unused(answer)
        self.done.set()
        if self._on_answer is not None and not dropped:
            self._on_answer(self)

    def take(self) -> PrefetchedManifest | LauncherError | None:
        """The answer once it is there (None before, and after it was taken or dropped): the caller now
        closes it, or hands it to `fetch_quicksupport`."""
        with self._lock:
            answer, self._answer = self._answer, None
            if answer is not None:
                self._dropped = True  # taken: a second take or a drop finds nothing
        return answer

    def drop(self) -> None:
        """Not wanted any more (the check failed, it was retried, the window closed)."""
        with self._lock:
            self._dropped = True
            answer, self._answer = self._answer, None
        self._cancel.set()  # a fetch under way ends now (its answer, an error, is then closed unused)
        _close_unused(answer)


def _expired(manifest: Manifest, now: datetime | None) -> bool:
    try:
        check_expiry(manifest, now)
    except LauncherError:
        return True
    return False


def _close_unused(answer: PrefetchedManifest | LauncherError | None) -> None:
    if isinstance(answer, PrefetchedManifest):
        answer.close()


def fetch_quicksupport(
    config: Config,
    paths: AppPaths,
    *,
    progress: Callable[[Progress], None] | None = None,
    cancel: threading.Event | None = None,
    now: datetime | None = None,
    session: requests.Session | None = None,
    prefetched: PrefetchedManifest | None = None,
    on_manifest: Callable[[Manifest], None] | None = None,
) -> VerifiedArtifact:
    """Signed manifest -> this platform's artifact -> verified file in the private cache.

    `prefetched`: the manifest `prefetch_manifest` already fetched and verified; its session is used for
    the download and closed here (`session` is then ignored). One that has expired since (at `now`) is
    fetched again, as without it. `on_manifest(manifest)`: called on this thread with the manifest the
    download goes by (the prefetched one, or the one fetched here), verified and accepted, before the
    download: a caller whose download then fails still knows which manifest it was (the report names it).
    `cancel`: as `download.ensure_artifact` takes it (a `launcher.core.cancel.Cancel` ends a stalled read at
    once), the manifest's reads too (`fetch_manifest`)."""
    allowed = config.download.allowed_hosts
    if prefetched is not None:
        session, own = prefetched.session, True
    else:
        own = session is None
        session = session or make_session(config.download, allowed_hosts=allowed)
    try:
        manifest = prefetched.manifest if prefetched is not None else None
        if manifest is not None and _expired(manifest, now):
            # the check outlasted what was left of its validity: the vendor's newer one is fetched
            log.info("the manifest fetched ahead (serial %d) expired before its download: fetching it again",
                     manifest.serial)
            manifest = None
        if manifest is None:
            manifest = fetch_manifest(config, paths, session=session, now=now, cancel=cancel)
        if on_manifest is not None:
            on_manifest(manifest)
        artifact = manifest.artifact_for()
        if cancel is not None and cancel.is_set():
            raise LauncherError("DL-CANCELLED", "cancelled after the manifest")
        path = ensure_artifact(session, artifact, paths.cache, progress=progress, cancel=cancel,
                               allowed_hosts=allowed)
    except LauncherError:
        raise
    except Exception as exc:  # the contract: LauncherError only
        raise LauncherError("APP-INTERNAL", f"{type(exc).__name__}: {exc}") from exc
    finally:
        if own:
            session.close()
    log.info("publisher: %s", check_publisher(path, artifact))
    return VerifiedArtifact(path=path, artifact=artifact, manifest=manifest)


def verify_local_file(path: Path, config: Config, paths: AppPaths, *,
                      cancel: threading.Event | None = None) -> VerifiedArtifact:
    """`verify FILE`: the file's size, sha256 and publisher against this platform's signed artifact.

    The file is never deleted here: it is the operator's. Errors: the manifest's (MAN-*, NET-*),
    APP-FILE-UNREADABLE (locked by another program or an antivirus, no access), APP-VERIFY-MISMATCH (size
    or sha256 differ), APP-VERIFY-PUBLISHER (no valid signature of the manifest's publisher). `cancel`: the
    manifest's reads as `fetch_manifest` takes it; the file's hash looks at it between chunks (DL-CANCELLED), so
    that a stop mid-hash ends the work at once rather than after the whole file (a large one took longer than an
    exiting command waits, cancel.EXIT_WAIT_S).
    """
    path = Path(path)
    manifest = fetch_manifest(config, paths, cancel=cancel)
    artifact = manifest.artifact_for()
    digest, size = hashlib.sha256(), 0
    try:
        with open(path, "rb") as fh:
            while chunk := fh.read(VERIFY_CHUNK):
                if cancel is not None and cancel.is_set():
                    log.info("verify: stopped after hashing %d bytes of %s", size, path)
                    raise LauncherError("DL-CANCELLED", f"stopped after hashing {size} bytes of {path}")
                digest.update(chunk)
                size += len(chunk)
    except OSError as exc:
        raise LauncherError("APP-FILE-UNREADABLE", f"cannot read {path}: {exc}") from exc
    if size != artifact.size:
        raise LauncherError("APP-VERIFY-MISMATCH", f"{path}: {size} bytes, manifest says {artifact.size}")
    if digest.hexdigest() != artifact.sha256:
        raise LauncherError("APP-VERIFY-MISMATCH", f"{path}: sha256 {digest.hexdigest()} != {artifact.sha256}")
    try:
        log.info("publisher: %s", check_publisher(path, artifact, delete_on_failure=False))
    except LauncherError as exc:
        if exc.code != "DL-PUBLISHER":
            raise
        raise LauncherError("APP-VERIFY-PUBLISHER", exc.detail) from exc
    return VerifiedArtifact(path=path, artifact=artifact, manifest=manifest)
