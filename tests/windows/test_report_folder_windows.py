"""The report a customer saves for the consultant ("Zapisz raport"), where Windows refuses it: Defender's Controlled
folder access (ransomware protection) refuses an unknown program's writes to the Desktop and Documents with
ERROR_ACCESS_DENIED, and a OneDrive Desktop may be full. The launcher said APP-DATA-DIR ("cannot save its files,
check the disk") and saved nothing; now it saves into the next folder that takes it (Documents, Pobrane, the
profile). The refusal is made here as Windows makes it for one file name: a folder already holds that name, so
replacing it fails with the same PermissionError (Wine enforces no ACLs for root).
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime

import pytest

from launcher.core.diagnostics import report_folders, save_report_where_it_can_go
from launcher.core.errors import LauncherError
from tests.windows.test_polish_paths_windows import profile  # noqa: F401 - a fixture

pytestmark = pytest.mark.skipif(sys.platform != "win32", reason="the Windows suite: scripts/windows-lane.sh test")

NOW = datetime(2026, 11, 30, 12, 0, 0, tzinfo=UTC)
TEXT = "Raport: Łukasz Żółć, KOD BŁĘDU QS-TEMP\n"


def refuse(folder) -> None:
    """`folder` refuses the report of NOW: a folder sits at its name."""
    name = f"overmax-pomoc-zdalna-raport-{NOW.astimezone().strftime('%Y%m%d-%H%M%S')}.txt"
    (folder / name).mkdir()


def test_the_report_folders_are_desktop_documents_downloads_then_home(profile):  # noqa: F811
    assert report_folders() == [profile.desktop, profile.documents, profile.downloads, profile.root]


def test_a_desktop_that_refuses_the_report_sends_it_to_documents(profile):  # noqa: F811
    refuse(profile.desktop)
    saved = save_report_where_it_can_go(TEXT, now=NOW)
    assert saved.parent == profile.documents
    assert saved.read_text(encoding="utf-8") == TEXT
    assert not [p for p in profile.desktop.iterdir() if p.suffix == ".tmp"]  # nothing half-written left


def test_desktop_and_documents_refusing_send_it_to_pobrane_then_the_profile(profile):  # noqa: F811
    refuse(profile.desktop)
    refuse(profile.documents)
    saved = save_report_where_it_can_go(TEXT, now=NOW)
    assert saved.parent == profile.downloads
    saved.unlink()
    refuse(profile.downloads)
    assert save_report_where_it_can_go(TEXT, now=NOW).parent == profile.root


def test_no_folder_taking_it_is_a_code(profile):  # noqa: F811
    for folder in (profile.desktop, profile.documents, profile.downloads, profile.root):
        refuse(folder)
    with pytest.raises(LauncherError) as err:
        save_report_where_it_can_go(TEXT, now=NOW)
    assert err.value.code == "APP-DATA-DIR"
