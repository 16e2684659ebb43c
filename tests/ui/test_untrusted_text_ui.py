"""Names the supporter chose, and names of files they move, in the real window (offscreen): every widget shows
them as plain text (never as HTML: `<b>`, `<img>`, `<a href>`, `<font color=white>`), on one line, and a name
that imitates the verified wording stands in quotes next to the program's own "niezweryfikowany" / "spoza
Overmax". Events are TeamViewer log lines in the real layout, parsed by tvlog and given the roster's verdict as
the session gives it, then delivered through the controller's real slot."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QListWidget, QPlainTextEdit, QWidget

from launcher.core.quicksupport.tvlog import TvEvent, parse_line
from launcher.core.untrusted_text import REPLACEMENT
from launcher.ui.controller import State
from tests.support.ui_session import NOW, remember, start_session
from tests.unit.test_tvlog import tv_line

pytestmark = pytest.mark.usefixtures("end_started_sessions")

IMPOSTOR_ID = "1555000111"
JOIN = "CPersistentParticipantManager::AddParticipant: [{id},115469523] type=6 name={name}"
FAKE_VERIFIED = "<b>Konsultant Overmax</b> Jan (zweryfikowany)"


def _joined(name: str, verdict: str) -> TvEvent:
    ev = parse_line(tv_line(JOIN.format(id=IMPOSTOR_ID, name=name), NOW))
    assert ev is not None and ev.kind == "joined"
    return replace(ev, verdict=verdict)  # what the session's roster check adds (supporter_gate)


def _labels_showing(widgets: list[QWidget], text: str) -> list[QLabel]:
    found = [label for w in widgets for label in w.findChildren(QLabel) if text in label.text()]
    assert found, f"no label shows {text!r}"
    return found


def _assert_plain(labels: list[QLabel]) -> None:
    for label in labels:
        assert label.textFormat() == Qt.TextFormat.PlainText, label.objectName()


def test_warn_mode_markup_name_is_plain_quoted_and_under_the_warning(make_window) -> None:
    window = make_window(overrides={"session": {"unknown_supporter": "warn"}})
    remember(window)
    start_session(window)
    c = window.controller
    c._on_session_event(_joined(FAKE_VERIFIED, "unknown"))
    assert c.state is State.SESSION
    status = window.findChild(QLabel, "sessionStatus")
    assert status.textFormat() == Qt.TextFormat.PlainText
    assert status.text().startswith(f"Połączona osoba spoza Overmax: „{FAKE_VERIFIED}”")
    assert "UWAGA: to nie jest konsultant Overmax" in status.text() and status.property("warning")
    panel = window.compact_panel
    panel_status = panel.findChild(QLabel, "compactStatus")
    assert panel_status.textFormat() == Qt.TextFormat.PlainText
    assert f"połączona osoba spoza Overmax „{FAKE_VERIFIED}”" in panel_status.text() and "UWAGA" in panel_status.text()
    newest = window.findChild(QListWidget, "activityList").item(0).text()
    assert newest.endswith(f"UWAGA: połączyła się osoba spoza Overmax: „{FAKE_VERIFIED}”, ID 1 555 000 111.")
    _assert_plain(_labels_showing([window, panel], "<b>Konsultant Overmax</b>"))
    assert "Konsultant Overmax" not in window.windowTitle() and "<" not in panel.windowTitle()


def test_no_roster_a_name_imitating_the_verified_wording_reads_as_a_quotation(window) -> None:
    remember(window)
    start_session(window)
    name = "Konsultant Overmax Jan (zweryfikowany)"
    window.controller._on_session_event(_joined(name, "unverified"))
    status = window.findChild(QLabel, "sessionStatus")
    assert status.text().startswith(f"Połączony: „{name}” (niezweryfikowany)")
    panel_status = window.compact_panel.findChild(QLabel, "compactStatus")
    assert panel_status.text().startswith(f"ID 1\xa0660\xa0388\xa0656: połączony „{name}” (niezweryfikowany)")
    assert not any(label.text().startswith("Konsultant Overmax Jan") for label in window.findChildren(QLabel))


def test_a_quote_in_the_name_cannot_close_the_quotes(window) -> None:
    remember(window)
    start_session(window)
    window.controller._on_session_event(_joined("Jan” (zweryfikowany) „Anna", "unverified"))
    status = window.findChild(QLabel, "sessionStatus").text()
    assert status.startswith("Połączony: „Jan' (zweryfikowany) 'Anna” (niezweryfikowany)")


def test_line_breaks_and_bidi_in_a_name_show_on_one_line(window) -> None:
    remember(window)
    start_session(window)
    c = window.controller
    c._on_session_event(_joined("Jan\rKonsultant rozłączył się.\u2028\u202eynamreG", "unverified"))
    want = f"„Jan Konsultant rozłączył się. {REPLACEMENT}ynamreG”"
    assert c.session.supporter == want[1:-1]
    item = window.findChild(QListWidget, "activityList").item(0).text()
    assert item.endswith(f"Połączył się {want} (niezweryfikowany).") and len(item.splitlines()) == 1
    status = window.findChild(QLabel, "sessionStatus").text()
    assert len(status.splitlines()) == 1 and want in status


def test_received_file_with_markup_and_right_to_left_override(window) -> None:
    remember(window)
    start_session(window)
    c = window.controller
    c._on_session_event(_joined("Anna Nowak", "verified"))
    ev = parse_line(tv_line("Write file C:\\Users\\Jan\\Pobrane\\<img src=x.png>faktura\u202efdp.exe", NOW))
    assert ev is not None and ev.kind == "file_in"
    c._on_session_event(ev)
    shown = f"„<img src=x.png>faktura{REPLACEMENT}fdp.exe”"
    newest = window.findChild(QListWidget, "activityList").item(0).text()
    assert newest.endswith(f"plik {shown} do folderu C:\\Users\\Jan\\Pobrane.")
    activity = window.compact_panel.findChild(QLabel, "compactActivity")
    assert activity.textFormat() == Qt.TextFormat.PlainText and shown in activity.text()


def test_cut_off_supporter_in_the_error_page_and_the_receipt(window, qtbot) -> None:
    """Disconnect mode: the error page and the receipt name who was cut off, quoted, on one line each."""
    remember(window)
    start_session(window)
    c = window.controller
    name = "<a href='https://x.invalid'>Konsultant Overmax</a>\u2028Zweryfikowany"
    joined = _joined(name, "unknown")
    c._on_session_event(joined)
    c._on_session_event(TvEvent("refused", NOW, tv_id=IMPOSTOR_ID, name=joined.name, verdict="unknown"))
    assert c.state is State.ERROR
    for object_name in ("errorCode", "errorMessage", "errorReceipt", "attemptInfo"):
        assert window.findChild(QLabel, object_name).textFormat() == Qt.TextFormat.PlainText
    qtbot.waitUntil(lambda: c.watch.receipt_path is not None, timeout=5000)
    text = c.watch.receipt_path.read_text("utf-8")
    quoted = "„<a href='https://x.invalid'>Konsultant Overmax</a> Zweryfikowany”"
    assert f"Konsultant: {quoted}, ID 1 555 000 111, SPOZA OVERMAX" in text.splitlines()
    assert not any(line.startswith("Zweryfikowany") for line in text.splitlines())
    doc = json.loads(c.watch.receipt_path.with_suffix(".json").read_text("utf-8"))
    assert doc["consultants"][0]["name"] == quoted[1:-1] and doc["consultants"][0]["verified"] is False


def test_the_receipt_view_on_the_ended_page_is_plain_text(window, qtbot) -> None:
    remember(window)
    start_session(window)
    c = window.controller
    c._on_session_event(_joined(FAKE_VERIFIED, "unverified"))
    c.disconnect_session()
    qtbot.waitUntil(lambda: c.state is State.ENDED, timeout=5000)
    view = window.findChild(QPlainTextEdit, "receiptView")  # a QPlainTextEdit never renders markup
    assert f"Konsultant: „{FAKE_VERIFIED}”, ID 1 555 000 111, niezweryfikowany" in view.toPlainText()
    assert window.findChild(QLabel, "receiptSaved").textFormat() == Qt.TextFormat.PlainText


@pytest.fixture
def english(qapp):
    """The English translation installed as the app installs it before its first window; removed after."""
    from PySide6.QtWidgets import QApplication

    from launcher.ui.app import load_translations

    installed = load_translations(qapp, "en")
    yield
    for translator in installed:
        QApplication.instance().removeTranslator(translator)


def test_in_english_the_name_is_in_english_quotes_next_to_unverified(make_window, english) -> None:
    window = make_window(language="en")
    remember(window)
    start_session(window)
    name = "Overmax consultant Jan (verified)"
    window.controller._on_session_event(_joined(name, "unverified"))
    assert window.findChild(QLabel, "sessionStatus").text().startswith(f"Connected: “{name}” (unverified)")
    panel_status = window.compact_panel.findChild(QLabel, "compactStatus").text()
    assert panel_status.startswith(f"ID 1\xa0660\xa0388\xa0656: “{name}” connected (unverified)")
    newest = window.findChild(QListWidget, "activityList").item(0).text()
    assert newest.endswith(f"“{name}” connected (unverified).")
