"""The e2e suite's default loopback demo server (a module may define its own `server`, which then wins)."""

from __future__ import annotations

import pytest

from launcher.demo.server import DemoServer
from launcher.demo.session import demo_overrides
from tests.support.demo_config import write_config


@pytest.fixture
def server(tmp_path):
    """The demo server: the demo consultant joins half a second after QuickSupport started and leaves a
    second later."""
    root = tmp_path / "www"
    root.mkdir()
    demo = DemoServer(root, standin_args=("--join-after", "0.5", "--leave-after", "1.5")).start()
    yield demo
    demo.stop()


@pytest.fixture
def config_file(tmp_path, server):
    """A config file for `server`, its data folder in this test's tmp_path."""
    return write_config(tmp_path / "demo.toml", demo_overrides(server, tmp_path / "data"))
