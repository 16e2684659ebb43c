"""The e2e suite's default loopback demo server (a module may define its own `server`, which then wins, or
only its own `standin_args`, for the same server with other stand-in timings)."""

from __future__ import annotations

import pytest

from launcher.demo.server import DemoServer
from launcher.demo.session import demo_overrides
from tests.support.demo_config import write_config


@pytest.fixture
def standin_args() -> tuple[str, ...]:
    """The options of the demo QuickSupport stand-in `server` serves (launcher.demo.standin): the demo
    consultant joins half a second after QuickSupport started and leaves a second later. A module that
    needs other timings defines its own `standin_args`."""
    return ("--join-after", "0.5", "--leave-after", "1.5")


@pytest.fixture
def server(tmp_path, standin_args):
    """The demo server (under tmp_path/www), its stand-in started with `standin_args`; stopped after the test."""
    root = tmp_path / "www"
    root.mkdir()
    demo = DemoServer(root, standin_args=standin_args).start()
    yield demo
    demo.stop()


@pytest.fixture
def config_file(tmp_path, server):
    """A config file for `server`, its data folder in this test's tmp_path."""
    return write_config(tmp_path / "demo.toml", demo_overrides(server, tmp_path / "data"))
