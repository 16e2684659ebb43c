"""Set up a complete offline demo: server, config pointing at it, and a throw-away data folder."""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from launcher.config import Config, load_config
from launcher.core.paths import AppPaths, app_paths
from launcher.demo.server import DemoServer


def demo_overrides(server: DemoServer, data_dir: Path) -> dict:
    return {
        "manifest": {"url": server.manifest_url, "public_keys": [server.public_key]},
        "download": {"allowed_hosts": ["127.0.0.1"], "proxy": ""},
        "connectivity": {
            "timeout_s": 2,
            "probes": [
                {"name": "download", "url": server.manifest_url},
                {"name": "teamviewer", "host": "127.0.0.1", "ports": [server.port]},
            ],
        },
        "paths": {"data_dir": str(data_dir)},
    }


@contextlib.contextmanager
def demo_environment(config_path: str | None = None) -> Iterator[tuple[Config, AppPaths]]:
    workdir = Path(tempfile.mkdtemp(prefix="overmax-demo-"))
    serve_dir = workdir / "www"
    serve_dir.mkdir()
    try:
        server = DemoServer(serve_dir).start()
    except BaseException:
        shutil.rmtree(workdir, ignore_errors=True)
        raise
    try:
        config = load_config(config_path, overrides=demo_overrides(server, workdir / "data"))
        paths = app_paths(config.paths.data_dir).ensure()
        yield config, paths
    finally:
        server.stop()
        shutil.rmtree(workdir, ignore_errors=True)
