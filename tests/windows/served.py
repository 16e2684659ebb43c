"""A signed manifest for windows-x86_64 and its .exe served on loopback, and a launcher config for it."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from launcher.config import Config, load_config
from launcher.core.manifest import Artifact
from launcher.core.manifest_signing import build_manifest, generate_keypair, sign
from tests.support.demo_config import write_config
from tests.support.loopback_http import LoopbackServer

TV = "TeamViewer Germany GmbH"
PLATFORM = "windows-x86_64"


@dataclass
class Served:
    server: LoopbackServer
    public_key: str
    artifact: Artifact
    data_dir: Path

    def overrides(self) -> dict:
        manifest_url = self.server.url("/quicksupport.json")
        port = int(manifest_url.split(":")[2].split("/")[0])
        return {
            "manifest": {"url": manifest_url, "public_keys": [self.public_key]},
            "download": {"allowed_hosts": ["127.0.0.1"], "proxy": ""},
            "connectivity": {"timeout_s": 5, "probes": [
                {"name": "download", "url": manifest_url},
                {"name": "teamviewer", "host": "127.0.0.1", "ports": [port]},
            ]},
            "paths": {"data_dir": str(self.data_dir)},
        }

    def config(self) -> Config:
        return load_config(None, overrides=self.overrides())

    def config_file(self, path: Path) -> Path:
        return write_config(path, self.overrides())


def serve_exe(server: LoopbackServer, exe: bytes, data_dir: Path, *, body: bytes | None = None,
              publisher: str = TV, name: str = "TeamViewerQS.exe", min_version: str = "") -> Served:
    """Publish `exe` in a manifest signed by a fresh key; `body` (default `exe`) is what is downloaded;
    `min_version`: the artifact's oldest build allowed to run ("": none)."""
    entry = {"url": server.url(f"/{name}"), "size": len(exe), "sha256": hashlib.sha256(exe).hexdigest(),
             "version": "15.99.0", "kind": "exe", "publisher": publisher}
    if min_version:
        entry["min_version"] = min_version
    manifest = build_manifest({PLATFORM: entry}, serial=1, expires=datetime.now(UTC) + timedelta(days=1))
    private, public = generate_keypair()
    server.serve("/quicksupport.json", manifest)
    server.serve("/quicksupport.json.sig", sign(manifest, private))
    server.serve(f"/{name}", exe if body is None else body)
    artifact = Artifact(platform=PLATFORM, url=entry["url"], size=entry["size"], sha256=entry["sha256"],
                        version=entry["version"], kind="exe", publisher=publisher, min_version=min_version)
    return Served(server=server, public_key=public, artifact=artifact, data_dir=data_dir)
