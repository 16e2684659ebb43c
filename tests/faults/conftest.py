"""Fixtures for the supply-chain fault-injection suite: a loopback server, a signing key, a publisher."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from launcher.config import Config, load_config
from launcher.core.fetch import PrefetchedManifest
from launcher.core.http import make_session
from launcher.core.manifest import KIND_FOR_OS, current_platform_key
from launcher.core.manifest_signing import artifact_entry, build_manifest, generate_keypair, sign
from launcher.core.paths import AppPaths, app_paths
from tests.support.loopback_http import LoopbackServer, Reply

MANIFEST_PATH = "/pomoc/quicksupport.json"
ARTIFACT_PATH = "/qs/artifact.bin"


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    with LoopbackServer() as srv:
        yield srv


@pytest.fixture(scope="session")
def tls_cert(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 made with the openssl CLI (untrusted by the OS store). The
    Windows lane has no openssl for its Windows Python: it issues one from its test root (trusted by the
    prefix's store) with Linux's and names its folder in OVERMAX_TEST_TLS_DIR (scripts/windows-lane.sh)."""
    made = _lane_tls_dir()
    if made is not None:
        return made / "cert.pem", made / "key.pem"
    if not shutil.which("openssl"):
        pytest.skip("openssl CLI not installed")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
         "-keyout", str(key), "-out", str(cert), "-days", "2", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
         "-addext", "basicConstraints=critical,CA:true"],
        check=True, capture_output=True, timeout=60,
    )
    return cert, key


def _lane_tls_dir() -> Path | None:
    folder = os.environ.get("OVERMAX_TEST_TLS_DIR", "")
    if folder and (Path(folder) / "cert.pem").is_file() and (Path(folder) / "key.pem").is_file():
        return Path(folder)
    return None


@pytest.fixture
def tls_extra_ca(tls_cert: tuple[Path, Path]) -> Path | None:
    """The CA file a download session adds for `tls_cert` (make_session's extra_ca_file); None where the OS
    store trusts it already (the Windows lane's certificate, issued from the lane's trusted test root)."""
    return None if _lane_tls_dir() is not None else tls_cert[0]


@pytest.fixture
def tls_server(tls_cert: tuple[Path, Path]) -> Iterator[LoopbackServer]:
    with LoopbackServer(tls=tls_cert) as srv:
        yield srv


class Supply:
    """Publishes a signed manifest + artifact on the loopback server, like the vendor would."""

    def __init__(self, server: LoopbackServer, tmp: Path) -> None:
        self.server = server
        self.tmp = tmp
        self.private, self.public = generate_keypair()
        self.platform = current_platform_key()
        self.body = os.urandom(300_000)
        self.paths: AppPaths = app_paths(str(tmp / "data"))
        self.serial = 10

    def entry(self, body: bytes | None = None, url: str | None = None, **extra: str) -> dict:
        path = self.tmp / "artifact-src"
        path.write_bytes(self.body if body is None else body)
        kind = KIND_FOR_OS[self.platform.split("-", 1)[0]]
        defaults = {"exe": {"publisher": "TeamViewer Germany GmbH"}, "dmg": {"team_id": "H7UGFBUGV6"},
                    "tar.gz": {"entry": "teamviewerqs/teamviewer"}}[kind]
        return artifact_entry(path, platform=self.platform, url=url or self.server.url(ARTIFACT_PATH),
                              version="15.61.3", kind=kind, **{**defaults, **extra})

    def manifest_bytes(self, *, serial: int | None = None, expires: datetime | None = None,
                       artifacts: dict | None = None) -> bytes:
        return build_manifest(artifacts if artifacts is not None else {self.platform: self.entry()},
                              serial=self.serial if serial is None else serial,
                              expires=expires or datetime.now(UTC) + timedelta(days=30))

    def publish(self, data: bytes | None = None, sig: bytes | None = None, *, serve_artifact: bool = True,
                manifest_replies: Sequence[Reply] = (), **kw: object) -> None:
        """The signed manifest, its signature and the artifact; `manifest_replies` answer the manifest's first
        requests (a slow server, a failure), in order."""
        data = self.manifest_bytes(**kw) if data is None else data  # type: ignore[arg-type]
        self.server.serve(MANIFEST_PATH, data, *manifest_replies)
        self.server.serve(MANIFEST_PATH + ".sig", sign(data, self.private) if sig is None else sig)
        if serve_artifact:
            self.server.serve(ARTIFACT_PATH, self.body)

    def config(self, *, keys: tuple[str, ...] | None = None,
               allowed: tuple[str, ...] = ("127.0.0.1",)) -> Config:
        base = load_config()
        return replace(
            base,
            manifest=replace(base.manifest, url=self.server.url(MANIFEST_PATH),
                             public_keys=(self.public,) if keys is None else keys),
            download=replace(base.download, allowed_hosts=allowed),
        )

    def session(self, config: Config | None = None, **kw: object):  # noqa: ANN201
        config = config or self.config()
        opts = {"timeout": (2.0, 5.0), "retries": 2, "backoff_factor": 0.01, "max_retry_after": 1.0, **kw}
        return make_session(config.download, allowed_hosts=config.download.allowed_hosts, **opts)

    def leftovers(self) -> list[str]:
        cache = self.paths.cache
        return sorted(p.name for p in cache.iterdir()) if cache.exists() else []


@pytest.fixture
def supply(server: LoopbackServer, tmp_path: Path) -> Supply:
    return Supply(server, tmp_path)


@pytest.fixture
def closed_manifests(monkeypatch: pytest.MonkeyPatch) -> list[PrefetchedManifest]:
    """Every manifest fetched ahead (launcher.core.fetch.ManifestAhead) that was closed unused, in order."""
    seen: list[PrefetchedManifest] = []
    close = PrefetchedManifest.close

    def record(prefetched: PrefetchedManifest) -> None:
        seen.append(prefetched)
        close(prefetched)

    monkeypatch.setattr(PrefetchedManifest, "close", record)
    return seen
