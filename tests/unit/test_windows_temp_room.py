"""QuickSupport's own temporary folder (launch.PRIVATE_TEMP, made by launch.ensure_private_temp at the start): it
lies inside the folder the launcher made for QuickSupport, TMP and TEMP in QuickSupport's environment name it, and
the room its drive must have before QuickSupport starts (QuickSupportSession.temp_room_needed). The logic is the
same on every system, so it is checked here with real processes and on a real full tmpfs; the whole start on
Windows, with the signed stand-in unpacking itself, is tests/windows/test_temp_folder_windows.py."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest

from launcher.core import owned_folders
from launcher.core.errors import LauncherError
from launcher.core.quicksupport.launch import (
    PRIVATE_TEMP,
    TEMP_UNPACK_BYTES,
    Prepared,
    child_env,
    ensure_private_temp,
    private_temp_env,
)
from launcher.core.quicksupport.session import MIN_FREE_BYTES, QuickSupportSession
from tests.support.polling import wait_until
from tests.support.tmpfs import fill_up, mounted_tmpfs

STANDIN_BYTES = 85_328  # about the size of the Windows stand-in the lane builds


def _session(root: Path, unpack_bytes: int | None) -> QuickSupportSession:
    prepared = Prepared(argv=[sys.executable, "-c", "pass"], cwd=root, root=root, log_dirs=[root], env=child_env(),
                        unpack_bytes=unpack_bytes)
    return QuickSupportSession(prepared)


def test_the_room_needed_is_quicksupports_copy_and_then_what_a_running_session_keeps(tmp_path):
    assert _session(tmp_path, STANDIN_BYTES).temp_room_needed() == STANDIN_BYTES + MIN_FREE_BYTES
    assert _session(tmp_path, None).temp_room_needed() == TEMP_UNPACK_BYTES + MIN_FREE_BYTES


def test_quicksupports_environment_names_its_own_folder_in_tmp_and_temp_whatever_the_users_say(monkeypatch, tmp_path):
    monkeypatch.setenv("TEMP", "R:\\Temp")
    monkeypatch.setenv("TMP", str(tmp_path / "a file"))
    env = private_temp_env(child_env(), tmp_path / "qs-abc" / PRIVATE_TEMP)
    assert env["TMP"] == env["TEMP"] == str(tmp_path / "qs-abc" / PRIVATE_TEMP)
    assert [k for k in env if k.upper() in ("TMP", "TEMP")] == ["TMP", "TEMP"]  # no second spelling left
    assert os.environ["TEMP"] == "R:\\Temp"  # the launcher's own environment is not touched


def test_a_spelling_in_another_case_is_replaced_not_doubled(tmp_path):
    env = private_temp_env({"Tmp": "C:\\Temp", "temp": "C:\\Temp", "PATH": "x"}, tmp_path / PRIVATE_TEMP)
    assert env == {"TMP": str(tmp_path / PRIVATE_TEMP), "TEMP": str(tmp_path / PRIVATE_TEMP), "PATH": "x"}


def test_the_folder_is_made_new_private_and_empty_inside_quicksupports_folder(tmp_path):
    root = tmp_path / "qs-abc"
    root.mkdir()
    temp = ensure_private_temp(root / PRIVATE_TEMP, STANDIN_BYTES)
    assert temp == root / PRIVATE_TEMP and temp.is_dir() and list(temp.iterdir()) == []
    assert stat.S_IMODE(temp.stat().st_mode) == 0o700
    assert ensure_private_temp(temp, STANDIN_BYTES) == temp  # a start tried again on the same folder


def test_a_link_or_a_file_in_its_place_is_qs_temp(tmp_path):
    root = tmp_path / "qs-abc"
    root.mkdir()
    elsewhere = tmp_path / "shared Temp"
    elsewhere.mkdir()
    (root / PRIVATE_TEMP).symlink_to(elsewhere)
    with pytest.raises(LauncherError) as info:
        ensure_private_temp(root / PRIVATE_TEMP, 1)
    assert info.value.code == "QS-TEMP"
    assert list(elsewhere.iterdir()) == []  # not even the probe went there


def test_a_missing_runtime_folder_is_qs_temp_and_nothing_is_made_above_it(tmp_path):
    with pytest.raises(LauncherError) as info:
        ensure_private_temp(tmp_path / "qs-gone" / PRIVATE_TEMP, 1)
    assert info.value.code == "QS-TEMP" and str(tmp_path / "qs-gone") in info.value.detail
    assert not (tmp_path / "qs-gone").exists()


@pytest.fixture
def small_drive(tmp_path: Path):
    """A 512 KiB drive holding QuickSupport's folder (the data folder's drive, in production)."""
    with mounted_tmpfs(tmp_path / "drive", "size=512k") as drive:
        root = drive / "qs-abc"
        root.mkdir()
        yield root


def test_a_drive_with_room_passes_and_the_folder_is_left_empty(small_drive, tmp_path):
    temp = ensure_private_temp(small_drive / PRIVATE_TEMP, _session(tmp_path, STANDIN_BYTES).temp_room_needed())
    assert list(temp.iterdir()) == []


def test_a_drive_with_room_for_the_copy_but_not_for_the_session_after_it_is_qs_temp(small_drive, tmp_path):
    """Measured under Wine: with the copy alone as the threshold, such a drive let QuickSupport start, and the
    session was ended at the first look (QS-DISK-FULL: its log may be in its temporary folder)."""
    (small_drive / "ballast.bin").write_bytes(b"\0" * (300 * 1024))  # about 200 KiB stay free
    temp = small_drive / PRIVATE_TEMP
    with pytest.raises(LauncherError) as info:
        ensure_private_temp(temp, _session(tmp_path, STANDIN_BYTES).temp_room_needed())
    assert info.value.code == "QS-TEMP"
    assert str(temp) in info.value.detail and "bytes free on its drive" in info.value.detail
    assert list(temp.iterdir()) == []  # the probe left nothing


def test_a_full_drive_is_qs_temp_also_where_the_artifacts_size_is_unknown(small_drive):
    temp = small_drive / PRIVATE_TEMP
    with pytest.raises(LauncherError) as info:
        ensure_private_temp(temp, None)  # TEMP_UNPACK_BYTES: more than this whole drive
    assert info.value.code == "QS-TEMP"
    fill_up(small_drive)
    with pytest.raises(LauncherError) as info:
        ensure_private_temp(temp, 1)
    assert info.value.code == "QS-TEMP" and "Traceback" not in info.value.detail
    assert os.listdir(temp) == []


# ---------------------------------------------------------------- a real start with the folder

# A stand-in for a self-extractor: it "unpacks" into the temporary folder its environment names (TMP, as Windows'
# GetTempPathW reads it first) and stays until it is ended.
_UNPACKER = """
import os, sys, time
folder = os.path.join(os.environ["TMP"], "TeamViewer")
os.makedirs(folder)
with open(os.path.join(folder, "TeamViewer.exe"), "w") as fh:
    fh.write("unpacked")
time.sleep(120)
"""


@pytest.mark.parametrize("users_temp", ["missing", "a file"])
def test_quicksupport_unpacks_into_its_own_folder_and_nothing_of_it_is_left_after_the_end(tmp_path, monkeypatch,
                                                                                         users_temp):
    """The user's own %TEMP% broken (missing, a file) no longer stops the start, and nothing is written there."""
    users = tmp_path / "Temp użytkownika"
    if users_temp == "a file":
        users.write_bytes(b"not a folder")
    monkeypatch.setenv("TEMP", str(users))
    monkeypatch.setenv("TMP", str(users))
    runtime = tmp_path / "run"
    runtime.mkdir()
    folder = owned_folders.create(runtime, "qs-")
    temp = folder.path / PRIVATE_TEMP
    prepared = Prepared(argv=[sys.executable, "-c", _UNPACKER], cwd=folder.path, root=folder.path,
                        log_dirs=[temp / "TeamViewer"], env=private_temp_env(child_env(), temp),
                        watch_dirs=[folder.path], unpack_bytes=STANDIN_BYTES, temp_dir=temp, folder=folder)
    session = QuickSupportSession(prepared)
    session.start()
    try:
        assert wait_until(lambda: (temp / "TeamViewer" / "TeamViewer.exe").is_file(), 30)
        assert session.pids
    finally:
        session.stop()
    assert session.pids == [] and not folder.path.exists() and list(runtime.iterdir()) == []
    assert users.is_file() if users_temp == "a file" else not users.exists()
