"""The real app, end to end: loopback server, real signature checks, real stand-in QuickSupport subprocess.

Driven only by the automation names from DESIGN.md, as the vendor's tooling drives it.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import time
from pathlib import Path

import psutil
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QLabel, QListWidget, QPushButton

from launcher.config import load_config
from launcher.core.applog import setup_logging, shutdown_logging
from launcher.core.formatting import group_id
from launcher.core.paths import app_paths
from launcher.demo.server import MANIFEST_NAME
from launcher.demo.session import demo_overrides
from launcher.ui.controller import Controller, State
from launcher.ui.main_window import MainWindow

pytestmark = pytest.mark.e2e

WAIT_MS = 30_000


@pytest.fixture
def server(demo_server):
    return demo_server


def standin_processes(marker: str) -> list[psutil.Process]:
    found = []
    for proc in psutil.process_iter(["cmdline"]):
        try:
            if any(marker in part for part in proc.info["cmdline"] or []):
                found.append(proc)
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return found


def make_window(qtbot, config):
    paths = app_paths(config.paths.data_dir).ensure()
    setup_logging(paths.logs)
    controller = Controller(config, paths, language="pl")
    window = MainWindow(controller, demo=True)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.startup_finished, timeout=10_000)  # painted, every page built
    return controller, window, paths


def find(window, cls, name):
    widget = window.findChild(cls, name)
    assert widget is not None, name
    assert widget.accessibleName(), f"{name} has no accessible name"
    return widget


def accept_terms(qtbot, window):
    cont = find(window, QPushButton, "continueButton")
    assert not cont.isEnabled()
    find(window, QCheckBox, "acceptTerms").setChecked(True)
    assert not cont.isEnabled()
    find(window, QCheckBox, "confirmHotline").setChecked(True)
    assert cont.isEnabled()
    qtbot.mouseClick(cont, Qt.MouseButton.LeftButton)


def shutdown(controller, window):
    if controller.session_active:
        controller.disconnect_session()
    controller.shutdown()
    window.hide()
    shutdown_logging()


def test_whole_flow_shows_the_logged_id_and_disconnect_leaves_nothing(qtbot, server, tmp_path):
    config = load_config(overrides=demo_overrides(server, tmp_path / "data"))
    controller, window, paths = make_window(qtbot, config)
    try:
        step = find(window, QLabel, "stepIndicator")
        assert "1 z 5" in step.text()
        assert controller.config.non_standard  # loopback URLs are not the built-in ones ...
        assert not find(window, QLabel, "nonStandardBanner").isVisible()  # ... but the DEMO banner says it
        accept_terms(qtbot, window)

        # consent record: written before anything else happens
        record = json.loads(paths.consent_file.read_text(encoding="utf-8").splitlines()[-1])
        assert record["regulamin_version"] == "01.09.2018"
        assert record["accepted_terms"] is True and record["confirmed_hotline"] is True

        session_id = find(window, QLabel, "sessionId")
        qtbot.waitUntil(lambda: controller.state is State.SESSION and session_id.text() != "…", timeout=WAIT_MS)
        assert "4 z 5" in step.text()

        # every check row went green
        check_list = find(window, QListWidget, "checkList")
        assert check_list.count() >= 3
        assert set(window.check_page.row_states().values()) == {"ok"}

        # the ID on screen is the one QuickSupport wrote to its log, grouped as TeamViewer groups it
        unpacked = list(paths.runtime.rglob("TeamViewer*_Logfile.log"))
        assert unpacked, "the stand-in wrote no log"
        log_text = unpacked[0].read_text(encoding="utf-8")
        logged = re.search(r"Login::Identify::ManageLogin\(\): ID: (\d+)", log_text).group(1)
        assert session_id.text() == group_id(logged)
        marker = str(paths.runtime)
        assert standin_processes(marker), "QuickSupport stand-in is not running"

        status = find(window, QLabel, "sessionStatus")
        assert status.text()
        assert find(window, QLabel, "sessionPassword") is not None

        # plant a known password as if read from QuickSupport's window, and try hard to leak it
        planted = "Pl4ntedPw9"
        controller._on_password(planted)
        assert find(window, QLabel, "sessionPassword").text() == planted
        logging.getLogger("launcher.test").warning("password is %s", planted)
        report = controller.diagnostic_report()

        qtbot.mouseClick(find(window, QPushButton, "disconnectButton"), Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: controller.state is State.ENDED, timeout=WAIT_MS)
        assert "5 z 5" in step.text()
        assert planted not in report
        for path in [p for p in tmp_path.rglob("*") if p.is_file()]:
            assert planted.encode() not in path.read_bytes(), f"password written to {path}"
        assert standin_processes(marker) == []
        assert not list(paths.runtime.rglob("teamviewer")), "unpacked QuickSupport folder left behind"
        assert find(window, QLabel, "sessionPassword").text() != planted  # wiped
    finally:
        shutdown(controller, window)
    assert (paths.logs / "launcher.log").stat().st_size > 0  # the log was written, just not the password


def test_no_accessibility_bus_says_where_to_read_the_password_then_stops_trying(qtbot, server, tmp_path,
                                                                              monkeypatch):
    """No D-Bus session at all (a bare X session): the password box said "…" for ever and the log got a
    KeyError every 1.6 s. Now: reading, then "read it from the TeamViewer window, we keep trying until
    HH:MM", then "stopped trying"; the reason logged once."""
    from launcher.core.quicksupport import credentials
    from launcher.core.quicksupport import session as qs_session
    from launcher.core.quicksupport.password_status import PasswordStatus

    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
    monkeypatch.delenv("AT_SPI_BUS_ADDRESS", raising=False)
    monkeypatch.setattr(credentials, "_reported_failures", set())
    monkeypatch.setattr(qs_session, "PASSWORD_TRY_FOR_S", 3.0)  # the customer's 2 minutes, shortened
    config = load_config(overrides=demo_overrides(server, tmp_path / "data"))
    controller, window, paths = make_window(qtbot, config)
    try:
        accept_terms(qtbot, window)
        box = find(window, QLabel, "sessionPassword")
        hint = window.session_page.password_hint
        qtbot.waitUntil(lambda: controller.state in (State.SESSION, State.ERROR), timeout=WAIT_MS)
        assert controller.state is State.SESSION, controller.error
        qtbot.waitUntil(lambda: controller.session.password_status is PasswordStatus.UNREADABLE, timeout=WAIT_MS)
        assert box.text() == "w oknie TeamViewer"
        assert "„Hasło”" in hint.text() and "do godziny" in hint.text()
        qtbot.waitUntil(lambda: controller.session.password_status is PasswordStatus.GAVE_UP, timeout=WAIT_MS)
        assert "przestał próbować" in hint.text() and box.text() not in ("…", "")
        assert window.findChild(QPushButton, "showQuickSupportButton").isVisible()
        controller.disconnect_session()
        qtbot.waitUntil(lambda: controller.state is State.ENDED, timeout=WAIT_MS)
    finally:
        shutdown(controller, window)
    log = (paths.logs / "launcher.log").read_text(encoding="utf-8")
    assert "KeyError" not in log
    assert log.count("accessibility snapshot failed") == 1 and "DBUS_SESSION_BUS_ADDRESS" in log


def test_offline_shows_a_network_code_and_downloads_nothing(qtbot, tmp_path, server):
    overrides = demo_overrides(server, tmp_path / "data")
    overrides["connectivity"] = {
        "timeout_s": 1,
        "probes": [
            {"name": "download", "url": "https://download.example.invalid/q.json"},
            {"name": "teamviewer", "host": "router1.example.invalid", "ports": [5938, 443]},
        ],
    }
    config = load_config(overrides=overrides)
    controller, window, paths = make_window(qtbot, config)
    try:
        accept_terms(qtbot, window)
        qtbot.waitUntil(lambda: controller.state is State.ERROR, timeout=WAIT_MS)
        code = find(window, QLabel, "errorCode").text()
        assert code == "NET-OFFLINE"  # no name resolves and nothing answers: offline, not one broken host
        assert find(window, QLabel, "errorMessage").text()
        assert "2 z 5" in find(window, QLabel, "stepIndicator").text()
        assert not any(paths.cache.iterdir())
        assert find(window, QPushButton, "retryButton").isEnabled()
        report = controller.diagnostic_report()
        assert code in report
    finally:
        shutdown(controller, window)


def test_tampered_artifact_is_refused_and_nothing_runs(qtbot, tmp_path, server):
    manifest = json.loads((server.root / MANIFEST_NAME).read_bytes())
    artifact = next(iter(manifest["artifacts"].values()))
    path = server.root / Path(artifact["url"]).name
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01  # one flipped bit, same size
    path.write_bytes(bytes(data))
    assert hashlib.sha256(bytes(data)).hexdigest() != artifact["sha256"]

    config = load_config(overrides=demo_overrides(server, tmp_path / "data"))
    controller, window, paths = make_window(qtbot, config)
    try:
        accept_terms(qtbot, window)
        qtbot.waitUntil(lambda: controller.state is State.ERROR, timeout=WAIT_MS)
        assert find(window, QLabel, "errorCode").text() == "DL-HASH"
        assert "3 z 5" in find(window, QLabel, "stepIndicator").text()
        assert not [p for p in paths.cache.rglob("*") if p.is_file()], "a bad file was kept"
        assert standin_processes(str(paths.runtime)) == []
        assert not any(paths.runtime.iterdir())
    finally:
        shutdown(controller, window)


def test_closing_the_window_during_a_session_disconnects(qtbot, server, tmp_path):
    config = load_config(overrides=demo_overrides(server, tmp_path / "data"))
    controller, window, paths = make_window(qtbot, config)
    try:
        accept_terms(qtbot, window)
        qtbot.waitUntil(lambda: controller.state is State.SESSION, timeout=WAIT_MS)
        marker = str(paths.runtime)
        assert standin_processes(marker)
        window.close()
        assert window.isVisible()  # not yet: the disconnect runs first
        qtbot.waitUntil(lambda: not window.isVisible(), timeout=WAIT_MS)
        assert controller.state is State.ENDED
        deadline = time.monotonic() + 10
        while standin_processes(marker) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert standin_processes(marker) == []
    finally:
        shutdown(controller, window)


def test_shutdown_while_a_session_runs_ends_quicksupport_on_the_right_threads(qtbot, server, tmp_path):
    # the window gone without Rozłącz (the self-test failing mid-walk, the event loop ending): shutdown()
    # itself ends QuickSupport; the session's poll timer is stopped on the thread it belongs to (Qt warns
    # "Timers cannot be stopped from another thread" otherwise, and warnings fail tests)
    config = load_config(overrides=demo_overrides(server, tmp_path / "data"))
    controller, window, paths = make_window(qtbot, config)
    try:
        accept_terms(qtbot, window)
        qtbot.waitUntil(lambda: controller.state is State.SESSION and bool(controller.session.tv_id), timeout=WAIT_MS)
        marker = str(paths.runtime)
        assert standin_processes(marker), "QuickSupport stand-in is not running"
        controller.shutdown()
        assert standin_processes(marker) == []
    finally:
        window.hide()
        shutdown_logging()
