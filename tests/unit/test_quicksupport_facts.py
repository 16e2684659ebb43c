"""DESIGN.md's "QuickSupport facts", each as the launcher must read it: the log's file names and folders per
OS, the line format and every wording it quotes (the header's `ID: 0` ignored, role 3 the local machine),
the ID's 9-10 digits grouped from the right, the password field's `-` and `****`, the automation ids of older
builds, and the names of the Windows programs QuickSupport runs."""

from __future__ import annotations

import fnmatch
import types

import pytest

from launcher.core.formatting import group_id
from launcher.core.quicksupport import tvlog
from launcher.core.quicksupport.credentials import ID_AUTOMATION_ID, PASSWORD_AUTOMATION_ID, classify_shown
from launcher.core.quicksupport.password_status import PasswordStatus
from launcher.core.quicksupport.session import TEAMVIEWER_HELPERS, TEAMVIEWER_NAMES
from launcher.core.quicksupport.tvlog import LOG_GLOBS, candidate_log_dirs, parse_line

STAMP = "2024/02/16 06:05:20.101  4242  7788 S0   "  # YYYY/MM/DD HH:MM:SS.mmm  PID  TID  TAG  message


@pytest.mark.parametrize(("message", "kind", "tv_id", "name"), [
    ("Login::Identify::ManageLogin(): ID: 1660388656 IC -2100253538 MIDv2", "id", "1660388656", None),
    ("Login::Identify::ManageLogin(): ID: 166038865 IC 1", "id", "166038865", None),  # 9 digits
    ("KeepAliveConnect to router12.teamviewer.com successful", "online", None, "router12.teamviewer.com"),
    ("CommandHandlerRouting[2]::CreatePassiveSession(): incoming session via router7.teamviewer.com, protocol Tcp",
     "incoming", None, "router7.teamviewer.com"),
    ("AuthenticationPasswordLogin_Passive::RunAuthenticationMethod: authentication using dynamic password was "
     "successful", "authenticated", None, None),
    ("CPersistentParticipantManager::AddParticipant: [1660360496,115469523] type=6 name=Anna Nowak", "joined",
     "1660360496", "Anna Nowak"),
    ("CParticipantManagerBase participant Łukasz Żółć (ID [1660360496,115469523]) was added with the role 6",
     "joined", "1660360496", "Łukasz Żółć"),
    ("CStreamManager[2]::ReceivedEndSession(): reason=1", "ended", None, "reason=1"),
    ("CPersistentParticipantManager::RemoveParticipant: [1660360496,115469523]", "left", "1660360496", None),
    ('Download from "safe\\raport.pdf" to "C:\\Users\\k\\Desktop\\raport.pdf" (10.95 MB)', "file_in", None,
     "raport.pdf"),
    ("Write file C:\\Users\\k\\Desktop\\raport.pdf", "file_in", None, "raport.pdf"),
    ("Send file C:\\Users\\k\\Documents\\dziennik.txt", "file_out", None, "dziennik.txt"),
])
def test_every_wording_design_quotes_is_its_event(message, kind, tv_id, name):
    event = parse_line(STAMP + message)
    assert event is not None, message
    assert (event.kind, event.tv_id, event.name, event.pid) == (kind, tv_id, name, 4242)
    assert event.when is not None and event.when.isoformat() == "2024-02-16T06:05:20.101000"


def test_a_download_says_its_size_in_binary_megabytes():
    event = parse_line(STAMP + 'Download from "a" to "C:\\b\\c.bin" (10.95 MB)')
    assert event.size == round(10.95 * 1024 * 1024) and event.folder == "C:\\b"


@pytest.mark.parametrize("line", [
    "ID:                 0",  # the header block's ID at start
    STAMP + "Login::Identify::ManageLogin(): ID: 0 IC 0",
    STAMP + "CPersistentParticipantManager::AddParticipant: [1660388656,115469523] type=3 name=KOMPUTER",
    STAMP + "CParticipantManagerBase participant KOMPUTER (ID [1660388656,1]) was added with the role 3",
    "Login::Identify::ManageLogin(): ID: 1660388656",  # no stamp: not a log line
])
def test_what_is_not_an_event(line):
    assert parse_line(line) is None


@pytest.mark.parametrize(("raw", "shown"), [("1660388656", "1 660 388 656"), ("166038865", "166 038 865")])
def test_the_id_is_grouped_from_the_right_as_teamviewer_shows_it(raw, shown):
    assert group_id(raw) == shown


@pytest.mark.parametrize(("name", "counts"), [
    ("TeamViewer15_Logfile.log", True), ("TeamViewer15_Logfile_OLD.log", True), ("TeamViewer14_Logfile.log", True),
    ("TeamViewer15_Logfile.log.bak", False), ("Connections_incoming.txt", False),
])
def test_the_log_file_names(name, counts):
    assert any(fnmatch.fnmatchcase(name, pattern) for pattern in LOG_GLOBS) is counts


def _on(monkeypatch, platform: str) -> None:
    monkeypatch.setattr(tvlog, "sys", types.SimpleNamespace(platform=platform))


def test_the_linux_log_folders(tmp_path, monkeypatch):
    _on(monkeypatch, "linux")
    monkeypatch.setenv("HOME", str(tmp_path))
    (tmp_path / ".local" / "share" / "teamviewer15").mkdir(parents=True)
    unpacked = tmp_path / "run" / "qs"
    (unpacked / "teamviewerqs").mkdir(parents=True)
    dirs = candidate_log_dirs(unpacked)
    assert unpacked / "teamviewerqs" / "logfiles" in dirs  # inside the unpacked tarball
    assert tmp_path / ".local" / "share" / "teamviewer15" / "logfiles" in dirs


def test_the_macos_log_folder(tmp_path, monkeypatch):
    _on(monkeypatch, "darwin")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert tmp_path / "Library" / "Logs" / "TeamViewer" in candidate_log_dirs(None)


def test_the_windows_log_folders(tmp_path, monkeypatch):
    _on(monkeypatch, "win32")
    monkeypatch.setenv("APPDATA", str(tmp_path / "Roaming"))
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "Local"))
    monkeypatch.setenv("TEMP", str(tmp_path / "Temp"))
    monkeypatch.setenv("TMP", str(tmp_path / "Temp"))
    dirs = candidate_log_dirs(None)
    assert dirs.index(tmp_path / "Roaming" / "TeamViewer") < dirs.index(tmp_path / "Local" / "TeamViewer" / "Logs")
    # QuickSupport unpacks itself into a folder of its own: a log in the user's Temp is an earlier run's
    assert not any(tmp_path / "Temp" in [d, *d.parents] for d in dirs), dirs


@pytest.mark.parametrize(("shown", "status"), [
    ("-", PasswordStatus.NOT_READY), ("****", PasswordStatus.FIXED), ("k7m2p9", PasswordStatus.READ),
])
def test_the_password_field_until_ready_and_with_a_fixed_password(shown, status):
    assert classify_shown(shown).status is status


def test_the_automation_ids_of_older_builds():
    assert (ID_AUTOMATION_ID, PASSWORD_AUTOMATION_ID) == ("20098", "20099")


def test_the_windows_programs_quicksupport_runs_are_known_as_teamviewer():
    assert {"teamviewerqs.exe", "teamviewer.exe", "teamviewer_desktop.exe"} <= {n.lower() for n in TEAMVIEWER_NAMES}
    # the helpers an installed TeamViewer's service keeps in every session are no clash
    assert not TEAMVIEWER_HELPERS & TEAMVIEWER_NAMES and {"tv_w32.exe", "tv_x64.exe"} == TEAMVIEWER_HELPERS
