"""The demo server the app benchmarks run against, from the runner's own process, and a config a run."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def demo_server(prefix: str) -> Iterator[tuple[object, Path]]:
    """A started launcher.demo.server.DemoServer serving from a fresh temporary folder (named with
    `prefix`), and that folder; stopped and removed on exit. Linux only (the demo stand-in)."""
    from launcher.demo.server import DemoServer

    work = Path(tempfile.mkdtemp(prefix=prefix))
    (work / "www").mkdir()
    server = DemoServer(work / "www").start()
    try:
        yield server, work
    finally:
        server.stop()
        shutil.rmtree(work, ignore_errors=True)


def demo_config(server, work: Path, run: int) -> Path:
    """Run number `run`'s config file in `work`: the demo server's manifest, its own data folder."""
    from launcher.demo.session import demo_overrides
    from tests.support.demo_config import write_config

    return write_config(work / f"config{run}.toml", demo_overrides(server, work / f"data{run}"))
