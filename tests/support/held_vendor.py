"""A vendor on loopback (its signed manifest, its QuickSupport, a probe address), some of whose replies are held
(`Reply(hold=...)`): what the stop tests of `fetch`, `verify` and `doctor` run against, on Linux
(tests/e2e/test_cli_stop_network.py) and in the Windows lane (tests/windows/test_cli_stop_windows.py)."""

from __future__ import annotations

import uuid
from pathlib import Path

from tests.faults.conftest import ARTIFACT_PATH, MANIFEST_PATH, Supply
from tests.support.demo_config import write_config
from tests.support.loopback_http import LoopbackServer, Reply

PROBE_PATH = "/probe"


class Vendor:
    """`config`: a config file for this vendor, its data folder under `tmp_path`; `marker`: in that file's name, so
    in the launcher's command line (a process is found by it)."""

    def __init__(self, server: LoopbackServer, tmp_path: Path, *, manifest: Reply | None = None,
                 artifact: Reply | None = None, probe: Reply | None = None) -> None:
        self.server = server
        self.supply = Supply(server, tmp_path)
        self.supply.publish(serve_artifact=False, manifest_replies=[manifest] if manifest else ())
        server.serve(ARTIFACT_PATH, self.supply.body, *([artifact] if artifact else []))
        server.serve(PROBE_PATH, b"ok\n", *([probe] if probe else []))
        self.marker = f"stop-{uuid.uuid4().hex}"
        self.config = write_config(tmp_path / f"{self.marker}.toml", {
            "manifest": {"url": server.url(MANIFEST_PATH), "public_keys": [self.supply.public]},
            "download": {"allowed_hosts": ["127.0.0.1"], "proxy": ""},
            "connectivity": {"timeout_s": 60, "probes": [
                {"name": "download", "url": server.url(PROBE_PATH)},
                {"name": "teamviewer", "host": "127.0.0.1", "ports": [server.port]}]},
            "paths": {"data_dir": str(tmp_path / "data")},
        })

    def partials(self) -> list[Path]:
        cache = self.supply.paths.cache
        return sorted(cache.glob(".TeamViewerQS-*.part")) if cache.exists() else []

    def cache(self) -> list[str]:
        cache = self.supply.paths.cache
        return sorted(p.name for p in cache.iterdir()) if cache.exists() else []
