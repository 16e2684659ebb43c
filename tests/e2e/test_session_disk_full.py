"""The disk fills up while a session runs (data folder, cache and TeamViewer's log on one full file system):
QuickSupport is ended for good and the customer is told the disk is full (QS-DISK-FULL), never that
QuickSupport "closed" (QS-EXITED). Real launcher processes, the real stand-in, a real full tmpfs."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

import pytest
from PySide6.QtWidgets import QLabel, QPlainTextEdit

from launcher.config import load_config
from launcher.core.applog import shutdown_logging
from launcher.core.paths import AppPaths
from launcher.demo.server import DemoServer
from launcher.demo.session import demo_overrides
from launcher.ui.controller import Controller, State
from launcher.ui.main_window import MainWindow
from tests.support.cli_session import CliSession
from tests.support.demo_config import write_config
from tests.support.polling import wait_until
from tests.support.processes import processes_mentioning
from tests.support.tmpfs import fill_up, mounted_tmpfs

pytestmark = [pytest.mark.e2e,
              pytest.mark.skipif(not sys.platform.startswith("linux"), reason="tmpfs, the Linux demo stand-in")]

PASSWORD = "dk4full9"  # planted through OVERMAX_DEMO_PASSWORD: must never appear anywhere we can read
CRASH_SIGNS = ("Traceback", "Fatal Python error", "--- Logging error ---", "Exception ignored")
WAIT_MS = 30_000


@pytest.fixture
def standin_args() -> tuple[str, ...]:
    """For the e2e suite's `server`: the demo consultant joins at once and stays, so only the disk ends
    this session."""
    return ("--join-after", "0.3", "--leave-after", "-1")


@pytest.fixture
def disk(tmp_path):
    """Room for the whole session (download, unpacked stand-in, logs) until a test fills it."""
    with mounted_tmpfs(tmp_path / "disk", "size=4m") as folder:
        yield folder


def assert_nothing_left(disk: Path) -> None:
    assert wait_until(lambda: processes_mentioning(str(disk)) == [], 10), processes_mentioning(str(disk))
    runtime = disk / "data" / "run"
    assert not runtime.exists() or list(runtime.iterdir()) == []


@pytest.mark.parametrize(("lang", "sentence"), [
    ("pl", "Na dysku komputera zabrakło miejsca, więc program zakończył połączenie z konsultantem"),
    ("en", "The computer's disk is full, so the program ended the connection with the consultant"),
])
@pytest.mark.parametrize("moment", ["STARTED", "JOINED "])
def test_the_session_command_ends_quicksupport_and_names_the_full_disk(tmp_path, server, disk, lang, sentence,
                                                                      moment):
    config = write_config(tmp_path / "c.toml", demo_overrides(server, disk / "data"))
    session = CliSession("--config", str(config), "--lang", lang, cwd=tmp_path,
                         env={"OVERMAX_DEMO_PASSWORD": PASSWORD})
    try:
        session.wait_for(moment)
        fill_up(disk)  # before QuickSupport wrote its ID (STARTED) or with the consultant connected
        code, out, err = session.finish()
    finally:
        session.kill()
    assert code == 1, (out, err)
    errors = [line for line in err.splitlines() if line.startswith("ERROR ")]
    assert errors == [f"ERROR QS-DISK-FULL: {sentence}" + errors[0].split(sentence, 1)[1]], err
    assert "QS-EXITED" not in err
    assert not [sign for sign in CRASH_SIGNS if sign in err], err
    assert out.splitlines()[-1].startswith("STOPPED "), out  # QuickSupport ended, nothing of it left
    assert_nothing_left(disk)
    assert PASSWORD not in out + err


class WindowInSession(NamedTuple):
    controller: Controller
    window: MainWindow
    paths: AppPaths
    receipts: Path  # the receipts folder, a full file system of its own
    filler: Path  # the one file that fills it


@contextmanager
def window_in_session_with_full_receipts(qtbot, server: DemoServer, disk: Path) -> Iterator[WindowInSession]:
    """The window with its data folder on `disk`, past the terms, the demo consultant connected; its receipts
    folder is a full file system of its own (a tmpfs filled up before the session: removing QuickSupport's
    folder frees room on `disk`, where a receipt would then fit). Shut down on leaving."""
    from tests.e2e.test_flow import accept_terms, make_window, shutdown

    config = load_config(overrides=demo_overrides(server, disk / "data"))
    controller, window, paths = make_window(qtbot, config)
    try:
        with mounted_tmpfs(disk / "data" / "receipts", "size=64k") as receipts:
            filler = fill_up(receipts)
            accept_terms(qtbot, window)
            qtbot.waitUntil(lambda: controller.state is State.SESSION and controller.session.supporter is not None,
                            timeout=WAIT_MS)
            yield WindowInSession(controller, window, paths, receipts, filler)
    finally:
        shutdown(controller, window)
        shutdown_logging()


def test_the_window_shows_qs_disk_full_and_keeps_the_receipt_it_could_not_write(qtbot, tmp_path, server, disk,
                                                                                 monkeypatch):
    """The window: the error page names the disk, QuickSupport is down, and the receipt that found no room
    is not lost in silence: the page says so and the consultant's report carries it (no password)."""
    from tests.e2e.test_flow import find

    monkeypatch.setenv("OVERMAX_DEMO_PASSWORD", PASSWORD)
    with window_in_session_with_full_receipts(qtbot, server, disk) as (controller, window, paths, receipts, filler):
        fill_up(disk)
        qtbot.waitUntil(lambda: controller.state is State.ERROR, timeout=WAIT_MS)
        assert find(window, QLabel, "errorCode").text() == "QS-DISK-FULL"
        assert find(window, QLabel, "errorMessage").text().startswith("Na dysku komputera zabrakło miejsca")
        qtbot.waitUntil(lambda: not controller._worker.active, timeout=WAIT_MS)  # QuickSupport is down
        assert_nothing_left(disk)
        note = find(window, QLabel, "errorReceipt")
        qtbot.waitUntil(lambda: "Nie udało się zapisać potwierdzenia sesji" in note.text(), timeout=WAIT_MS)
        assert "DL-DISK-FULL" in note.text() and "Kopiuj raport" in note.text()
        assert list(receipts.iterdir()) == [filler]
        report = controller.diagnostic_report()
        assert "Potwierdzenie sesji (nie udało się go zapisać na dysku):" in report
        assert "Demo Konsultant" in report
        assert "Zakończenie: Sesja zakończona: na dysku komputera zabrakło miejsca." in report
        assert PASSWORD not in report
        # the consent made before the disk filled up is still there, whole
        consent = paths.consent_file.read_text(encoding="utf-8").splitlines()
        assert json.loads(consent[-1])["accepted_terms"] is True


def test_the_ended_page_shows_a_receipt_that_found_no_room(qtbot, tmp_path, server, disk):
    """Rozłącz, and the receipts folder's disk is full (a file system of its own: QuickSupport's is fine, so
    the session goes on until the customer ends it): the ended page shows the receipt all the same and says
    it was NOT saved, so that "Zapisz" can put it somewhere else."""
    from tests.e2e.test_flow import find

    with window_in_session_with_full_receipts(qtbot, server, disk) as (controller, window, _paths, receipts, filler):
        controller.disconnect_session()
        qtbot.waitUntil(lambda: controller.state is State.ENDED, timeout=WAIT_MS)
        assert_nothing_left(disk)
        assert controller.watch.receipt_error is not None and controller.watch.receipt_path is None
        assert controller.watch.receipt_error.code == "DL-DISK-FULL"
        assert list(receipts.iterdir()) == [filler]  # nothing half-written beside it
        view = find(window, QPlainTextEdit, "receiptView")
        assert view.isVisible() and "Demo Konsultant" in view.toPlainText()
        assert "Sesję zakończono na tym komputerze (Rozłącz)." in view.toPlainText()
        saved = window.findChild(QLabel, "receiptSaved")
        assert saved.isVisible() and "Nie udało się zapisać potwierdzenia (DL-DISK-FULL" in saved.text()
        assert "NIE zostało zapisane" in window.ended_page.receipt.heading.text()
