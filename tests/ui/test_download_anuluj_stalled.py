"""Anuluj while the server has stopped sending mid-body: the error page (DL-CANCELLED, Spróbuj ponownie) comes
at once, the download's own thread ends well before its read timeout although the server never sends another
byte, and its partial file is gone; Spróbuj ponownie then downloads and verifies the file."""

from __future__ import annotations

import sys
import threading
import time

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QLabel, QProgressBar, QPushButton

from launcher.core.download import CHUNK
from launcher.ui.controller import State
from tests.faults.conftest import ARTIFACT_PATH, MANIFEST_PATH, Supply
from tests.support.loopback_http import LoopbackServer, Reply

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="tar.gz kind")

WAIT_MS = 60_000
ENDED_WITHIN_S = 15.0  # the read timeout is 20 s (launcher.core.http.DEFAULT_TIMEOUT); a ceiling, not a wait


def _fetch_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "fetch"]


def test_anuluj_during_a_stalled_download_ends_its_thread_and_leaves_no_partial_file(make_window, qtbot,
                                                                                      tmp_path) -> None:
    released = threading.Event()
    with LoopbackServer() as vendor:
        supply = Supply(vendor, tmp_path)
        supply.publish(serve_artifact=False)
        vendor.serve(ARTIFACT_PATH, supply.body, Reply(hold=released, stall_after=CHUNK + 4096), Reply())
        manifest_url = vendor.url(MANIFEST_PATH)
        try:
            window = make_window({
                "manifest": {"url": manifest_url, "public_keys": [supply.public]},
                "download": {"allowed_hosts": ["127.0.0.1"], "proxy": ""},
                "connectivity": {"timeout_s": 5, "probes": [
                    {"name": "download", "url": manifest_url},
                    {"name": "teamviewer", "host": "127.0.0.1", "ports": [vendor.port]}]},
            })
            controller = window.controller
            assert controller.paths.cache == supply.paths.cache  # the same throw-away data folder
            window.findChild(QCheckBox, "acceptTerms").setChecked(True)
            window.findChild(QCheckBox, "confirmHotline").setChecked(True)
            qtbot.mouseClick(window.findChild(QPushButton, "continueButton"), Qt.MouseButton.LeftButton)
            bar = window.findChild(QProgressBar, "downloadProgress")
            # the first chunk is in, and the download waits for bytes its server does not send
            qtbot.waitUntil(lambda: controller.state is State.DOWNLOAD and bar.value() > 0, timeout=WAIT_MS)
            assert len(_fetch_threads()) == 1 and len(vendor.hits(ARTIFACT_PATH)) == 1
            cancel = window.findChild(QPushButton, "cancelButton")
            assert cancel.isVisible() and cancel.isEnabled()
            started = time.monotonic()
            qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
            qtbot.waitUntil(lambda: controller.state is State.ERROR, timeout=WAIT_MS)
            assert window.findChild(QLabel, "errorCode").text() == "DL-CANCELLED"
            assert window.findChild(QPushButton, "retryButton").isEnabled()
            qtbot.waitUntil(lambda: _fetch_threads() == [], timeout=int(ENDED_WITHIN_S * 1000))
            assert time.monotonic() - started < ENDED_WITHIN_S
            assert not released.is_set()  # not a byte more came: the cancel ended the read
            assert supply.leftovers() == []  # its own thread removed its partial file; nothing else was there
            qtbot.mouseClick(window.findChild(QPushButton, "retryButton"), Qt.MouseButton.LeftButton)
            qtbot.waitUntil(lambda: controller.verified is not None or controller.state is State.ERROR,
                            timeout=WAIT_MS)
            assert controller.verified is not None, controller.error
            assert controller.verified.path.read_bytes() == supply.body
            assert supply.leftovers() == [controller.verified.path.name]
        finally:
            released.set()
