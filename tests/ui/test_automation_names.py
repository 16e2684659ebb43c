"""DESIGN.md's automation names, spelled exactly as there: the vendor's UI automation finds each widget by its
`objectName`, once per window, with a matching `accessibleName` in the UI language (Polish, or English with
--lang en). The list is written out here, not imported, so a rename in the code fails this test."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QWidget

from launcher.selftest import REQUIRED_NAMES

DESIGN_NAMES = ("termsView", "acceptTerms", "confirmHotline", "continueButton", "checkList", "downloadProgress",
                "cancelButton", "sessionId", "sessionPassword", "sessionStatus", "disconnectButton", "errorCode",
                "errorMessage", "retryButton", "copyReportButton", "nonStandardBanner", "stepIndicator",
                "activityList", "receiptView")

# what a screen reader says for each, in either language (the translation is launcher_en.ts)
ACCESSIBLE = {
    "termsView": ("Treść Regulaminu Pomocy Zdalnej", "Remote Help Terms text"),
    "acceptTerms": ("Akceptuję Regulamin", "I accept the Terms"),
    "confirmHotline": ("Potwierdzam rozmowę z konsultantem Overmax", "I confirm the call with an Overmax consultant"),
    "continueButton": ("Dalej", "Next"),
    "checkList": ("Lista sprawdzeń połączenia", "Connection checks"),
    "downloadProgress": ("Postęp pobierania", "Download progress"),
    "cancelButton": ("Anuluj", "Cancel"),
    "sessionId": ("Twoje ID", "Your ID"),
    "sessionPassword": ("Hasło", "Password"),
    "sessionStatus": ("Stan połączenia", "Connection status"),
    "disconnectButton": ("Rozłącz i zakończ pomoc zdalną", "Disconnect and end remote help"),
    "errorCode": ("Kod błędu", "Error code"),
    "errorMessage": ("Opis błędu", "Error description"),
    "retryButton": ("Spróbuj ponownie", "Try again"),
    "copyReportButton": ("Kopiuj raport", "Copy report"),
    "nonStandardBanner": ("Niestandardowa konfiguracja", "Non-standard configuration"),
    "stepIndicator": ("Krok", "Step"),
    "activityList": ("Co robi konsultant", "What the consultant is doing"),
    "receiptView": ("Potwierdzenie sesji", "Session receipt"),
}


@pytest.mark.parametrize("language", ["pl", "en"])
def test_every_design_name_is_one_widget_with_an_accessible_name_in_the_ui_language(make_window, translated,
                                                                                    language):
    translated(language)
    window = make_window(language=language)
    window.build_all_pages()  # the error and ended pages are otherwise built when first shown
    for name in DESIGN_NAMES:
        widgets = window.findChildren(QWidget, name)
        assert len(widgets) == 1, (name, widgets)
        assert widgets[0].accessibleName() == ACCESSIBLE[name][language == "en"], name


def test_the_self_test_checks_every_design_name():
    """`--self-test` (run on the frozen Linux and Windows apps too) refuses a build missing any of them."""
    assert sorted(REQUIRED_NAMES) == sorted(DESIGN_NAMES)


@pytest.mark.parametrize("language", ["pl", "en"])
def test_no_other_widget_of_the_window_shares_a_design_names_accessible_name(make_window, translated, language):
    """Automation that finds a control by its accessible name (UI Automation's Name) must find that one control:
    the error page's receipt note was also called „Potwierdzenie sesji”, as receiptView is."""
    translated(language)
    window = make_window(language=language)
    window.build_all_pages()
    for name in DESIGN_NAMES:
        accessible = ACCESSIBLE[name][language == "en"]
        sharing = [w.objectName() for w in window.findChildren(QWidget) if w.accessibleName() == accessible]
        assert sharing == [name], (accessible, sharing)


@pytest.mark.parametrize("language", ["pl", "en"])
def test_the_always_on_top_panel_shares_no_design_names_accessible_name(make_window, translated, end_started_sessions,
                                                                        language):
    """The panel is on screen beside the window during a session: its Rozłącz was named as disconnectButton is,
    and a UI Automation search by Name found two controls (contracts review)."""
    from tests.support.ui_session import remember, start_session

    translated(language)
    window = make_window(language=language)
    window.build_all_pages()
    start_session(window)
    remember(window)
    panel = window.compact_panel
    for name in DESIGN_NAMES:
        accessible = ACCESSIBLE[name][language == "en"]
        sharing = [w.objectName() for top in (window, panel) for w in top.findChildren(QWidget)
                   if w.accessibleName() == accessible]
        assert sharing == [name], (accessible, sharing)
