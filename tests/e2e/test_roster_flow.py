"""Issue 15 end to end: the real app, the loopback demo server's signed roster, the real stand-in
QuickSupport subprocess joining as the roster's consultant, as an impostor, in warn mode and without a
roster; the receipt's contents, and a planted password in none of the files the launcher wrote."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtWidgets import QLabel, QListWidget, QPlainTextEdit, QPushButton

from launcher.config import load_config
from launcher.demo.server import DemoServer
from launcher.demo.session import demo_overrides
from launcher.demo.standin import CONSULTANT_NAME, DEMO_CONSULTANT_ID, IMPOSTOR_ID
from launcher.ui.controller import State
from tests.e2e.test_flow import WAIT_MS, accept_terms, find, make_window, shutdown, standin_processes

pytestmark = pytest.mark.e2e

PLANTED = "Pl4ntRoster7"


@pytest.fixture
def scenario(monkeypatch: pytest.MonkeyPatch):
    """Sets the stand-in's scenario (it inherits the launcher's environment) and its planted password."""
    monkeypatch.setenv("OVERMAX_DEMO_JOIN_AFTER", "1")
    monkeypatch.setenv("OVERMAX_DEMO_LEAVE_AFTER", "-1")
    monkeypatch.setenv("OVERMAX_DEMO_PASSWORD", PLANTED)

    def use(name: str) -> None:
        monkeypatch.setenv("OVERMAX_DEMO_SCENARIO", name)

    return use


def _finish(qtbot, controller, window) -> None:
    """End the session and wait for it, then take the always-on-top panel down with its window (a panel left
    on screen would outlive the window it keeps clear of), then the shared shutdown."""
    if controller.session_active:
        controller.disconnect_session()
        qtbot.waitUntil(lambda: not controller.session_active, timeout=WAIT_MS)
    panel = window._compact_panel
    if panel is not None:
        panel.close()
        panel.deleteLater()
        window._compact_panel = None
    shutdown(controller, window)
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def _no_password_in(folder: Path) -> None:
    for path in [p for p in folder.rglob("*") if p.is_file()]:
        assert PLANTED.encode() not in path.read_bytes(), f"password written to {path}"


def _reach_session(qtbot, controller, window) -> None:
    """Accept the terms and wait until the session page (failing with the error if it ends in one)."""
    accept_terms(qtbot, window)
    qtbot.waitUntil(lambda: controller.state in (State.SESSION, State.ERROR), timeout=WAIT_MS)
    assert controller.state is State.SESSION, controller.error


@contextmanager
def _on_the_session_page(qtbot, server: DemoServer, tmp_path: Path, **sections: dict) -> Iterator[tuple]:
    """(controller, window, paths) of the window against `server` (data under tmp_path/data; `sections`
    replace those config sections), past the terms and on the session page; `_finish`ed on leaving."""
    overrides = {**demo_overrides(server, tmp_path / "data"), **sections}
    controller, window, paths = make_window(qtbot, load_config(overrides=overrides))
    try:
        _reach_session(qtbot, controller, window)
        yield controller, window, paths
    finally:
        _finish(qtbot, controller, window)


def _receipt_json(paths) -> dict:
    (found,) = sorted((paths.data / "receipts").glob("*.json"))
    return json.loads(found.read_text("utf-8"))


def test_roster_hit_with_files_then_receipt(qtbot, demo_server, tmp_path, scenario) -> None:
    scenario("files")
    with _on_the_session_page(qtbot, demo_server, tmp_path) as (controller, window, paths):
        status = find(window, QLabel, "sessionStatus")
        activity = find(window, QListWidget, "activityList")
        qtbot.waitUntil(lambda: activity.count() >= 4, timeout=WAIT_MS)  # joined, control, file in, file out
        assert status.text().startswith(f"Konsultant Overmax {CONSULTANT_NAME} (zweryfikowany)")
        newest = activity.item(0).text()
        assert "pobrał z tego komputera plik „raport-systemu-demo.txt”" in newest
        assert any("przesłał na ten komputer plik „sterownik-drukarki-demo.zip” (10,9 MB)" in activity.item(i).text()
                   for i in range(activity.count()))
        assert newest.split("  ", 1)[1] == window.compact_panel.findChild(QLabel, "compactActivity").text()
        controller._on_password(PLANTED)  # as if read from QuickSupport's window (the stand-in shows it too)
        qtbot.mouseClick(find(window, QPushButton, "disconnectButton"), Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: controller.state is State.ENDED, timeout=WAIT_MS)
        receipt = find(window, QPlainTextEdit, "receiptView").toPlainText()
        assert f"Konsultant: {CONSULTANT_NAME}, ID 1 987 654 320, zweryfikowany" in receipt
        assert "sterownik-drukarki-demo.zip" in receipt and "raport-systemu-demo.txt" in receipt
        assert "Zakończenie: Sesję zakończono na tym komputerze (Rozłącz)." in receipt
        doc = _receipt_json(paths)
        assert doc["consultants"] == [{"name": CONSULTANT_NAME, "tv_id": DEMO_CONSULTANT_ID, "verified": True,
                                       "verdict": "verified"}]
        assert doc["ended_by"] == "customer" and doc["own_tv_id"] == controller.session.tv_id
        kinds = [a["kind"] for a in doc["activity"]]
        assert kinds[:4] == ["joined", "control", "file_in", "file_out"] and kinds[-1] == "ended"
        assert doc["started_at"] <= doc["ended_at"]
        assert standin_processes(str(paths.runtime)) == []
    _no_password_in(tmp_path)


def test_roster_miss_is_cut_off_and_nothing_is_left(qtbot, demo_server, tmp_path, scenario) -> None:
    scenario("impostor")
    with _on_the_session_page(qtbot, demo_server, tmp_path) as (controller, window, paths):
        seen = []
        qtbot.waitUntil(lambda: seen.extend(standin_processes(str(paths.runtime))) or controller.state is State.ERROR,
                        timeout=WAIT_MS)
        assert seen, "the stand-in never ran"
        assert find(window, QLabel, "errorCode").text() == "SEC-UNKNOWN-SUPPORTER"
        assert "61 653 12 93" in find(window, QLabel, "errorMessage").text().replace("\xa0", " ")
        assert standin_processes(str(paths.runtime)) == []  # already gone when the page showed
        assert not list(paths.runtime.rglob("teamviewer")), "unpacked QuickSupport folder left behind"
        qtbot.waitUntil(lambda: (paths.data / "receipts").is_dir(), timeout=WAIT_MS)
        doc = _receipt_json(paths)
        assert doc["ended_by"] == "refused"
        assert doc["consultants"][0]["tv_id"] == IMPOSTOR_ID and doc["consultants"][0]["verified"] is False
    _no_password_in(tmp_path)


def test_warn_mode_keeps_the_impostor_with_a_warning(qtbot, demo_server, tmp_path, scenario) -> None:
    scenario("impostor")
    warn = {"unknown_supporter": "warn"}
    with _on_the_session_page(qtbot, demo_server, tmp_path, session=warn) as (controller, window, paths):
        status = find(window, QLabel, "sessionStatus")
        qtbot.waitUntil(lambda: bool(status.property("warning")), timeout=WAIT_MS)
        assert "UWAGA" in status.text() and controller.state is State.SESSION
        assert standin_processes(str(paths.runtime))  # still connected, as configured
        controller.disconnect_session()
        qtbot.waitUntil(lambda: controller.state is State.ENDED, timeout=WAIT_MS)
        assert _receipt_json(paths)["consultants"][0]["verdict"] == "unknown"


def test_no_roster_shows_the_supporter_unverified(qtbot, tmp_path, scenario) -> None:
    if not sys.platform.startswith("linux"):
        pytest.skip("the --demo QuickSupport stand-in exists for Linux only")
    scenario("consultant")
    root = tmp_path / "www"
    root.mkdir()
    server = DemoServer(root, roster=False).start()
    try:
        with _on_the_session_page(qtbot, server, tmp_path) as (controller, window, _paths):
            status = find(window, QLabel, "sessionStatus")
            qtbot.waitUntil(lambda: "niezweryfikowany" in status.text(), timeout=WAIT_MS)
            assert status.text().startswith(f"Połączony: „{CONSULTANT_NAME}” (niezweryfikowany)")
            assert controller.state is State.SESSION
    finally:
        server.stop()


# ----- the headless `session` command: the same gate through core start_session

def _cli_server(tmp_path: Path) -> DemoServer:
    root = tmp_path / "www"
    root.mkdir()
    return DemoServer(root, standin_args=("--join-after", "0.5", "--leave-after", "-1")).start()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="POSIX signals, Linux demo stand-in")
@pytest.mark.parametrize("scenario_name, mode", [("consultant", "disconnect"), ("impostor", "disconnect"),
                                                  ("consultant", "warn"), ("impostor", "warn")])
def test_session_command_checks_the_roster(tmp_path, scenario_name, mode) -> None:
    from tests.e2e.test_cli_session import SessionProcess, assert_no_password
    from tests.support.demo_config import write_config
    from tests.support.polling import wait_until
    from tests.support.processes import processes_mentioning

    server = _cli_server(tmp_path)
    try:
        overrides = {**demo_overrides(server, tmp_path / "data"), "session": {"unknown_supporter": mode}}
        config = write_config(tmp_path / "demo.toml", overrides)
        session = SessionProcess("--config", str(config), tmp_path=tmp_path,
                                 env={"OVERMAX_DEMO_SCENARIO": scenario_name})
        try:
            if scenario_name == "consultant":
                assert session.wait_for("JOINED") == f"JOINED {DEMO_CONSULTANT_ID} {CONSULTANT_NAME}"
                code, out, err = session.finish()
                assert code == 0, err
                assert not [line for line in out.splitlines() if line.startswith("UNKNOWN")], out
            elif mode == "warn":  # kept, and a script can tell: the line after JOINED says the roster knows them not
                assert session.wait_for("JOINED") == f"JOINED {IMPOSTOR_ID} Pomoc Techniczna"
                assert session.wait_for("UNKNOWN") == f"UNKNOWN {IMPOSTOR_ID} Pomoc Techniczna"
                code, out, err = session.finish()
                assert code == 0, (out, err)
                lines = out.splitlines()
                assert lines.index(f"UNKNOWN {IMPOSTOR_ID} Pomoc Techniczna") == \
                    lines.index(f"JOINED {IMPOSTOR_ID} Pomoc Techniczna") + 1, lines
                assert "SEC-UNKNOWN-SUPPORTER" not in err and "STOPPING eof" in out, (out, err)
            else:
                assert session.wait_for("JOINED") == f"JOINED {IMPOSTOR_ID} Pomoc Techniczna"
                session.wait_for("STOPPED")  # ended at once, without anyone pressing anything
                code, out, err = session.finish()
                assert code == 1 and "ERROR SEC-UNKNOWN-SUPPORTER" in err, (out, err)
                assert "61 653 12 93" in err
                # cut off, not kept: no UNKNOWN line (that one means "kept since config says warn")
                assert not [line for line in out.splitlines() if line.startswith("UNKNOWN")], out
            assert wait_until(lambda: processes_mentioning(str(tmp_path / "data")) == [], 5)
            assert_no_password(tmp_path, out, err)
        finally:
            session.kill()
    finally:
        server.stop()
