"""TeamViewer log parsing and following: the real log from ../shared and logs written here in its format."""

from __future__ import annotations

import codecs
import os
import shutil
import time
from datetime import datetime, timedelta
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from launcher.core.quicksupport.tvlog import TvLogFollower, candidate_log_dirs, parse_line


def tv_line(msg: str, when: datetime | None = None, pid: int = 4242, tid: int = 77, tag: str = "S0") -> str:
    """A line exactly in TeamViewer's layout: `YYYY/MM/DD HH:MM:SS.mmm  PID  TID  TAG  message`."""
    when = when or datetime.now()
    stamp = when.strftime("%Y/%m/%d %H:%M:%S.") + f"{when.microsecond // 1000:03d}"
    return f"{stamp}  {pid}  {tid:>9} {tag:>2}   {msg}\n"


HEADER = (
    "\nStart:              2024/02/16 06:05:19.548 (UTC-8:00)\nVersion:            15.50.5 (64-bit)\n"
    "ID:                 0\nLoglevel:           Info\n\n"
)
ID_MSG = "Login::Identify::ManageLogin(): ID: {} IC -2100253538 MIDv2"
ONLINE_MSG = ("KeepAliveSessionOutgoing::ConnectSuccessHandler(): "
              "KeepAliveConnect to router7.teamviewer.com successful")


def run_lines(tv_id: str, when: datetime | None = None) -> str:
    start = tv_line("Logger started.", when) + HEADER
    return start + tv_line(ID_MSG.format(tv_id), when) + tv_line(ONLINE_MSG, when)


def kinds(events) -> list[str]:
    return [e.kind for e in events]


# ---------- the real log


def test_real_log_lines(tv_real_log: Path):
    events = [ev for line in tv_real_log.read_text(encoding="utf-8").splitlines() if (ev := parse_line(line))]
    ids = {e.tv_id for e in events if e.kind == "id"}
    assert ids == {"1660388656"}  # the header's `ID: 0` (and its later `ID: 1660388656`) never count
    online = [e.name for e in events if e.kind == "online"]
    assert online[0] == "router14.teamviewer.com"
    joined = [e for e in events if e.kind == "joined"]
    # its S0, D1 and G1 processes each log the join, in two wordings: every line says the same supporter
    assert {(e.tv_id, e.name) for e in joined} == {("1660360496", "TestAccountRedacted")}
    assert len(joined) == 4
    assert joined[0].when == datetime(2024, 2, 16, 6, 16, 47, 413000)
    assert "incoming" in kinds(events) and "authenticated" in kinds(events)
    order = kinds(events)
    assert order.index("incoming") < order.index("authenticated") < order.index("joined")
    assert order.index("joined") < order.index("ended")


def test_real_log_followed_as_a_file_that_appears_after_launch(tv_real_log: Path, tmp_path: Path):
    follower = TvLogFollower([tmp_path], since=0)
    assert follower.poll() == []
    shutil.copy(tv_real_log, tmp_path / tv_real_log.name)
    events = follower.poll()
    assert [e.tv_id for e in events if e.kind == "id"][0] == "1660388656"
    left = [e.tv_id for e in events if e.kind == "left"]
    assert left == ["1660360496"]  # QuickSupport removing itself is not "the consultant left"
    # one join, one leave, one end, however many processes and wordings log them
    assert [(e.kind, e.tv_id) for e in events if e.kind in ("joined", "left", "ended")] == [
        ("joined", "1660360496"), ("left", "1660360496"), ("ended", None)]
    assert follower.poll() == []


# ---------- logs written here


def test_earlier_runs_in_the_same_file_do_not_count(tmp_path: Path):
    log = tmp_path / "TeamViewer15_Logfile.log"
    log.write_text(run_lines("111222333"), encoding="utf-8")  # an earlier run, written "now"
    follower = TvLogFollower([tmp_path], since=time.time())
    assert follower.poll() == []
    with open(log, "a", encoding="utf-8") as fh:
        fh.write(run_lines("1660388656"))
    events = follower.poll()
    # the header's build first (test_qs_version.py), then the run's events
    assert [(e.kind, e.tv_id) for e in events] == [("version", None), ("id", "1660388656"), ("online", None)]
    assert events[2].name == "router7.teamviewer.com"


def test_lines_stamped_before_launch_are_ignored_in_an_old_file_that_appears(tmp_path: Path):
    follower = TvLogFollower([tmp_path], since=time.time())
    old = datetime.now() - timedelta(minutes=10)
    # rotation by copy: the _OLD file appears after the launch, holding earlier runs and the start of ours
    (tmp_path / "TeamViewer15_Logfile_OLD.log").write_text(run_lines("111222333", old) + run_lines("987654321"))
    assert [e.tv_id for e in follower.poll() if e.kind == "id"] == ["987654321"]


def test_line_written_in_pieces_counts_once_when_complete(tmp_path: Path):
    log = tmp_path / "TeamViewer15_Logfile.log"
    follower = TvLogFollower([tmp_path], since=time.time())
    line = tv_line(ID_MSG.format("1660388656")).encode()
    with open(log, "wb", buffering=0) as fh:
        for piece in (line[:7], line[7:40], line[40:-1]):
            fh.write(piece)
            assert follower.poll() == []
        fh.write(b"\n")
        assert kinds(follower.poll()) == ["id"]
    assert follower.poll() == []


def test_rotation_to_old_loses_nothing_written_after_launch(tmp_path: Path):
    log = tmp_path / "TeamViewer15_Logfile.log"
    log.write_text(run_lines("111222333"))
    follower = TvLogFollower([tmp_path], since=time.time())
    with open(log, "a") as fh:
        fh.write(tv_line(ID_MSG.format("1660388656")))
    os.replace(log, tmp_path / "TeamViewer15_Logfile_OLD.log")  # rolled before we polled
    log.write_text(tv_line(ONLINE_MSG) + tv_line("CStreamManager[2]::ReceivedEndSession(): reason=1"))
    events = follower.poll()
    assert [(e.kind, e.tv_id) for e in events] == [("id", "1660388656"), ("online", None), ("ended", None)]


def test_truncated_file_is_read_again_from_the_start(tmp_path: Path):
    log = tmp_path / "TeamViewer15_Logfile.log"
    log.write_text(run_lines("111222333") * 3)
    follower = TvLogFollower([tmp_path], since=time.time())
    log.write_text(run_lines("1660388656"))  # same file rewritten shorter
    assert [e.tv_id for e in follower.poll() if e.kind == "id"] == ["1660388656"]


def test_crlf_odd_bytes_and_garbage(tmp_path: Path):
    follower = TvLogFollower([tmp_path], since=time.time())
    body = (
        b"\x00\xff\xfe garbage \x81\x82\n"
        + tv_line("Za\xbf\xf3\xb3\xe6 cp1252 text \x9c").encode("latin-1")
        + tv_line(ID_MSG.format("1660388656")).replace("\n", "\r\n").encode()
        + tv_line("CPersistentParticipantManager::AddParticipant: [1660360496,1] type=6 name=Zażółć Jaźń")
        .replace("\n", "\r\n").encode("utf-8")
        + b"2024/02/16 06:16:47.413  2216\n"  # truncated prefix
    )
    (tmp_path / "TeamViewer15_Logfile.log").write_bytes(body)
    events = follower.poll()
    assert [(e.kind, e.tv_id, e.name) for e in events] == [
        ("id", "1660388656", None), ("joined", "1660360496", "Zażółć Jaźń")
    ]


def test_utf16_log(tmp_path: Path):
    follower = TvLogFollower([tmp_path], since=time.time())
    text = run_lines("1660388656").replace("\n", "\r\n")
    (tmp_path / "TeamViewer15_Logfile.log").write_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    assert kinds(follower.poll()) == ["version", "id", "online"]


def test_parse_line_events():
    assert parse_line(tv_line("CommandHandlerRouting[2]::CreatePassiveSession(): incoming session via "
                              "gb-man-anx-r001.router.teamviewer.com, protocol Tcp")).name == (
        "gb-man-anx-r001.router.teamviewer.com")
    assert parse_line(tv_line("AuthenticationPasswordLogin_Passive::RunAuthenticationMethod: authentication "
                              "using dynamic password was successful")).kind == "authenticated"
    assert parse_line(tv_line(ID_MSG.format("0000000000"))) is None
    assert parse_line("ID:                 0") is None
    assert parse_line(tv_line("CPersistentParticipantManager::AddParticipant: [1,2] type=3 name=PC")) is None


def test_candidate_dirs(tmp_path: Path, monkeypatch):
    (tmp_path / "teamviewerqs").mkdir()
    monkeypatch.setenv("OVERMAX_TEST_LOGS", str(tmp_path / "x"))
    dirs = candidate_log_dirs(tmp_path, extra=["$OVERMAX_TEST_LOGS", "~/tvlogs"])
    assert tmp_path / "teamviewerqs" / "logfiles" in dirs
    assert tmp_path / "logfiles" in dirs
    assert dirs[-2:] == [tmp_path / "x", Path.home() / "tvlogs"]
    assert len(dirs) == len(set(dirs))


# ---------- never a crash on garbage

REAL_SHAPED = st.builds(
    lambda msg, cut: tv_line(msg)[:cut],
    st.sampled_from([ID_MSG.format("1660388656"), ONLINE_MSG, "ReceivedEndSession(): reason=1",
                     "CPersistentParticipantManager::AddParticipant: [1660360496,1] type=6 name=X"]),
    st.integers(min_value=0, max_value=200),
)


@settings(max_examples=150, deadline=None)
@given(st.one_of(st.text(max_size=300), REAL_SHAPED))
def test_parse_line_never_raises(line: str):
    ev = parse_line(line)
    assert ev is None or ev.kind in ("id", "online", "incoming", "authenticated", "joined", "left", "ended")


@settings(max_examples=40, deadline=None)
@given(st.lists(st.binary(max_size=120), max_size=8))
def test_follower_never_raises_on_random_bytes(tmp_path_factory, chunks: list[bytes]):
    folder = tmp_path_factory.mktemp("logs")
    follower = TvLogFollower([folder], since=time.time())
    with open(folder / "TeamViewer15_Logfile.log", "wb", buffering=0) as fh:
        for chunk in chunks:
            fh.write(chunk)
            assert isinstance(follower.poll(), list)
