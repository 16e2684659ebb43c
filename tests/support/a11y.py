"""A private X server and session D-Bus with the AT-SPI bus, for tests that read a real window's accessibility tree."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import psutil
import pytest


def _have_atspi_tools() -> bool:
    return sys.platform.startswith("linux") and all(
        shutil.which(t) for t in ("Xvfb", "dbus-daemon")
    ) and Path("/usr/libexec/at-spi-bus-launcher").exists()


@pytest.fixture
def a11y_desktop(monkeypatch, tmp_path: Path):
    """A private X server and session D-Bus with the AT-SPI bus, or a clean skip where they are missing."""
    if not _have_atspi_tools():
        pytest.skip("needs Xvfb, dbus-daemon and at-spi2-core (apt-get install xvfb at-spi2-core)")
    read_fd, write_fd = os.pipe()
    xvfb = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", "800x600x24", "-nolisten", "tcp"],
        pass_fds=(write_fd,), stderr=subprocess.DEVNULL,
    )
    os.close(write_fd)
    with os.fdopen(read_fd) as fh:
        display = fh.readline().strip()
    bus = subprocess.Popen(["dbus-daemon", "--session", "--nofork", "--print-address=1"],
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    address = bus.stdout.readline().strip()
    helpers: list[psutil.Process] = []
    try:
        if not display or not address:
            pytest.skip("Xvfb or dbus-daemon did not start")
        monkeypatch.setenv("DISPLAY", f":{display}")
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", address)
        monkeypatch.setenv("QT_QPA_PLATFORM", "xcb")
        from launcher.core.quicksupport.atspi import a11y_bus_address

        a11y_bus_address()  # activate the accessibility bus before the app starts
        helpers = psutil.Process(bus.pid).children(recursive=True)
        yield
    finally:
        helpers += [p for p in psutil.Process(bus.pid).children(recursive=True) if p not in helpers]
        for proc in (bus, xvfb):
            proc.terminate()
        for proc in helpers:
            with contextlib.suppress(psutil.Error):
                proc.kill()
        for proc in (bus, xvfb):
            proc.wait(timeout=10)
