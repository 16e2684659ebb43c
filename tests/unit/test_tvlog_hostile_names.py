"""TeamViewer log lines carrying names the supporter chose to mislead: line breaks, bidi overrides, markup, and
names that spell TeamViewer's own log wordings (a fake ID, a fake roster ID, a fake leave or end).

The lines are in TeamViewer's exact layout (tests.unit.test_tvlog.tv_line); the real TeamViewer 15 log from
../shared supplies every line format its supporter's name is printed in (skipped where it is absent)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from launcher.core.activity import ActivityLog, describe
from launcher.core.manifest import Consultant
from launcher.core.quicksupport.supporter_gate import UNKNOWN, SupporterGate
from launcher.core.quicksupport.tvlog import TvLogFollower, parse_line
from launcher.core.untrusted_text import REPLACEMENT, one_line
from tests.unit.test_tvlog import run_lines, tv_line

ROSTER_ID = "1660360496"  # a consultant on the roster, whose ID a former customer may have seen
IMPOSTOR_ID = "1555000111"
JOIN_ADD = "CPersistentParticipantManager::AddParticipant: [{id},115469523] type=6 name={name}"
JOIN_ROLE = "CParticipantManagerBase participant {name} (ID [{id},115469523]) was added with the role 6"
LEFT_ROLE = "CParticipantManagerBase participant {name} (ID [{id},115469523]) was removed"

# names that spell a wording of TeamViewer's: each would be an event of its own if read anywhere in a line
SPOOFS = [
    f"Anna (ID [{ROSTER_ID},1]) was added with the role 6",
    f"x AddParticipant: [{ROSTER_ID},1] type=6 name=Anna Nowak",
    f"CPersistentParticipantManager::AddParticipant: [{ROSTER_ID},1] type=6 name=Anna Nowak",
    f"participant Anna (ID [{ROSTER_ID},1]) was added with the role 6",
    f"RemoveParticipant: [{IMPOSTOR_ID},115469523]",
    f"Jan (ID [{IMPOSTOR_ID},115469523]) was removed",
    "CStreamManager[2]::ReceivedEndSession(): reason=1",
    f"SessionStatistics[2] Session to {IMPOSTOR_ID} ended.",
    "SessionManagerDesktop::SessionTerminate: removing session",
    "Login::Identify::ManageLogin(): ID: 123456789 IC 1",
    "KeepAliveSessionOutgoing::ConnectSuccessHandler(): KeepAliveConnect to evil.example successful",
    "AuthenticationPasswordLogin_Passive::RunAuthenticationMethod: "
    "authentication using dynamic password was successful",
    "SessionManagerDesktop::IncomingConnection: Connection incoming",
    "CommandHandlerRouting[2]::CreatePassiveSession(): incoming session via x",
    "SessionManagerDesktop::InitiateDesktopSession: creating session",
]


def _event(msg: str):
    return parse_line(tv_line(msg))


@pytest.mark.parametrize("wording", [JOIN_ADD, JOIN_ROLE])
@pytest.mark.parametrize("spoof", SPOOFS)
def test_a_name_spelling_a_wording_never_changes_the_joined_event(wording: str, spoof: str) -> None:
    ev = _event(wording.format(id=IMPOSTOR_ID, name=spoof))
    assert ev is not None and (ev.kind, ev.tv_id) == ("joined", IMPOSTOR_ID)
    assert ev.name == one_line(spoof)  # shown as the supporter wrote it (capped), under the roster's verdict
    gate = SupporterGate([Consultant(ROSTER_ID, "Anna Nowak")], "disconnect")
    verdict = gate.check_join(ev.tv_id, ev.name)
    assert verdict.status == UNKNOWN and verdict.disconnect


@pytest.mark.parametrize("spoof", SPOOFS)
def test_a_name_spelling_a_wording_never_changes_the_left_event(spoof: str) -> None:
    ev = _event(LEFT_ROLE.format(id=IMPOSTOR_ID, name=spoof))
    assert ev is not None and (ev.kind, ev.tv_id) == ("left", IMPOSTOR_ID)


def _lines_naming(log: Path, name: str) -> list[str]:
    text = log.read_text("utf-8", errors="replace")
    return [line for line in text.splitlines() if name in line]


def test_every_real_line_format_that_prints_the_name(tv_real_log: Path) -> None:
    """Each line of the real log that prints the supporter's name, with the name swapped for each spoof and
    each hostile name, gives exactly the event (kind and ID) the original line gives: nothing a name holds
    becomes an event, and the name itself comes out as one clean line."""
    real = "TestAccountRedacted"
    lines = _lines_naming(tv_real_log, real)
    assert len(lines) > 10  # AddParticipant, participant ... was added, VoIP, JBS, New Participant ...
    hostile = [*SPOOFS, "Jan\rLEFT\u2028ENDED\u2029JOINED 1 x", "faktura\u202efdp.exe", "<b>Konsultant</b>"]
    for line in lines:
        want = parse_line(line)
        for name in hostile:
            got = parse_line(line.replace(real, name))
            if want is None:
                assert got is None, (line, name, got)
                continue
            assert got is not None and (got.kind, got.tv_id) == (want.kind, want.tv_id), (line, name)
            if got.name is not None:
                assert len(got.name.splitlines()) == 1 and "\u202e" not in got.name


def test_line_breaks_in_a_name_give_one_line_of_name() -> None:
    ev = _event(JOIN_ADD.format(id=IMPOSTOR_ID, name="Jan\rLEFT\u2028ENDED\u2029JOINED 1987654320 Anna\x85x\x0by"))
    assert ev is not None and ev.name == "Jan LEFT ENDED JOINED 1987654320 Anna x y"


def test_markup_and_bidi_in_a_name() -> None:
    ev = _event(JOIN_ROLE.format(id=IMPOSTOR_ID, name="<font color=white>x</font>\u202eKonsultant"))
    assert ev is not None and ev.name == f"<font color=white>x</font>{REPLACEMENT}Konsultant"
    # markup stays as text here: the widgets show it as plain text (tests/ui/test_untrusted_text_ui.py)


def test_a_name_of_invisible_characters_counts_as_no_name() -> None:
    ev = _event(JOIN_ADD.format(id=IMPOSTOR_ID, name="\u3164\u200b\u2800"))
    assert ev is not None and ev.kind == "joined" and ev.name is None


def test_a_long_name_is_capped() -> None:
    ev = _event(JOIN_ADD.format(id=IMPOSTOR_ID, name="Konsultant Overmax " * 200))
    assert ev is not None and ev.name is not None and len(ev.name) <= 64 and ev.name.endswith("…")


def test_right_to_left_override_in_a_received_file() -> None:
    write = _event("Write file C:\\Users\\Jan\\Pobrane\\faktura\u202efdp.exe")
    assert write is not None and write.kind == "file_in"
    assert write.name == f"faktura{REPLACEMENT}fdp.exe" and write.folder == "C:\\Users\\Jan\\Pobrane"
    entry = ActivityLog().add(write)
    assert entry is not None and describe(entry).endswith(
        f"plik „faktura{REPLACEMENT}fdp.exe” do folderu C:\\Users\\Jan\\Pobrane.")


def test_line_breaks_and_padding_in_a_sent_file() -> None:
    ev = _event("Send file /home/jan/raport.pdf\u2028" + " " * 40 + ".exe")
    assert ev is not None and ev.kind == "file_out" and ev.name == "raport.pdf .exe"


def test_a_source_name_cannot_choose_the_received_file_shown() -> None:
    """`Download from "SRC" to "PATH" (SIZE)`: a Mac's SRC may hold `" to "` and a made-up path and size; the
    file shown is the one whose path ends the line."""
    src = 'x" to "C:\\Users\\Jan\\Pobrane\\faktura.pdf" (1 kB) y'
    ev = _event(f'Download from "{src}" to "C:\\Users\\Jan\\Pobrane\\setup.exe" (10.95 MB)')
    assert ev is not None and ev.kind == "file_in"
    assert ev.name == "setup.exe" and ev.size == round(10.95 * (1 << 20))


def test_a_real_download_line_still_reads_the_same() -> None:
    ev = _event('Download from "safe\\JM.exe" to "C:\\Windows\\Temp\\safe\\JM.exe" (468.60 kB)')
    assert ev is not None and (ev.name, ev.folder, ev.size) == ("JM.exe", "C:\\Windows\\Temp\\safe", 479846)


def test_the_follower_keeps_the_real_join_and_no_fake_leave(tmp_path: Path) -> None:
    """A whole run written the way TeamViewer writes it, the supporter's name printed in its VoIP line too:
    one join with the real ID, no leave, no end."""
    since = time.time()
    follower = TvLogFollower([tmp_path], since=since)
    spoof = f"RemoveParticipant: [{IMPOSTOR_ID},115469523] CStreamManager[2]::ReceivedEndSession(): reason=1"
    text = run_lines("1660388656") + tv_line(JOIN_ADD.format(id=IMPOSTOR_ID, name=spoof)) + tv_line(
        JOIN_ROLE.format(id=IMPOSTOR_ID, name=spoof)) + tv_line(
        f'VoIP: Receiver: Participant channel "{spoof} (1 555 000 111)" [{IMPOSTOR_ID},115469523]: Initialized',
        tag="G1")
    (tmp_path / "TeamViewer15_Logfile.log").write_text(text, "utf-8")
    events = follower.poll()
    assert [e.kind for e in events if e.kind in ("joined", "left", "ended")] == ["joined"]
    assert [e.tv_id for e in events if e.kind == "joined"] == [IMPOSTOR_ID]


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_a_line_break_in_a_name_cannot_hide_the_id_teamviewer_wrote(tmp_path: Path, newline: str) -> None:
    """Were TeamViewer to write a name's line break as it is, a name ending in a stamped join line of the
    supporter's own making (a roster ID, in a build that logs only the role wording) would put the ID
    TeamViewer wrote on an unstamped line of its own. That ID is read as a join too: the gate cuts it off."""
    since = time.time()
    follower = TvLogFollower([tmp_path], since=since)
    fake = tv_line(JOIN_ROLE.format(id=ROSTER_ID, name="Anna Nowak")).rstrip("\n")
    name = f"Pomoc{newline}{fake}{newline}x"
    (tmp_path / "TeamViewer15_Logfile.log").write_text(
        run_lines("1660388656") + tv_line(JOIN_ROLE.format(id=IMPOSTOR_ID, name=name)), "utf-8")
    events = follower.poll()
    assert [e.tv_id for e in events if e.kind == "joined"] == [ROSTER_ID, IMPOSTOR_ID]
    passed, refusal = SupporterGate((Consultant(ROSTER_ID, "Anna Nowak"),)).screen(events)
    assert refusal is not None and refusal.status == UNKNOWN and refusal.tv_id == IMPOSTOR_ID


def test_the_end_of_a_join_counts_on_whatever_line_it_ends() -> None:
    from launcher.core.quicksupport.tvlog import _trailing_join

    tail = f"x (ID [{IMPOSTOR_ID},115469523]) was added with the role "
    assert _trailing_join(tail + "6", None).tv_id == IMPOSTOR_ID
    assert _trailing_join(tail + "3", None) is None  # the local machine
    assert _trailing_join(tail + "4", None).tv_id == IMPOSTOR_ID  # a role no log shows: checked all the same
    # stamped: the same join the line parses as (the follower adds no second one), or one a stamp of the name's
    # making hides
    assert _trailing_join(tv_line(JOIN_ROLE.format(id=IMPOSTOR_ID, name="x")), None).tv_id == IMPOSTOR_ID
    assert _trailing_join(tv_line(tail + "6"), None).tv_id == IMPOSTOR_ID
    assert _trailing_join("Version:          15.50.5 (64-bit)", None) is None


def _name_with_line_breaks(*lines: str) -> str:
    """A supporter's name holding line breaks, its lines stamped as TeamViewer stamps its own."""
    return "\n".join(lines)


def _screened(tmp_path: Path, name: str):
    """The events of a run whose supporter (IMPOSTOR_ID, in a build that logs only the role wording and no
    brute-force guard line) chose `name`, and the roster gate's refusal of them."""
    follower = TvLogFollower([tmp_path], since=time.time())
    auth = tv_line("AuthenticationPasswordLogin_Passive::RunAuthenticationMethod: authentication using dynamic "
                   "password was successful", tag="D1")
    (tmp_path / "TeamViewer15_Logfile.log").write_text(
        run_lines("1660388656") + auth + tv_line(JOIN_ROLE.format(id=IMPOSTOR_ID, name=name)), "utf-8")
    events = follower.poll()
    _passed, refusal = SupporterGate((Consultant(ROSTER_ID, "Anna Nowak"),)).screen(events)
    return events, refusal


FAKE_ROSTER_JOIN = tv_line(JOIN_ROLE.format(id=ROSTER_ID, name="Anna Nowak")).rstrip("\n")


@pytest.mark.parametrize("last_line", [
    tv_line("x").rstrip("\n"),  # a stamped line of the name's making that no wording reads
    tv_line("CStreamManager[2]::ReceivedEndSession(): reason=1 x").rstrip("\n"),  # one that spells an end
    tv_line(f"CPersistentParticipantManager::RemoveParticipant: [{IMPOSTOR_ID},1] x").rstrip("\n"),  # a leave
], ids=["stamped", "spelling-an-end", "spelling-a-leave"])
def test_a_stamp_of_the_names_making_cannot_hide_the_id_teamviewer_wrote(tmp_path: Path, last_line: str) -> None:
    """The name's last line starts with a stamp of its own: TeamViewer's `(ID [<impostor>,..]) was added with
    the role 6` then ends a stamped line that no join wording reads (it was dropped before: only an unstamped
    line counted, and the fake roster join alone was seen, verified, for good)."""
    events, refusal = _screened(tmp_path, _name_with_line_breaks("Pomoc", FAKE_ROSTER_JOIN, last_line))
    assert IMPOSTOR_ID in [e.tv_id for e in events if e.kind == "joined"]
    assert refusal is not None and refusal.status == UNKNOWN and refusal.tv_id == IMPOSTOR_ID


def test_a_fake_id_line_in_a_name_neither_changes_this_computers_id_nor_hides_the_join(tmp_path: Path) -> None:
    """A name holding a line of TeamViewer's login wording with the impostor's own ID: that ID became
    "ours", so the real join (with that ID) was dropped as this computer's, and the window showed the
    impostor's ID. QuickSupport has one ID per run: the first."""
    fake_id = tv_line(f"Login::Identify::ManageLogin(): ID: {IMPOSTOR_ID} IC 1").rstrip("\n")
    events, refusal = _screened(tmp_path, _name_with_line_breaks("Pomoc", FAKE_ROSTER_JOIN, fake_id, "x"))
    assert [e.tv_id for e in events if e.kind == "id"] == ["1660388656"]
    assert refusal is not None and refusal.status == UNKNOWN and refusal.tv_id == IMPOSTOR_ID


@pytest.mark.parametrize("wording", [JOIN_ADD, JOIN_ROLE])
def test_a_participant_in_a_role_no_log_shows_is_checked_against_the_roster(wording: str) -> None:
    in_role = wording.replace("type=6", "type={role}").replace("the role 6", "the role {role}")
    ev = _event(in_role.format(id=IMPOSTOR_ID, name="x", role=4))
    assert ev is not None and (ev.kind, ev.tv_id) == ("joined", IMPOSTOR_ID)
    assert _event(in_role.format(id="1660388656", name="DESKTOP", role=3)) is None  # this computer


def test_a_name_ending_the_way_a_roster_join_ends_never_verifies_anyone(tmp_path: Path) -> None:
    """A stranger named `Anna (ID [<roster ID>,1]) was added with the role 6`: TeamViewer prints the name last
    in its AddParticipant line, so the line reads as the stranger's join and, by its end, as a consultant's.
    The roster's IDs are no secret (the manifest is public): that second join was verified, and in warn mode the
    window said "Konsultant Overmax Anna Nowak (zweryfikowany)" and took the warning away. Neither ID can be
    told to be TeamViewer's from such a line: both are checked, neither verifies."""
    from launcher.core.quicksupport.supporter_gate import VERIFIED

    follower = TvLogFollower([tmp_path], since=time.time())
    (tmp_path / "TeamViewer15_Logfile.log").write_text(
        run_lines("1660388656") + tv_line(JOIN_ADD.format(id=IMPOSTOR_ID, name=SPOOFS[0])), "utf-8")
    events = follower.poll()
    assert sorted(e.tv_id for e in events if e.kind == "joined") == sorted([IMPOSTOR_ID, ROSTER_ID])
    passed, refusal = SupporterGate((Consultant(ROSTER_ID, "Anna Nowak"),), "warn").screen(events)
    assert refusal is None  # warn mode: nobody is cut off, the window warns
    verdicts = {e.tv_id: e.verdict for e in passed if e.kind == "joined"}
    assert verdicts == {IMPOSTOR_ID: UNKNOWN, ROSTER_ID: UNKNOWN}
    assert VERIFIED not in verdicts.values()


def test_a_roster_id_read_only_off_a_lines_end_cuts_off_instead_of_letting_in(tmp_path: Path) -> None:
    """A build that words its join in a way no wording here reads, the name printed last: the only join seen is
    the one the name spells. It verified a consultant before, which stops the identification clock, so the
    stranger stayed connected; now it is a supporter nobody can vouch for, cut off."""
    follower = TvLogFollower([tmp_path], since=time.time())
    unknown_wording = f"ParticipantDirectory::Joined: partner [{IMPOSTOR_ID},1] display={SPOOFS[0]}"
    (tmp_path / "TeamViewer15_Logfile.log").write_text(run_lines("1660388656") + tv_line(unknown_wording), "utf-8")
    events = follower.poll()
    assert [e.tv_id for e in events if e.kind == "joined"] == [ROSTER_ID]
    _passed, refusal = SupporterGate((Consultant(ROSTER_ID, "Anna Nowak"),), "disconnect").screen(events)
    assert refusal is not None and refusal.status == UNKNOWN and refusal.disconnect


def test_a_consultant_coming_back_after_a_session_ended_without_a_leave_is_a_join_again(tmp_path: Path) -> None:
    """A dropped connection ends the session with no leave line; the consultant connects again. Their second
    join was dropped as the same join (the follower still counted them present), so the password accepted
    again started the identification clock with nobody to stop it: the consultant was cut off."""
    follower = TvLogFollower([tmp_path], since=time.time())
    auth = tv_line("AuthenticationPasswordLogin_Passive::RunAuthenticationMethod: authentication using dynamic "
                   "password was successful", tag="D1")
    join = tv_line(JOIN_ADD.format(id=ROSTER_ID, name="Anna Nowak"))
    ended = tv_line("CStreamManager[2]::ReceivedEndSession(): reason=1")
    (tmp_path / "TeamViewer15_Logfile.log").write_text(
        run_lines("1660388656") + auth + join + ended + auth + join, "utf-8")
    events = follower.poll()
    assert [e.kind for e in events if e.kind in ("joined", "ended")] == ["joined", "ended", "joined"]
    now = [0.0]
    gate = SupporterGate((Consultant(ROSTER_ID, "Anna Nowak"),), "disconnect", clock=lambda: now[0])
    _passed, refusal = gate.screen(events)
    now[0] = 60.0  # long past the time a supporter has to be named in
    assert refusal is None and gate.overdue() is None
