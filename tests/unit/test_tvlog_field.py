"""TeamViewer logs as real machines write them: clocks that jump back, encodings, other builds' wordings."""

from __future__ import annotations

import codecs
import os
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from launcher.core.quicksupport.tvlog import WORDINGS, TvLogFollower, parse_line
from tests.unit.test_tvlog import ID_MSG, ONLINE_MSG, kinds, run_lines, tv_line

NAME = "Łukasz Żółć"
JOIN_ROLE = "CParticipantManagerBase participant {name} (ID [{id},126302903]) was added with the role {role}"
JOIN_ADD = "CPersistentParticipantManager::AddParticipant: [{id},126302903] type={role} name={name}"


@pytest.fixture
def warsaw(monkeypatch):
    """The process's local time zone is Europe/Warsaw (CEST -> CET on 2025-10-26 at 03:00 -> 02:00)."""
    if not hasattr(time, "tzset"):
        pytest.skip("time.tzset is POSIX only")
    monkeypatch.setenv("TZ", "Europe/Warsaw")
    time.tzset()
    if time.tzname[0] not in ("CET", "CEST"):
        pytest.skip("no tz database for Europe/Warsaw here")
    yield
    monkeypatch.undo()
    time.tzset()


# the case: launched 02:59:30 CEST (00:59:30 UTC), ID written 40 s later at 02:00:10 CET
LAUNCH_UTC = datetime.fromisoformat("2025-10-26T00:59:30+00:00").timestamp()
AFTER_FALLBACK = datetime(2025, 10, 26, 2, 0, 10)


def test_autumn_fallback_in_a_file_there_at_launch(warsaw, tmp_path: Path):
    log = tmp_path / "TeamViewer15_Logfile.log"
    log.write_text(run_lines("111222333", datetime(2025, 10, 26, 2, 40)))  # an earlier run, CEST
    follower = TvLogFollower([tmp_path], since=LAUNCH_UTC)
    with open(log, "a") as fh:
        fh.write(tv_line(ID_MSG.format("1660388656"), AFTER_FALLBACK))
    assert [(e.kind, e.tv_id) for e in follower.poll()] == [("id", "1660388656")]


def test_autumn_fallback_in_a_file_created_after_launch(warsaw, tmp_path: Path):
    follower = TvLogFollower([tmp_path], since=LAUNCH_UTC)
    (tmp_path / "TeamViewer15_Logfile.log").write_text(tv_line(ID_MSG.format("1660388656"), AFTER_FALLBACK))
    assert [e.tv_id for e in follower.poll()] == ["1660388656"]


def test_autumn_fallback_in_an_old_file_judged_by_both_readings_of_the_repeated_hour(warsaw, tmp_path: Path):
    follower = TvLogFollower([tmp_path], since=LAUNCH_UTC)
    earlier = run_lines("111222333", datetime(2025, 10, 26, 1, 30))  # 01:30 CEST: before the launch
    ours = tv_line(ID_MSG.format("1660388656"), AFTER_FALLBACK)  # 02:00:10 CEST is earlier, CET is later
    (tmp_path / "TeamViewer15_Logfile_OLD.log").write_text(earlier + ours)
    assert [e.tv_id for e in follower.poll() if e.kind == "id"] == ["1660388656"]


@pytest.mark.parametrize("existing", [True, False], ids=["file-there-at-launch", "file-created-later"])
def test_clock_stepped_back_after_launch(tmp_path: Path, existing: bool):
    log = tmp_path / "TeamViewer15_Logfile.log"
    if existing:
        log.write_text(run_lines("111222333", datetime.now() - timedelta(days=1)))
    follower = TvLogFollower([tmp_path], since=time.time())
    stepped = datetime.now() - timedelta(seconds=30)  # NTP set the clock back right after our launch
    with open(log, "a") as fh:
        fh.write(tv_line(ID_MSG.format("1660388656"), stepped))
    assert [(e.kind, e.tv_id) for e in follower.poll()] == [("id", "1660388656")]


# ---------- encodings


def _appended_in_pieces(tmp_path: Path, earlier: bytes, ours: bytes, sizes: list[int]) -> list:
    log = tmp_path / "TeamViewer15_Logfile.log"
    log.write_bytes(earlier)
    follower = TvLogFollower([tmp_path], since=time.time(), ansi="cp1250")
    events = []
    with open(log, "ab", buffering=0) as fh:
        rest = ours
        for size in sizes:
            fh.write(rest[:size])
            rest = rest[size:]
            events += follower.poll()
        fh.write(rest)
        events += follower.poll()
    return events


OURS = tv_line(ID_MSG.format("1660388656")) + tv_line(JOIN_ROLE.format(name=NAME, id="1660360496", role=6))
UTF16_CASES = [("utf-16-le", codecs.BOM_UTF16_LE), ("utf-16-be", codecs.BOM_UTF16_BE)]


@pytest.mark.parametrize("sizes", [[6], [1, 1, 1], [7, 3, 50], [2], [], [5, 1000]])
@pytest.mark.parametrize(("codec", "bom"), UTF16_CASES, ids=["le", "be"])
def test_utf16_with_bom_appended_in_pieces_of_any_size(tmp_path: Path, codec: str, bom: bytes, sizes):
    earlier = bom + run_lines("111222333").replace("\n", "\r\n").encode(codec)
    events = _appended_in_pieces(tmp_path, earlier, OURS.replace("\n", "\r\n").encode(codec), sizes)
    assert [(e.kind, e.tv_id, e.name) for e in events] == [
        ("id", "1660388656", None), ("joined", "1660360496", NAME)]


@pytest.mark.parametrize(("codec", "bom"), UTF16_CASES, ids=["le", "be"])
def test_utf16_new_file_whose_first_piece_is_shorter_than_the_bom_test(tmp_path: Path, codec: str, bom: bytes):
    data = bom + OURS.encode(codec)
    events = _appended_in_pieces(tmp_path, b"", data, [1, 2, 3])
    assert kinds(events) == ["id", "joined"] and events[1].name == NAME


@pytest.mark.parametrize(("codec", "bom"), UTF16_CASES, ids=["le", "be"])
def test_utf16_launch_in_the_middle_of_a_code_unit(tmp_path: Path, codec: str, bom: bytes):
    whole = bom + run_lines("111222333").encode(codec)
    events = _appended_in_pieces(tmp_path, whole[:-1], whole[-1:] + OURS.encode(codec), [1, 6])
    assert [(e.kind, e.name) for e in events] == [("id", None), ("joined", NAME)]


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_by_its_nul_bytes(tmp_path: Path, codec: str):
    earlier = run_lines("111222333").encode(codec)
    events = _appended_in_pieces(tmp_path, earlier, OURS.encode(codec), [6])
    assert [(e.kind, e.name) for e in events] == [("id", None), ("joined", NAME)]


@pytest.mark.parametrize("ours_codec", ["utf-16-le", "utf-16-be", "utf-8", "cp1250"])
@pytest.mark.parametrize("earlier_codec", ["utf-8", "cp1250", "utf-16-le", "utf-16-be", "utf-16"])
@pytest.mark.parametrize("odd", [False, True])
def test_a_run_in_another_encoding_than_the_earlier_ones_is_read(tmp_path: Path, earlier_codec: str,
                                                                  ours_codec: str, odd: bool):
    """One file, runs of different builds: UTF-8 or ANSI runs, then ours in UTF-16 (with or without its
    BOM), or the reverse. Our run's events were all lost (no ID, no join) when its encoding was taken from
    the earlier bytes."""
    earlier = run_lines("111222333").encode(earlier_codec)
    if odd and "16" not in earlier_codec:
        earlier += b"x\n"  # an 8-bit run of odd length: our UTF-16 units start at an odd offset
    if earlier_codec.startswith("utf-16") != ours_codec.startswith("utf-16") or earlier_codec == "utf-16":
        ours = OURS.encode(ours_codec)
        for sizes in ([3, 5, 200], [1000]):
            folder = tmp_path / f"{len(sizes)}"
            folder.mkdir()
            events = _appended_in_pieces(folder, earlier, ours, sizes)
            assert [(e.kind, e.tv_id, e.name) for e in events] == [
                ("id", "1660388656", None), ("joined", "1660360496", NAME)], sizes


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1250"])
@pytest.mark.parametrize("sizes", [[6], [1, 1, 1], [100]])
def test_8bit_logs_keep_polish_names(tmp_path: Path, encoding: str, sizes: list[int]):
    earlier = run_lines("111222333").encode(encoding)
    ours = OURS.replace("\n", "\r\n").encode("cp1250" if encoding == "cp1250" else "utf-8")
    events = _appended_in_pieces(tmp_path, earlier, ours, sizes)
    assert [(e.kind, e.name) for e in events] == [("id", None), ("joined", NAME)]


def test_ansi_code_page_is_the_default_for_non_utf8_lines(tmp_path: Path):
    follower = TvLogFollower([tmp_path], since=time.time())  # Windows: its ANSI code page; else cp1250
    (tmp_path / "TeamViewer15_Logfile.log").write_bytes(
        tv_line(JOIN_ADD.format(name=NAME, id="1660360496", role=6)).encode("cp1250"))
    assert [e.name for e in follower.poll()] == [NAME]


# ---------- wordings


@pytest.mark.parametrize("template", [JOIN_ADD, JOIN_ROLE])
def test_join_wordings_supporter_counts_local_machine_does_not(template: str):
    supporter = parse_line(tv_line(template.format(name=NAME, id="1660360496", role=6)))
    assert (supporter.kind, supporter.tv_id, supporter.name) == ("joined", "1660360496", NAME)
    assert parse_line(tv_line(template.format(name="MSEDGEWIN10", id="1660388656", role=3))) is None


LEAVE_END = [
    ("CPersistentParticipantManager::RemoveParticipant: [1660360496,115469523]", "left", "1660360496"),
    ("CParticipantManagerBase participant Jan (ID [1660360496,115469523]) was removed", "left", "1660360496"),
    ("CStreamManager[2]::ReceivedEndSession(): reason=1", "ended", None),
    ("SessionStatistics[2] Session to 1660360496 ended. Estimated capacity=5448kBit/s, Latency=65ms",
     "ended", "1660360496"),
    ("SessionManagerDesktop::SessionTerminate: removing session with tvsessionprotocol::TVSessionID = 1",
     "ended", None),
]


@pytest.mark.parametrize(("msg", "kind", "tv_id"), LEAVE_END)
def test_leave_and_end_wordings(msg: str, kind: str, tv_id: str | None):
    ev = parse_line(tv_line(msg))
    assert (ev.kind, ev.tv_id) == (kind, tv_id)


def test_every_wording_in_the_table_has_a_sample_here():
    samples = [ID_MSG.format("1660388656"), ONLINE_MSG, *(m for m, _, _ in LEAVE_END),
               "CommandHandlerRouting[2]::CreatePassiveSession(): incoming session via x.teamviewer.com",
               "SessionManagerDesktop::IncomingConnection: Connection incoming, sessionID = -2102926010",
               "AuthenticationPasswordLogin_Passive::RunAuthenticationMethod: authentication using dynamic "
               "password was successful",
               "AuthenticationBlocker::Allocate: allocate ok for DyngateID 1660360496, attempt number 1",
               *(t.format(name=NAME, id="1660360496", role=6) for t in (JOIN_ADD, JOIN_ROLE))]
    for wording in WORDINGS:
        assert [s for s in samples if wording.pattern.search(s)], wording.pattern.pattern


def test_one_event_per_join_leave_end_across_wordings_and_a_second_visit(tmp_path: Path):
    follower = TvLogFollower([tmp_path], since=time.time())
    visit = [
        JOIN_ADD.format(name=NAME, id="1660360496", role=6),
        JOIN_ROLE.format(name=NAME, id="1660360496", role=6),
        "CPersistentParticipantManager::RemoveParticipant: [1660360496,115469523]",
        "CParticipantManagerBase participant X (ID [1660360496,115469523]) was removed",
        "CStreamManager[2]::ReceivedEndSession(): reason=1",
        "SessionStatistics[2] Session to 1660360496 ended. Estimated capacity=1kBit/s",
        "CPersistentParticipantManager::RemoveParticipant: [1660388656,126302903]",  # QuickSupport itself
    ]
    body = tv_line(ID_MSG.format("1660388656")) + "".join(tv_line(m) for m in visit * 2)
    (tmp_path / "TeamViewer15_Logfile.log").write_text(body, encoding="utf-8")
    assert kinds(follower.poll()) == ["id"] + ["joined", "left", "ended"] * 2


def test_tests_do_not_leak_the_time_zone():
    assert os.environ.get("TZ") != "Europe/Warsaw"


# ---------- shapes from a public forensic write-up of a TeamViewer 15 log (0xdf, HTB Sherlock "Tick Tock"):
# negative session numbers, the IncomingConnection wording, and a clock stepped back 15 minutes mid-session


def test_negative_session_numbers_and_incoming_connection_wording(tmp_path: Path):
    log = tmp_path / "TeamViewer15_Logfile.log"
    log.write_text(run_lines("111222333", datetime.now() - timedelta(hours=3)))
    follower = TvLogFollower([tmp_path], since=time.time())
    now = datetime.now()
    back = now - timedelta(minutes=15)  # the clock set back while the supporter is connected
    lines = [
        (ID_MSG.format("1764218403"), now),
        ("SessionManagerDesktop::IncomingConnection: Connection incoming, sessionID = -2102926010", now),
        ("CommandHandlerRouting[2]::CreatePassiveSession(): incoming session via x.router.teamviewer.com", now),
        ("CParticipantManagerBase participant DESKTOP-ABC (ID [1764218403,-2102926010]) was added with the role 3",
         now),
        (f"CParticipantManagerBase participant {NAME} (ID [1761879737,-207968498]) was added with the role 6", now),
        (f"New Participant added in CParticipantManager {NAME} ([1761879737,-207968498])", now),
        ("Desktop grab succeeded.", back),
        ("CPersistentParticipantManager::RemoveParticipant: [1761879737,-207968498]", back),
        ("CStreamManager[2]::ReceivedEndSession(): reason=1", back),
    ]
    with open(log, "a", encoding="utf-8") as fh:
        fh.write("".join(tv_line(msg, when, tag="D3") for msg, when in lines))
    events = follower.poll()
    assert [(e.kind, e.tv_id) for e in events] == [
        ("id", "1764218403"), ("incoming", None), ("joined", "1761879737"), ("left", "1761879737"),
        ("ended", None)]
    assert events[2].name == NAME


def test_the_partner_being_let_in_is_named_before_its_password_is_checked():
    """TeamViewer's brute-force guard names the connecting partner's ID (real 15.50 log); a name cannot fake
    it, and the guard's reset after the password (the same ID again) is no second connection."""
    ev = parse_line(tv_line("AuthenticationBlocker::Allocate: allocate ok for DyngateID 1660360496, attempt number 1"))
    assert (ev.kind, ev.tv_id) == ("connecting", "1660360496")
    assert parse_line(tv_line("AuthenticationBlocker::Reset: attempts reset for DyngateID 1660360496")) is None
    faked = f"CParticipantManagerBase participant {'Allocate: allocate ok for DyngateID 1660360496'} " \
            "(ID [999888777,1]) was added with the role 6"
    assert parse_line(tv_line(faked)).kind == "joined"
