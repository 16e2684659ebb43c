"""Anuluj while a server holds the connection check: the error page (NET-CANCELLED, said as the customer's own
stop, Spróbuj ponownie) comes at once, not after the check's timeout, and nothing is downloaded; Spróbuj
ponownie then checks again and downloads. Before, the check page had no button at all: with a slow network the
customer could only wait (up to three times the timeout per probe) or close the window."""

from __future__ import annotations

import sys
import threading

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QLabel, QPushButton

from launcher.ui.controller import State
from tests.faults.conftest import ARTIFACT_PATH, MANIFEST_PATH, Supply
from tests.support.loopback_http import LoopbackServer, Reply

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="tar.gz kind")

WAIT_MS = 60_000
PROBE_PATH = "/probe"
HALF_THE_PROBE_TIMEOUT_MS = 30_000


def _window_in_a_held_check(make_window, qtbot, vendor: LoopbackServer, supply: Supply, timeout_s: float):
    """The real window, Dalej clicked, its connection check held by the server at the probe (served as the
    test set it up). Probes: the download URL, and TeamViewer's port on the same server."""
    window = make_window({
        "manifest": {"url": vendor.url(MANIFEST_PATH), "public_keys": [supply.public]},
        "download": {"allowed_hosts": ["127.0.0.1"], "proxy": ""},
        "connectivity": {"timeout_s": timeout_s, "probes": [
            {"name": "download", "url": vendor.url(PROBE_PATH)},
            {"name": "teamviewer", "host": "127.0.0.1", "ports": [vendor.port]}]},
    })
    controller = window.controller
    window.findChild(QCheckBox, "acceptTerms").setChecked(True)
    window.findChild(QCheckBox, "confirmHotline").setChecked(True)
    qtbot.mouseClick(window.findChild(QPushButton, "continueButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: controller.state is State.CHECK and len(vendor.hits(PROBE_PATH)) == 1,
                    timeout=WAIT_MS)
    return window


def test_anuluj_during_a_held_check_ends_it_at_once_and_nothing_is_downloaded(make_window, qtbot, tmp_path):
    released = threading.Event()
    with LoopbackServer() as vendor:
        supply = Supply(vendor, tmp_path)
        supply.publish()
        vendor.serve(PROBE_PATH, b"ok", Reply(hold=released), Reply())
        try:
            window = _window_in_a_held_check(make_window, qtbot, vendor, supply, timeout_s=30)
            controller = window.controller
            cancel = window.findChild(QPushButton, "cancelCheckButton")
            assert cancel.isVisible() and cancel.isEnabled() and cancel.text() == "Anuluj"
            qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
            qtbot.waitUntil(lambda: controller.state is State.ERROR, timeout=WAIT_MS)
            assert window.findChild(QLabel, "errorCode").text() == "NET-CANCELLED"
            assert window.error_page.title.text() == "Zatrzymano na Twoje polecenie"
            assert not released.is_set()  # the held probe never answered: the check was not waited for
            # the check's task has handed back its (given up) answer, and it started nothing behind the page
            qtbot.waitUntil(lambda: not controller._tasks, timeout=WAIT_MS)
            assert vendor.hits(ARTIFACT_PATH) == [] and controller.state is State.ERROR

            qtbot.mouseClick(window.findChild(QPushButton, "retryButton"), Qt.MouseButton.LeftButton)
            qtbot.waitUntil(lambda: controller.verified is not None or controller.state is State.ERROR,
                            timeout=WAIT_MS)
            assert controller.verified is not None, controller.error
            assert len(vendor.hits(PROBE_PATH)) == 2 and len(vendor.hits(ARTIFACT_PATH)) == 1
        finally:
            released.set()
            if controller.session_active:
                controller.disconnect_session()
                qtbot.waitUntil(lambda: not controller.session_active, timeout=WAIT_MS)


def test_a_bug_during_a_held_check_ends_the_check_at_once(make_window, qtbot, tmp_path):
    """An unexpected error (Controller.on_unexpected_error, what the window's exception hook calls) while a
    server holds the check: APP-INTERNAL, and the check's probes are given up at once rather than left running
    to their timeout behind the error page; nothing is downloaded."""
    released = threading.Event()
    with LoopbackServer() as vendor:
        supply = Supply(vendor, tmp_path)
        supply.publish()
        vendor.serve(PROBE_PATH, b"ok", Reply(hold=released))
        try:
            window = _window_in_a_held_check(make_window, qtbot, vendor, supply, timeout_s=60)
            controller = window.controller
            controller.on_unexpected_error("Traceback: PlantedBug")
            assert controller.state is State.ERROR
            assert window.findChild(QLabel, "errorCode").text() == "APP-INTERNAL"
            # the check hands its (given up) answer back at once: left to itself the held probe would take its 60 s
            qtbot.waitUntil(lambda: not controller._tasks, timeout=HALF_THE_PROBE_TIMEOUT_MS)
            assert not released.is_set() and vendor.hits(ARTIFACT_PATH) == []
            assert controller.state is State.ERROR and controller.error.code == "APP-INTERNAL"
        finally:
            released.set()
