"""The saved report goes to the first folder that takes it (the Desktop refusing: Windows' Controlled folder access,
a full OneDrive); none taking it is APP-DATA-DIR. Windows' own folders: tests/windows/test_report_folder_windows.py.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from launcher.core.diagnostics import save_report_where_it_can_go
from launcher.core.errors import LauncherError

NOW = datetime(2026, 11, 30, 12, 0, 0, tzinfo=UTC)
NAME = f"overmax-pomoc-zdalna-raport-{NOW.astimezone().strftime('%Y%m%d-%H%M%S')}.txt"


def test_the_first_folder_that_takes_it_gets_it_whole(tmp_path):
    desktop, documents = tmp_path / "Pulpit", tmp_path / "Dokumenty"
    desktop.mkdir()
    documents.mkdir()
    (desktop / NAME).mkdir()  # the Desktop refuses this file
    saved = save_report_where_it_can_go("raport ż\n", [desktop, documents], now=NOW)
    assert saved == documents / NAME and saved.read_text(encoding="utf-8") == "raport ż\n"
    assert [p.name for p in desktop.iterdir()] == [NAME]  # nothing half-written left there


def test_no_folder_taking_it_is_app_data_dir(tmp_path):
    (tmp_path / NAME).mkdir()
    (tmp_path / "plik").write_bytes(b"")  # a file where a folder is named
    with pytest.raises(LauncherError) as err:
        save_report_where_it_can_go("raport\n", [tmp_path / "plik", tmp_path], now=NOW)
    assert err.value.code == "APP-DATA-DIR"
