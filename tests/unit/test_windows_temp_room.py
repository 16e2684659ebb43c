"""The room Windows' temporary folder's drive must have before QuickSupport starts (launch.ensure_windows_temp,
QuickSupportSession.temp_room_needed): the logic is the same on every system, so it is checked here on a real
full tmpfs named by TEMP; the whole start on Windows is tests/windows/test_temp_folder_windows.py."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from launcher.core.errors import LauncherError
from launcher.core.quicksupport.launch import TEMP_UNPACK_BYTES, Prepared, child_env, ensure_windows_temp
from launcher.core.quicksupport.session import MIN_FREE_BYTES, QuickSupportSession
from tests.support.tmpfs import fill_up, mounted_tmpfs

STANDIN_BYTES = 85_328  # about the size of the Windows stand-in the lane builds


def _session(root: Path, unpack_bytes: int | None) -> QuickSupportSession:
    prepared = Prepared(argv=[sys.executable, "-c", "pass"], cwd=root, root=root, log_dirs=[root], env=child_env(),
                        unpack_bytes=unpack_bytes)
    return QuickSupportSession(prepared)


def test_the_room_needed_is_quicksupports_copy_and_then_what_a_running_session_keeps(tmp_path):
    assert _session(tmp_path, STANDIN_BYTES).temp_room_needed() == STANDIN_BYTES + MIN_FREE_BYTES
    assert _session(tmp_path, None).temp_room_needed() == TEMP_UNPACK_BYTES + MIN_FREE_BYTES


@pytest.fixture
def temp_drive(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    with mounted_tmpfs(tmp_path / "drive", "size=512k") as drive:
        temp = drive / "Temp"
        temp.mkdir()
        monkeypatch.setenv("TEMP", str(temp))
        monkeypatch.setenv("TMP", str(temp))
        yield temp


def test_a_temp_drive_with_room_passes_and_is_left_as_it_was(temp_drive, tmp_path):
    assert ensure_windows_temp(_session(tmp_path, STANDIN_BYTES).temp_room_needed()) == temp_drive
    assert list(temp_drive.iterdir()) == []


def test_a_temp_drive_with_room_for_the_copy_but_not_for_the_session_after_it_is_qs_temp(temp_drive, tmp_path):
    """Measured under Wine: with the copy alone as the threshold, such a drive let QuickSupport start, and the
    session was ended at the first look (QS-DISK-FULL: its log may be in Temp)."""
    (temp_drive.parent / "ballast.bin").write_bytes(b"\0" * (300 * 1024))  # about 200 KiB stay free
    with pytest.raises(LauncherError) as info:
        ensure_windows_temp(_session(tmp_path, STANDIN_BYTES).temp_room_needed())
    assert info.value.code == "QS-TEMP"
    assert str(temp_drive) in info.value.detail and "bytes free on its drive" in info.value.detail
    assert list(temp_drive.iterdir()) == []  # the probe left nothing


def test_a_full_temp_drive_is_qs_temp_also_where_the_artifacts_size_is_unknown(temp_drive):
    with pytest.raises(LauncherError) as info:
        ensure_windows_temp(None)  # TEMP_UNPACK_BYTES: more than this whole drive
    assert info.value.code == "QS-TEMP"
    fill_up(temp_drive.parent)
    with pytest.raises(LauncherError) as info:
        ensure_windows_temp(1)
    assert info.value.code == "QS-TEMP" and "Traceback" not in info.value.detail
    assert os.listdir(temp_drive) == []
