"""Pages and window behaviour, offscreen with pytest-qt, driven by the automation names."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QLabel, QProgressBar, QPushButton, QTextBrowser

from launcher.core.connectivity import ProbeResult
from launcher.core.errors import CATALOGUE, LauncherError
from launcher.core.quicksupport.tvlog import TvEvent
from launcher.ui.controller import State

AUTOMATION_NAMES = [
    "termsView", "acceptTerms", "confirmHotline", "continueButton", "checkList", "downloadProgress",
    "cancelButton", "sessionId", "sessionPassword", "sessionStatus", "disconnectButton", "errorCode",
    "errorMessage", "retryButton", "copyReportButton", "nonStandardBanner", "stepIndicator",
]

PHONE_WHOLE = "61\xa0653\xa012\xa093"  # the hotline, its spaces no-break ones (launcher/ui/unbroken.py)


def test_every_automation_name_exists_with_an_accessible_name(window):
    window.build_all_pages()  # the error page's names exist from the moment it is first shown
    for name in AUTOMATION_NAMES:
        widgets = window.findChildren(object, name)
        assert len(widgets) == 1, name
        assert widgets[0].accessibleName(), name


def test_terms_show_full_regulamin_with_email_and_gate_continue(make_window, qtbot):
    window = make_window({"hotline": {"email": "pomoc@example.pl"}})
    view = window.findChild(QTextBrowser, "termsView")
    text = view.toPlainText()
    assert "REGULAMIN POMOCY ZDALNEJ" in text.upper()
    assert "pomoc@example.pl" in text and "{email}" not in text
    assert "61 653 12 93" in text and "01.09.2018" in text
    cont = window.findChild(QPushButton, "continueButton")
    accept = window.findChild(QCheckBox, "acceptTerms")
    hotline = window.findChild(QCheckBox, "confirmHotline")
    hint = window.findChild(QLabel, "continueHint")  # why Dalej is grey, beside it, even below the fold
    assert not cont.isEnabled() and hint.isVisible()
    assert hint.text() == "Aby przejść dalej, zaznacz oba pola pod Regulaminem."
    hotline.setChecked(True)
    assert not cont.isEnabled() and hint.isVisible()
    height = hint.parentWidget().height()
    accept.setChecked(True)
    assert cont.isEnabled() and not hint.isVisible()
    assert hint.parentWidget().height() == height  # the row keeps its height: Dalej stays where it was
    hotline.setChecked(False)
    assert not cont.isEnabled() and hint.isVisible()
    qtbot.mouseClick(cont, Qt.MouseButton.LeftButton)
    assert window.controller.state is State.TERMS  # a disabled button does nothing
    assert not window.controller.paths.consent_file.exists()


def test_builtin_config_shows_no_banner_and_step_one(window):
    assert not window.findChild(QLabel, "nonStandardBanner").isVisible()
    assert window.findChild(QLabel, "stepIndicator").text().startswith("Krok 1 z 5")


def test_accepting_records_consent_then_checks(window, qtbot):
    window.findChild(QCheckBox, "acceptTerms").setChecked(True)
    window.findChild(QCheckBox, "confirmHotline").setChecked(True)
    # keep the real probes off the network: the built-in targets are never contacted from tests
    controller = window.controller
    controller.start_check = lambda: None  # noqa: E731 - consent is what this test is about
    qtbot.mouseClick(window.findChild(QPushButton, "continueButton"), Qt.MouseButton.LeftButton)
    lines = controller.paths.consent_file.read_text(encoding="utf-8").splitlines()
    record = json.loads(lines[-1])
    assert record["regulamin_version"] == "01.09.2018"
    assert record["regulamin_sha256"] == controller.regulamin.sha256
    assert record["language"] == "pl" and record["app_version"]
    assert record["time"].endswith("Z")


def test_english_shows_the_translation_marked_and_records_which_text(make_window, qtbot):
    window = make_window(language="en")
    controller = window.controller
    view = window.findChild(QTextBrowser, "termsView")
    assert "Polish text is binding" in view.toPlainText() and "Warunkiem" not in view.toPlainText()
    assert window.findChild(QLabel, "translationNote").isVisible()
    controller.start_check = lambda: None  # noqa: E731 - consent is what this test is about
    window.findChild(QCheckBox, "acceptTerms").setChecked(True)
    window.findChild(QCheckBox, "confirmHotline").setChecked(True)
    qtbot.mouseClick(window.findChild(QPushButton, "continueButton"), Qt.MouseButton.LeftButton)
    record = json.loads(controller.paths.consent_file.read_text(encoding="utf-8").splitlines()[-1])
    assert record["regulamin_sha256"] == controller.regulamin.sha256  # the translation, as shown
    assert record["regulamin_binding_sha256"] == controller.binding_regulamin.sha256
    assert record["regulamin_language"] == "en"


def test_showing_the_polish_original_and_accepting_records_the_polish_text(make_window, qtbot):
    window = make_window(language="en")
    controller = window.controller
    window.findChild(QPushButton, "originalTermsButton").click()
    assert "Warunkiem koniecznym" in window.findChild(QTextBrowser, "termsView").toPlainText()
    controller.start_check = lambda: None  # noqa: E731
    window.findChild(QCheckBox, "acceptTerms").setChecked(True)
    window.findChild(QCheckBox, "confirmHotline").setChecked(True)
    qtbot.mouseClick(window.findChild(QPushButton, "continueButton"), Qt.MouseButton.LeftButton)
    record = json.loads(controller.paths.consent_file.read_text(encoding="utf-8").splitlines()[-1])
    assert record["regulamin_sha256"] == controller.binding_regulamin.sha256
    assert record["regulamin_language"] == "pl"


def test_check_box_text_wraps_and_a_click_on_it_ticks_the_box(window, qtbot):
    box = window.findChild(QCheckBox, "confirmHotline")
    text = window.findChild(QLabel, "confirmHotlineText")
    assert text.wordWrap() and PHONE_WHOLE in text.text()  # the number never broken over two lines
    qtbot.mouseClick(text, Qt.MouseButton.LeftButton)
    assert box.isChecked()


def test_retry_that_fails_again_says_when_and_whether_anything_changed(window):
    c = window.controller
    c._fail(LauncherError("NET-DNS"))
    attempt = window.findChild(QLabel, "attemptInfo")
    first = attempt.text()
    assert first.startswith("Próba o ")
    c._fail(LauncherError("NET-DNS"))
    assert "nr 2" in attempt.text() and "ten sam problem" in attempt.text()
    c._fail(LauncherError("NET-OFFLINE"))
    assert "nr 3" in attempt.text() and "inny problem" in attempt.text() and "NET-DNS" in attempt.text()
    c._enter(State.TERMS)
    c._fail(LauncherError("NET-DNS"))
    assert attempt.text().startswith("Próba o ")  # past the error once: counting starts again


def test_footer_does_not_say_the_hotline_is_closed_during_a_session(window, qtbot):
    c = window.controller
    c._enter(State.SESSION)
    assert window.footer.text() == f"Infolinia techniczna Overmax: {PHONE_WHOLE}"
    c._enter(State.ENDED)  # the opening hours come back once the calendar (asked on the thread pool) answers
    qtbot.waitUntil(lambda: window.footer.text().startswith(f"Infolinia techniczna Overmax: {PHONE_WHOLE}. "))


def test_session_page_shows_the_hotline_number_once(window):
    window.controller._enter(State.SESSION)
    labels = [w.text() for w in window.findChildren(QLabel) if w.isVisible()]
    assert sum(text.replace("\xa0", " ").count("61 653 12 93") for text in labels) == 1


def test_check_rows_turn_green_or_red(window):
    page = window.check_page
    from launcher.core.connectivity import planned_checks

    page.reset(planned_checks(window.controller.config.connectivity))
    keys = list(page.row_states())
    assert all(state == "pending" for state in page.row_states().values())
    page.show_result(ProbeResult(key=keys[0], kind="dns", ok=True, detail="", code=None, elapsed_s=0.01))
    page.show_result(ProbeResult(key=keys[-1], kind="tcp", ok=False, detail="x", code="NET-TV-BLOCKED",
                                 elapsed_s=3))
    states = page.row_states()
    assert states[keys[0]] == "ok" and states[keys[-1]] == "failed"
    assert "NET-TV-BLOCKED" in page.list.item(len(keys) - 1).text()


def test_error_page_shows_code_sentence_and_report_without_password(window, qtbot):
    controller = window.controller
    controller._password = "s3cr3tPw"
    controller._fail(LauncherError("MAN-SIG", "signature by unknown key"))
    assert controller.state is State.ERROR
    assert window.findChild(QLabel, "errorCode").text() == "MAN-SIG"
    message = window.findChild(QLabel, "errorMessage").text()
    assert CATALOGUE["MAN-SIG"].what_pl in message and CATALOGUE["MAN-SIG"].todo_pl in message
    qtbot.mouseClick(window.findChild(QPushButton, "copyReportButton"), Qt.MouseButton.LeftButton)
    from PySide6.QtGui import QGuiApplication

    report = QGuiApplication.clipboard().text()
    assert "MAN-SIG" in report and "s3cr3tPw" not in report


def test_report_saved_to_a_file_without_password(window, qtbot, tmp_path):
    controller = window.controller
    controller._password = "s3cr3tPw"
    controller._fail(LauncherError("DL-HASH", "sha256 mismatch"))
    window.report_dir = tmp_path
    qtbot.mouseClick(window.findChild(QPushButton, "saveReportButton"), Qt.MouseButton.LeftButton)
    saved = list(tmp_path.glob("overmax-pomoc-zdalna-raport-*.txt"))
    assert len(saved) == 1
    text = saved[0].read_text(encoding="utf-8")
    assert "DL-HASH" in text and "s3cr3tPw" not in text
    assert str(saved[0]) in window.error_page.copied.text()


def test_the_customers_own_anuluj_is_not_shown_as_a_fault(window):
    """After Anuluj the page said "Wystąpił problem" with the code in an alarm's red: it reads as a fault. What the
    customer chose (ErrorSpec.chosen) says so, in a plain colour; the next real error is a problem in red again."""
    from launcher.core.errors import CATALOGUE

    assert [code for code, spec in CATALOGUE.items() if spec.chosen] == ["NET-CANCELLED", "DL-CANCELLED"]
    page = window.error_page
    colours = {}
    for code, title in (("DL-CANCELLED", "Zatrzymano na Twoje polecenie"), ("NET-DNS", "Wystąpił problem"),
                        ("DL-CANCELLED", "Zatrzymano na Twoje polecenie")):
        window.controller._enter(State.DOWNLOAD)  # each comes from the download step (Spróbuj ponownie between)
        window.controller._fail(LauncherError(code))
        assert page.title.text() == title and page.code.text() == code
        colours.setdefault(code, set()).add(page.code.palette().color(page.code.foregroundRole()).name())
    assert colours["NET-DNS"] == {"#b00020"} and colours["DL-CANCELLED"] == {"#333333"}


def test_download_progress_uses_64_bit_byte_counts(window):
    page = window.download_page
    page.reset()
    five_gib = 5 * 1024**3
    window.controller.downloadProgress.emit(five_gib // 2, five_gib, 1_000_000.0, 12.0)
    bar = window.findChild(QProgressBar, "downloadProgress")
    assert bar.value() == 500
    assert "2,5 GB z 5,0 GB" in page.detail.text()


def test_download_progress_in_english_uses_a_decimal_point(qapp):
    from launcher.ui.pages.download_page import DownloadPage

    page = DownloadPage("en")
    page.show_progress(13_000_000, 32_498_992, 2_400_000.0, 8.0)
    assert "12.4 MB" in page.detail.text() and "31.0 MB" in page.detail.text()
    assert "12,4" not in page.detail.text() and "2,3 MB/s" not in page.detail.text()
    page.deleteLater()


def test_session_page_shows_grouped_id_supporter_and_password_hint(window):
    c = window.controller
    c._enter(State.STARTING)
    status = window.findChild(QLabel, "sessionStatus")
    assert "Uruchamianie" in status.text()
    c._on_session_event(TvEvent(kind="id", when=None, tv_id="1660388656"))
    assert c.state is State.SESSION
    assert window.findChild(QLabel, "sessionId").text() == "1 660 388 656"
    assert "Krok 4 z 5" in window.findChild(QLabel, "stepIndicator").text()
    assert "okna TeamViewer" in window.session_page.password_hint.text()  # no password read: say where
    assert window.findChild(QPushButton, "showQuickSupportButton").isVisible()  # ... and show that window
    c._on_session_event(TvEvent(kind="online", when=None))
    assert "Czekamy" in status.text()
    c._on_session_event(TvEvent(kind="joined", when=None, tv_id="1660360496", name="Jan Konsultant"))
    assert "Jan Konsultant" in status.text()
    c._on_password("ab12cd")
    assert window.findChild(QLabel, "sessionPassword").text() == "ab12cd"
    assert not window.findChild(QPushButton, "showQuickSupportButton").isVisible()
    c._on_session_event(TvEvent(kind="ended", when=None))
    assert "zakończył" in status.text()
    c._on_session_stopped()  # what the worker reports after the disconnect
    assert window.findChild(QLabel, "sessionPassword").text() != "ab12cd"  # wiped


def test_closing_window_outside_a_session_closes_at_once(window):
    window.close()
    assert not window.isVisible()


def test_non_standard_config_shows_banner_naming_the_keys(make_window):
    win = make_window({"manifest": {"url": "https://mirror.example/q.json"}})
    banner = win.findChild(QLabel, "nonStandardBanner")
    assert banner.isVisible() and "manifest.url" in banner.text()


def test_copied_password_leaves_the_clipboard_at_disconnect(window, qtbot):
    from PySide6.QtGui import QGuiApplication

    c = window.controller
    c._enter(State.STARTING)
    c._on_session_event(TvEvent(kind="id", when=None, tv_id="123456789"))
    c._on_password("Secr3t9")
    qtbot.mouseClick(window.findChild(QPushButton, "copyPasswordButton"), Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == "Secr3t9"
    c._on_session_stopped()
    assert QGuiApplication.clipboard().text() != "Secr3t9"


def test_a_window_never_painted_still_finishes_starting(qtbot, qapp, tmp_path, monkeypatch):
    """Started minimised or hidden: the log file, the single-instance server and the other pages must
    not wait for a paint that may never come."""
    from launcher.config import load_config
    from launcher.core.paths import app_paths
    from launcher.ui.controller import Controller
    from launcher.ui.main_window import MainWindow

    monkeypatch.setattr(MainWindow, "FIRST_PAINT_FALLBACK_MS", 50)
    controller = Controller(load_config(), app_paths(str(tmp_path / "data")).ensure())
    window = MainWindow(controller)  # never shown
    qtbot.addWidget(window)
    try:
        with qtbot.waitSignal(window.firstPainted, timeout=5000):
            pass
        qtbot.waitUntil(lambda: window.startup_finished, timeout=5000)
        assert window.first_painted_at is None
        assert window.findChild(QLabel, "sessionId") is not None
    finally:
        controller.shutdown()


def test_source_lines_read_before_the_end_of_start_up_are_let_go(make_window):
    """PySide6 reads the source of every module imported after it into linecache (its `__feature__`
    check); once start-up is done the window lets those lines go, and a traceback still finds its line."""
    import linecache
    import traceback

    import holidays  # noqa: F401 - the calendar start-up loads: its source is what the cache held

    linecache.getlines(holidays.__file__)  # as PySide6's check reads it when holidays is imported after Qt
    assert linecache.cache.get(holidays.__file__)
    make_window()
    assert holidays.__file__ not in linecache.cache
    try:
        raise ValueError("still readable")
    except ValueError as exc:
        assert 'raise ValueError("still readable")' in "".join(traceback.format_exception(exc))


def test_error_and_ended_pages_are_built_when_first_needed(window):
    """After start-up only the pages every session passes exist; an error brings its page then."""
    assert window.findChild(QLabel, "errorCode") is None
    assert window.findChild(QPushButton, "retryButton") is None
    window.controller._fail(LauncherError("NET-OFFLINE", "no route"))
    code = window.findChild(QLabel, "errorCode")
    assert code is not None and code.text() == "NET-OFFLINE"
    assert window.stack.currentWidget().isAncestorOf(code)
