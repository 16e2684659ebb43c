"""The Windows TeamViewer log: found in %APPDATA%\\TeamViewer (Polish folder names too), read in each
encoding seen in the wild (UTF-8, UTF-16 with a BOM, the ANSI code page), with a consultant named
Łukasz Żółć. The lane runs Wine as a Polish Windows (ANSI code page 1250)."""

from __future__ import annotations

import codecs
import ctypes
import time
from datetime import datetime
from pathlib import Path

import pytest

from launcher.core.quicksupport.tvlog import TvLogFollower, ansi_code_page, candidate_log_dirs

CONSULTANT = "Łukasz Żółć"
CONSULTANT_ID = "1660360496"
OWN_ID = "1660388656"


def tv_line(msg: str, pid: int = 4242) -> str:
    now = datetime.now()
    stamp = now.strftime("%Y/%m/%d %H:%M:%S.") + f"{now.microsecond // 1000:03d}"
    return f"{stamp}  {pid}  {5151:>9} S0   {msg}\r\n"  # TeamViewer for Windows ends lines with CRLF


def session_text() -> str:
    return "".join([
        tv_line("Logger started."),
        tv_line(f"Login::Identify::ManageLogin(): ID: {OWN_ID} IC -2100253538 MIDv2"),
        tv_line("KeepAliveSessionOutgoing::ConnectSuccessHandler(): KeepAliveConnect to router3.teamviewer.com "
                "successful"),
        tv_line(f"CPersistentParticipantManager::AddParticipant: [{CONSULTANT_ID},115469523] type=6 "
                f"name={CONSULTANT}"),
        tv_line(f"CPersistentParticipantManager::RemoveParticipant: [{CONSULTANT_ID},115469523]"),
    ])


def encode(text: str, encoding: str) -> bytes:
    if encoding == "utf-16-le-bom":
        return codecs.BOM_UTF16_LE + text.encode("utf-16-le")
    if encoding == "utf-16-be-bom":
        return codecs.BOM_UTF16_BE + text.encode("utf-16-be")
    if encoding == "ansi":
        return text.encode(ansi_code_page())
    return text.encode(encoding)


@pytest.fixture
def appdata(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "Użytkownik Ćma" / "AppData" / "Roaming"
    folder.mkdir(parents=True)
    monkeypatch.setenv("APPDATA", str(folder))
    return folder


def follow(dirs: list[Path], write, *, limit_s: float = 15.0) -> list:
    follower = TvLogFollower(dirs, since=time.time())
    write()
    events: list = []
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline and "left" not in [e.kind for e in events]:
        events += follower.poll()
        time.sleep(0.05)
    return events


def check_session(events: list) -> None:
    kinds = [e.kind for e in events]
    assert kinds == ["id", "online", "joined", "left"], kinds
    assert events[0].tv_id == OWN_ID
    assert (events[2].name, events[2].tv_id) == (CONSULTANT, CONSULTANT_ID)
    assert events[3].tv_id == CONSULTANT_ID


def test_the_ansi_code_page_is_windows_own():
    acp = ctypes.WinDLL("kernel32").GetACP()  # type: ignore[attr-defined]
    assert ansi_code_page() == f"cp{acp}"


def test_the_windows_log_folders_are_appdata_then_localappdata_never_the_users_temp(appdata, monkeypatch, tmp_path):
    """QuickSupport unpacks itself into a temporary folder of its own (launch.PRIVATE_TEMP, a log folder of the
    unpacked QuickSupport): a log in the user's %TEMP%\\TeamViewer can only be an earlier run's."""
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "Lokalne ś"))
    monkeypatch.setenv("TEMP", str(tmp_path / "Tymczasowe ż"))
    monkeypatch.setenv("TMP", str(tmp_path / "Tymczasowe ż"))
    dirs = candidate_log_dirs(None)
    assert dirs[:2] == [appdata / "TeamViewer", tmp_path / "Lokalne ś" / "TeamViewer" / "Logs"]
    assert not any(tmp_path / "Tymczasowe ż" in [d, *d.parents] for d in dirs), dirs


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16-le-bom", "utf-16-be-bom", "ansi"])
def test_consultant_name_comes_out_right_in_each_encoding(appdata, encoding):
    if encoding == "ansi" and ansi_code_page() != "cp1250":
        pytest.skip(f"the ANSI case needs a Polish Windows (cp1250), this one is {ansi_code_page()}: "
                    "scripts/windows-lane.sh runs Wine as one")
    log_dir = appdata / "TeamViewer"
    log_dir.mkdir()

    def write() -> None:
        (log_dir / "TeamViewer15_Logfile.log").write_bytes(encode(session_text(), encoding))

    check_session(follow(candidate_log_dirs(None), write))


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16-le-bom", "ansi"])
def test_a_log_written_in_pieces_that_split_characters_comes_out_right(appdata, encoding):
    if encoding == "ansi" and ansi_code_page() != "cp1250":
        pytest.skip(f"the ANSI case needs a Polish Windows (cp1250), this one is {ansi_code_page()}")
    log_dir = appdata / "TeamViewer"
    log_dir.mkdir()
    data = encode(session_text(), encoding)
    follower = TvLogFollower(candidate_log_dirs(None), since=time.time())
    events: list = []
    with open(log_dir / "TeamViewer15_Logfile.log", "wb", buffering=0) as fh:
        for i in range(0, len(data), 3):  # 3 bytes: splits UTF-8 sequences and UTF-16 code units
            fh.write(data[i : i + 3])
            events += follower.poll()
    events += follower.poll()
    check_session(events)


def test_earlier_runs_in_the_same_log_never_count(appdata):
    log_dir = appdata / "TeamViewer"
    log_dir.mkdir()
    log = log_dir / "TeamViewer15_Logfile.log"
    old = session_text().replace(OWN_ID, "1999999999").replace(CONSULTANT, "Stary Konsultant")
    log.write_bytes(codecs.BOM_UTF16_LE + old.encode("utf-16-le"))

    def append() -> None:
        with open(log, "ab") as fh:
            fh.write(session_text().encode("utf-16-le"))

    check_session(follow(candidate_log_dirs(None), append))


def test_teamviewer_can_rotate_its_log_while_the_launcher_is_reading_it(tmp_path):
    """TeamViewer renames a full log to ..._OLD.log and starts a new one; a read of ours under way at that
    moment must not make the rename fail (Python's open() does not share deleting, which a rename needs)."""
    from launcher.core.fsutil import open_for_reading

    log = tmp_path / "TeamViewer15_Logfile.log"
    log.write_bytes(session_text().encode("utf-8"))
    with open(log, "rb"), pytest.raises(PermissionError):  # what a plain read would have done to TeamViewer
        log.rename(tmp_path / "refused.log")
    with open_for_reading(log, others_may_change_it=True) as fh:
        log.rename(tmp_path / "TeamViewer15_Logfile_OLD.log")
        with open(tmp_path / "TeamViewer15_Logfile_OLD.log", "ab") as writer:  # and it may go on writing
            writer.write(tv_line("Logger rotated.").encode("utf-8"))
        assert fh.read().startswith(tv_line("Logger started.")[:10].encode("utf-8"))
    assert not log.exists()


def test_a_file_being_verified_cannot_be_changed_renamed_or_deleted_meanwhile(tmp_path):
    from launcher.core.fsutil import open_for_reading

    exe = tmp_path / "TeamViewerQS.exe"
    exe.write_bytes(b"MZ" + bytes(100))
    with open_for_reading(exe, others_may_change_it=False) as fh:
        with pytest.raises(PermissionError):
            exe.rename(tmp_path / "other.exe")
        with pytest.raises(PermissionError):
            exe.unlink()
        with pytest.raises(PermissionError):
            open(exe, "r+b").close()
        assert fh.read(2) == b"MZ"
    with pytest.raises(FileNotFoundError):
        open_for_reading(tmp_path / "gone.exe", others_may_change_it=True)
