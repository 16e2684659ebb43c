"""Cancel during the download, from the window: the right code, nothing half-written, nothing run."""

from __future__ import annotations

import os
import sys
import threading
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QLabel, QProgressBar, QPushButton

from launcher.config import load_config
from launcher.core.manifest import current_platform_key
from launcher.core.manifest_signing import artifact_entry, build_manifest, generate_keypair, sign
from launcher.core.paths import app_paths
from launcher.ui.controller import Controller, State
from launcher.ui.main_window import MainWindow
from tests.support.loopback_http import LoopbackServer, Reply

pytestmark = [pytest.mark.e2e, pytest.mark.skipif(not sys.platform.startswith("linux"), reason="tar.gz kind")]


def test_cancel_mid_download_leaves_nothing(qtbot, tmp_path):
    artifact = tmp_path / "teamviewer_qs.tar.gz"
    artifact.write_bytes(os.urandom(8 * 1024 * 1024))
    private, public = generate_keypair()
    with LoopbackServer() as srv:
        url = srv.serve("/teamviewer_qs.tar.gz", artifact.read_bytes(), Reply(chunk_delay=0.05))
        platform = current_platform_key()
        manifest = build_manifest(
            {platform: artifact_entry(artifact, platform=platform, url=url, version="15.0", kind="tar.gz",
                                      entry="teamviewerqs/teamviewer")},
            serial=1, expires=datetime.now(UTC) + timedelta(days=1))
        manifest_url = srv.serve("/q.json", manifest)
        srv.serve("/q.json.sig", sign(manifest, private))
        port = int(manifest_url.split(":")[2].split("/")[0])
        config = load_config(overrides={
            "manifest": {"url": manifest_url, "public_keys": [public]},
            "download": {"allowed_hosts": ["127.0.0.1"]},
            "connectivity": {"timeout_s": 2, "probes": [{"name": "download", "url": manifest_url},
                                                        {"name": "teamviewer", "host": "127.0.0.1", "ports": [port]}]},
            "paths": {"data_dir": str(tmp_path / "data")},
        })
        paths = app_paths(config.paths.data_dir).ensure()
        controller = Controller(config, paths)
        window = MainWindow(controller)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitUntil(lambda: window.startup_finished, timeout=10_000)  # painted, every page built
        try:
            window.findChild(QCheckBox, "acceptTerms").setChecked(True)
            window.findChild(QCheckBox, "confirmHotline").setChecked(True)
            qtbot.mouseClick(window.findChild(QPushButton, "continueButton"), Qt.MouseButton.LeftButton)
            bar = window.findChild(QProgressBar, "downloadProgress")
            qtbot.waitUntil(lambda: controller.state is State.DOWNLOAD and bar.value() > 0, timeout=30_000)
            assert "3 z 5" in window.findChild(QLabel, "stepIndicator").text()
            qtbot.mouseClick(window.findChild(QPushButton, "cancelButton"), Qt.MouseButton.LeftButton)
            qtbot.waitUntil(lambda: controller.state is State.ERROR, timeout=30_000)
            assert window.findChild(QLabel, "errorCode").text() == "DL-CANCELLED"
            assert bar.value() < 1000  # it really stopped part-way
            # the download ends on its own thread, its read shut by the cancel (Anuluj does not wait for it),
            # and removes its partial file then
            qtbot.waitUntil(lambda: all(t.name != "fetch" for t in threading.enumerate()), timeout=30_000)
            assert [p for p in paths.cache.rglob("*") if p.is_file()] == []  # no partial, no final file
            assert not any(paths.runtime.iterdir())  # nothing unpacked, nothing run
            assert window.findChild(QPushButton, "retryButton").isEnabled()
        finally:
            controller.shutdown()
