"""Issue 15 in the window: the verified status, the activity list (newest first), the panel's newest line,
the warn-mode banner, the SEC-UNKNOWN-SUPPORTER page, "is the consultant still helping?" and the receipt.

Events go through the controller's real slot, as the session worker delivers them."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QLabel, QListWidget, QPlainTextEdit, QPushButton, QScrollArea

from launcher.core.quicksupport.tvlog import TvEvent
from launcher.ui.controller import State
from tests.support.ui_session import NOW, consultant_works, remember, start_session

pytestmark = pytest.mark.usefixtures("end_started_sessions")


def _start(window) -> None:
    remember(window)
    start_session(window)


def test_verified_consultant_status_list_and_panel(window, qtbot) -> None:
    _start(window)
    c = window.controller
    consultant_works(c)
    status = window.findChild(QLabel, "sessionStatus").text()
    assert status.startswith("Konsultant Overmax Anna Nowak (zweryfikowany)")
    lines = [window.findChild(QListWidget, "activityList").item(i).text() for i in range(3)]
    assert lines[0].endswith("Konsultant przesłał na ten komputer plik „sterownik.zip” (10,9 MB) do folderu "
                             "/home/jan/Pobrane.")  # newest first
    assert lines[2].endswith("Połączył się konsultant Overmax Anna Nowak (zweryfikowany).")
    panel = window.compact_panel
    assert panel.findChild(QLabel, "compactActivity").text() == lines[0].split("  ", 1)[1]
    assert not window.findChild(QLabel, "sessionStatus").property("warning")


def test_the_page_still_fits_1024x600_with_the_list_and_the_warning(window, qtbot) -> None:
    window.resize(1024, 600)
    _start(window)
    c = window.controller
    consultant_works(c)
    c._on_session_event(TvEvent("file_out", NOW, name="raport.txt", folder="/home/jan"))
    page = window.current_page()
    frame = page.parentWidget().parentWidget()
    assert isinstance(frame, QScrollArea)
    qtbot.wait(10)
    assert page.minimumSizeHint().height() <= frame.viewport().height()
    c._on_session_event(TvEvent("unidentified", NOW, verdict="unknown"))  # warn mode: the status turns red
    qtbot.wait(10)
    assert page.findChild(QLabel, "sessionStatus").property("warning")
    assert page.minimumSizeHint().height() <= frame.viewport().height()


def test_warn_mode_shows_the_warning_prominently(window, qtbot) -> None:
    _start(window)
    c = window.controller
    c._on_session_event(TvEvent("joined", NOW, tv_id="1555000111", name="Pomoc Techniczna", verdict="unknown"))
    status = window.findChild(QLabel, "sessionStatus")
    assert status.property("warning") and status.text().startswith("Połączona osoba spoza Overmax: „Pomoc Techniczna”")
    assert "UWAGA: to nie jest konsultant Overmax" in status.text() and "61\xa0653\xa012\xa093" in status.text()
    panel_status = window.compact_panel.findChild(QLabel, "compactStatus")
    assert panel_status.property("warning") and "UWAGA" in panel_status.text()
    assert c.state is State.SESSION  # warn mode: the connection stays


def test_no_roster_says_unverified(window) -> None:
    _start(window)
    window.controller._on_session_event(TvEvent("joined", NOW, tv_id="1555000111", name="Jan", verdict="unverified"))
    assert window.findChild(QLabel, "sessionStatus").text().startswith("Połączony: „Jan” (niezweryfikowany)")


def test_refused_supporter_shows_sec_unknown_supporter(window, qtbot) -> None:
    _start(window)
    c = window.controller
    c._on_session_event(TvEvent("joined", NOW, tv_id="1555000111", name="Pomoc Techniczna", verdict="unknown"))
    c._on_session_event(TvEvent("refused", NOW, tv_id="1555000111", name="Pomoc Techniczna", verdict="unknown"))
    assert c.state is State.ERROR
    assert window.findChild(QLabel, "errorCode").text() == "SEC-UNKNOWN-SUPPORTER"
    message = window.findChild(QLabel, "errorMessage").text()
    assert "spoza Overmax" in message and "61\xa0653\xa012\xa093" in message  # never broken over two lines
    qtbot.waitUntil(lambda: c.watch.receipt_path is not None, timeout=5000)  # the worker reported it stopped
    doc = json.loads(c.watch.receipt_path.with_suffix(".json").read_text("utf-8"))
    assert doc["ended_by"] == "refused" and doc["consultants"][0]["verdict"] == "unknown"


def test_confirm_prompt_yes_and_silence(make_window, qtbot) -> None:
    window = make_window(overrides={"session": {"confirm_minutes": 1, "idle_answer_s": 5}})
    c = window.controller
    c.watch._ask.setInterval(50)  # a minute is the config's smallest step; the test needs no minute
    c.watch._answer.setInterval(100)
    _start(window)
    consultant_works(c)
    prompt = window.findChild(QPushButton, "confirmYesButton").parentWidget()
    qtbot.waitUntil(prompt.isVisible, timeout=5000)
    qtbot.mouseClick(window.findChild(QPushButton, "confirmYesButton"), Qt.MouseButton.LeftButton)
    assert not prompt.isVisible() and c.state is State.SESSION
    qtbot.waitUntil(prompt.isVisible, timeout=5000)  # asked again after another interval
    qtbot.waitUntil(lambda: c.state is not State.SESSION, timeout=5000)  # nobody answered
    assert c.end_reason == "unanswered"


def test_confirm_prompt_rozlacz_disconnects(make_window, qtbot) -> None:
    window = make_window()
    c = window.controller
    c.watch._ask.setInterval(50)
    _start(window)
    consultant_works(c)
    button = window.findChild(QPushButton, "confirmDisconnectButton")
    qtbot.waitUntil(button.isVisible, timeout=5000)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert c.state in (State.STOPPING, State.ENDED) and c.end_reason == "customer"


def test_no_prompt_without_a_consultant(make_window, qtbot) -> None:
    window = make_window()
    c = window.controller
    c.watch._ask.setInterval(20)
    _start(window)
    qtbot.wait(200)
    assert not window.findChild(QPushButton, "confirmYesButton").isVisible()


def test_ended_page_shows_the_receipt_and_saves_a_copy(window, qtbot, tmp_path: Path, monkeypatch) -> None:
    home = tmp_path / "home"  # a home folder without Documents (nor Desktop, Downloads)
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    for name in ("XDG_DOCUMENTS_DIR", "XDG_DESKTOP_DIR", "XDG_DOWNLOAD_DIR", "XDG_CONFIG_HOME"):
        monkeypatch.delenv(name, raising=False)
    _start(window)
    c = window.controller
    consultant_works(c)
    c._on_session_event(TvEvent("ended", NOW.replace(minute=9), name="reason=1"))
    c.disconnect_session()
    qtbot.waitUntil(lambda: c.state is State.ENDED, timeout=5000)
    view = window.findChild(QPlainTextEdit, "receiptView")
    text = view.toPlainText()
    assert view.isVisible() and "Anna Nowak, ID 1 987 654 320, zweryfikowany" in text
    assert "Zakończenie: Sesję zakończono na tym komputerze (Rozłącz)." in text
    assert c.watch.receipt_path is not None and c.watch.receipt_path.read_text("utf-8") == text
    qtbot.mouseClick(window.findChild(QPushButton, "saveReceiptButton"), Qt.MouseButton.LeftButton)
    dialog = window.findChild(QFileDialog, "saveReceiptDialog")
    qtbot.waitUntil(dialog.isVisible, timeout=5000)
    # it opens where the consultant's report goes, a folder that exists (never the program's working folder)
    from launcher.core.diagnostics import report_folder

    expected = report_folder()  # Desktop, Documents, Downloads, home: the first that exists
    assert expected.is_dir() and os.path.samefile(dialog.directory().absolutePath(), expected)
    if sys.platform.startswith("linux"):  # HOME says where they are there; Windows asks the shell
        assert expected == home
    target = tmp_path / "moje" / "potwierdzenie.txt"
    target.parent.mkdir()
    dialog.selectFile(str(target))
    dialog.accept()
    assert target.read_text("utf-8") == text
    assert "Kopia zapisana" in window.findChild(QLabel, "receiptSaved").text()


def test_after_an_impostor_was_cut_off_nothing_offers_a_new_quicksupport(window, qtbot):
    """A new QuickSupport would show a new ID and password that could be read out to the same caller:
    SEC-UNKNOWN-SUPPORTER has no "Spróbuj ponownie" (Enter presses Zamknij), and the controller refuses a retry."""
    from launcher.core.errors import LauncherError
    from launcher.ui.controller import State

    c = window.controller
    c.state = State.SESSION
    c._fail(LauncherError("SEC-UNKNOWN-SUPPORTER"))
    page = window.error_page
    assert c.state is State.ERROR and page.code.text() == "SEC-UNKNOWN-SUPPORTER"
    assert not page.retry_button.isVisible() and not page.retry_button.isDefault()
    assert page.close_button.isVisible() and page.close_button.isDefault()
    c.retry()
    assert c.state is State.ERROR
    c._fail(LauncherError("NET-OFFLINE"))  # any other error keeps its retry
    assert page.retry_button.isVisible() and page.retry_button.isDefault()
    assert not page.close_button.isVisible()
    c.retry()
    assert c.state is not State.ERROR


def test_the_error_page_says_where_the_ended_sessions_receipt_is(window, tmp_path):
    from launcher.core.errors import LauncherError
    from launcher.ui.controller import State

    c = window.controller
    c.state = State.SESSION
    c._fail(LauncherError("SEC-UNKNOWN-SUPPORTER"))
    receipt = tmp_path / "sesja.txt"
    c.watch.receipt_path = receipt
    c.sessionChanged.emit(c.session)
    assert str(receipt) in window.error_page.receipt_note.text()


def test_the_sec_unknown_supporter_page_names_who_was_cut_off_as_plain_untrusted_text(window, qtbot) -> None:
    """The page says who connected (as the receipt does), so the customer can tell the hotline: the name they
    chose in quotes, one plain line (markup shown as typed, a bidi override made visible), and the ID grouped
    and never broken over two lines."""
    from launcher.core.quicksupport.tvlog import parse_line
    from launcher.core.untrusted_text import REPLACEMENT
    from tests.unit.test_tvlog import tv_line

    _start(window)
    c = window.controller
    line = "CPersistentParticipantManager::AddParticipant: [1555000111,115469523] type=6 " \
           "name=<b>Overmax</b> Pomoc\u202efdp.exe"
    joined = parse_line(tv_line(line, NOW))
    assert joined is not None and joined.kind == "joined"
    c._on_session_event(TvEvent("joined", NOW, tv_id=joined.tv_id, name=joined.name, verdict="unknown"))
    c._on_session_event(TvEvent("refused", NOW, tv_id=joined.tv_id, name=joined.name, verdict="unknown"))
    assert c.state is State.ERROR
    label = window.findChild(QLabel, "unknownSupporter")
    assert label.isVisible() and label.textFormat() == Qt.TextFormat.PlainText
    assert label.text() == ("Połączyła się osoba: „<b>Overmax</b> Pomoc" + REPLACEMENT + "fdp.exe”, ID TeamViewer: "
                            "1\xa0555\xa0000\xa0111. Podaj te dane konsultantowi na infolinii.")
    qtbot.waitUntil(lambda: c.watch.receipt_path is not None, timeout=5000)
    # another error on the page later says nothing about a supporter
    from launcher.core.errors import LauncherError

    c._fail(LauncherError("NET-HTTPS"))
    assert not label.isVisible() and label.text() == ""


def test_a_supporter_cut_off_unnamed_is_said_to_be_unknown(window, qtbot) -> None:
    _start(window)
    c = window.controller
    c._on_session_event(TvEvent("refused", NOW, verdict="unknown"))  # no known wording named them in time
    label = window.findChild(QLabel, "unknownSupporter")
    assert c.state is State.ERROR and label.isVisible()
    assert label.text() == ("Połączyła się osoba: bez nazwy, ID TeamViewer: nieznany. Podaj te dane konsultantowi "
                            "na infolinii.")
    qtbot.waitUntil(lambda: c.watch.receipt_path is not None, timeout=5000)


def test_one_of_two_supporters_leaving_leaves_the_session_with_the_other(window) -> None:
    """A supervisor joins the consultant, then leaves: the consultant is still connected, so the page says so,
    the question "is the consultant still helping?" stays due and the idle prompt's timer does not start (it
    said "Konsultant zakończył sesję" before, and could later end the session as idle)."""
    _start(window)
    c = window.controller
    consultant_works(c)
    c._on_session_event(TvEvent("joined", NOW.replace(minute=4), tv_id="1987654321", name="Ewa Kowalska",
                                verdict="verified"))
    c._on_session_event(TvEvent("left", NOW.replace(minute=5), tv_id="1987654321"))
    status = window.findChild(QLabel, "sessionStatus").text()
    assert status.startswith("Konsultant Overmax Anna Nowak (zweryfikowany)")
    assert c.session.connected_since is not None and not c.session.ended_by_consultant
    assert c.watch._ask.isActive() and not c._idle_timer.isActive()
    c._on_session_event(TvEvent("left", NOW.replace(minute=6), tv_id="1987654320"))
    assert window.findChild(QLabel, "sessionStatus").text().startswith("Konsultant zakończył sesję")
    assert not c.watch._ask.isActive() and c._idle_timer.isActive()


def test_warn_mode_keeps_warning_while_the_stranger_stays_whoever_else_comes_and_goes(window) -> None:
    """Warn mode: a stranger and a consultant connected at once. Whichever joined last, and after the
    consultant has left, the red warning stays as long as the stranger is connected."""
    _start(window)
    c = window.controller
    status = window.findChild(QLabel, "sessionStatus")
    c._on_session_event(TvEvent("joined", NOW, tv_id="1555000111", name="Pomoc Techniczna", verdict="unknown"))
    c._on_session_event(TvEvent("joined", NOW, tv_id="1987654320", name="Anna Nowak", verdict="verified"))
    assert status.property("warning") and "UWAGA" in status.text()
    c._on_session_event(TvEvent("left", NOW, tv_id="1987654320"))
    assert status.property("warning") and "UWAGA" in status.text()
    c._on_session_event(TvEvent("left", NOW, tv_id="1555000111"))
    assert not status.property("warning") and status.text().startswith("Konsultant zakończył sesję")
