"""The roster check: verified, not on the roster (disconnect / warn), no roster, and fail-closed."""

from __future__ import annotations

from pathlib import Path

import pytest

from launcher.core.manifest import Consultant
from launcher.core.quicksupport.supporter_gate import UNKNOWN, UNVERIFIED, VERIFIED, SupporterGate
from launcher.core.quicksupport.tvlog import TvLogFollower

ROSTER = (Consultant("1660360496", "Anna Nowak"), Consultant("987654321", "Jan Kowalski"))


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_on_the_roster_is_verified_under_the_rosters_name() -> None:
    verdict = SupporterGate(ROSTER).check_join("1660360496", "whatever they typed")
    assert (verdict.status, verdict.name, verdict.disconnect) == (VERIFIED, "Anna Nowak", False)


def test_not_on_the_roster_is_cut_off_or_warned() -> None:
    verdict = SupporterGate(ROSTER).check_join("1555000111", "Pomoc Techniczna")
    assert (verdict.status, verdict.name, verdict.disconnect) == (UNKNOWN, "Pomoc Techniczna", True)
    warned = SupporterGate(ROSTER, "warn").check_join("1555000111", "Pomoc Techniczna")
    assert (warned.status, warned.disconnect) == (UNKNOWN, False)
    assert SupporterGate(ROSTER).check_join(None, "no id").disconnect


def test_an_empty_roster_lets_nobody_in_and_no_roster_checks_nobody() -> None:
    assert SupporterGate(()).check_join("1660360496", "Anna").disconnect
    verdict = SupporterGate(None).check_join("1555000111", "Pomoc Techniczna")
    assert (verdict.status, verdict.name, verdict.disconnect) == (UNVERIFIED, "Pomoc Techniczna", False)


def test_bad_mode_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown_supporter"):
        SupporterGate(ROSTER, "allow")


def test_fail_closed_when_an_authenticated_supporter_is_never_named() -> None:
    clock = Clock()
    gate = SupporterGate(ROSTER, identify_within_s=5.0, clock=clock)
    assert gate.overdue() is None
    gate.saw("incoming")
    gate.saw("authenticated")
    clock.now += 4.9
    assert gate.overdue() is None
    clock.now += 0.2
    verdict = gate.overdue()
    assert verdict is not None and (verdict.status, verdict.tv_id, verdict.disconnect) == (UNKNOWN, None, True)
    assert gate.overdue() is None  # once


def test_a_named_supporter_stops_the_clock_and_no_roster_never_fails_closed() -> None:
    clock = Clock()
    gate = SupporterGate(ROSTER, clock=clock)
    gate.saw("authenticated")
    gate.saw("joined")
    gate.check_join("1660360496", "Anna")
    clock.now += 60
    assert gate.overdue() is None
    open_gate = SupporterGate(None, clock=clock)
    open_gate.saw("authenticated")
    clock.now += 60
    assert open_gate.overdue() is None


def test_real_log_supporter_is_identified_once(tv_real_log: Path, tmp_path: Path) -> None:
    logs = tmp_path / "logs"
    logs.mkdir()
    follower = TvLogFollower([logs], since=0.0)
    (logs / "TeamViewer15_Logfile.log").write_bytes(tv_real_log.read_bytes())
    joins = [ev for ev in follower.poll() if ev.kind == "joined"]
    assert [(ev.tv_id, ev.name) for ev in joins] == [("1660360496", "TestAccountRedacted")]
    assert SupporterGate(ROSTER).check_join(joins[0].tv_id, joins[0].name).status == VERIFIED
    assert SupporterGate((Consultant("111222333", "Ewa"),)).check_join(joins[0].tv_id, joins[0].name).disconnect


def test_real_log_second_wording_alone_identifies_the_supporter(tv_real_log: Path, tmp_path: Path) -> None:
    # a build that logs only the "was added with the role 6" wording: the supporter is still identified
    logs = tmp_path / "logs"
    logs.mkdir()
    follower = TvLogFollower([logs], since=0.0)
    kept = [ln for ln in tv_real_log.read_bytes().splitlines(keepends=True) if b"AddParticipant:" not in ln]
    (logs / "TeamViewer15_Logfile.log").write_bytes(b"".join(kept))
    joins = [ev for ev in follower.poll() if ev.kind == "joined"]
    assert [(ev.tv_id, ev.name) for ev in joins] == [("1660360496", "TestAccountRedacted")]


def _gate(clock: Clock, mode: str = "disconnect") -> SupporterGate:
    return SupporterGate(ROSTER, mode, identify_within_s=5.0, clock=clock)


def _cut_after_the_window(gate: SupporterGate, clock: Clock) -> bool:
    clock.now += 4.9
    early = gate.overdue()
    clock.now += 0.2
    late = gate.overdue()
    return early is None and late is not None and late.status == UNKNOWN and late.disconnect


@pytest.mark.parametrize("first_sign", ["authenticated", "control", "file_in", "file_out"])
def test_a_password_accepted_or_an_action_starts_the_clock(first_sign: str) -> None:
    """A build whose join wordings the table does not know still shows the password accepted, or the supporter
    acting: unnamed 5 s later, it is cut off (it was never cut off)."""
    clock = Clock()
    gate = _gate(clock)
    gate.saw("incoming")
    gate.saw(first_sign)
    assert _cut_after_the_window(gate, clock)


def test_a_connection_still_being_made_starts_no_clock() -> None:
    """The consultant types the password the customer reads out: 15 s in the real log. An incoming session and
    the guard's line naming a roster consultant are no reason to cut off anyone (the clock used to start
    there, and every such consultant was cut off 5 s into typing)."""
    clock = Clock()
    gate = _gate(clock)
    gate.saw("incoming")
    assert gate.check_partner("1660360496") is None
    clock.now += 60
    assert gate.overdue() is None
    gate.saw("authenticated")  # the password accepted: now the join must come
    assert _cut_after_the_window(gate, clock)


def test_an_end_after_the_password_excuses_nobody() -> None:
    """Two connections authenticate one after the other; the first ends. The log does not say whose end it
    was, so the other must still be named."""
    clock = Clock()
    gate = _gate(clock)
    for kind in ("incoming", "authenticated", "incoming", "authenticated", "ended"):
        gate.saw(kind)
    assert _cut_after_the_window(gate, clock)
    gate = _gate(clock)
    for kind in ("incoming", "authenticated", "control", "left"):
        gate.saw(kind, "999888777")
    assert _cut_after_the_window(gate, clock)


def test_a_connection_that_ends_before_its_password_is_accepted_is_no_one() -> None:
    """A mistyped password: an incoming session that ends unauthenticated leaves nobody to name."""
    clock = Clock()
    gate = _gate(clock)
    gate.saw("incoming")
    gate.check_partner("1660360496")
    gate.saw("ended")
    clock.now += 60
    assert gate.overdue() is None
    gate.saw("authenticated")  # a later connection is judged on its own
    assert _cut_after_the_window(gate, clock)


def test_while_a_roster_consultant_is_connected_their_session_needs_no_naming() -> None:
    """TeamViewer's processes log the same session's steps more than once, some after the join (whose second
    wording is no second join): none of them may cut off the consultant 5 s later. Someone else connecting
    meanwhile is checked at the brute-force guard's line."""
    clock = Clock()
    gate = _gate(clock)
    for kind in ("incoming", "authenticated", "control"):
        gate.saw(kind)
    assert gate.check_join("1660360496", "Anna").status == VERIFIED
    for kind in ("incoming", "authenticated", "control", "file_in", "file_out"):
        gate.saw(kind)
    clock.now += 60
    assert gate.overdue() is None
    stranger = gate.check_partner("1555000111")
    assert stranger is not None and stranger.disconnect


def test_once_the_consultant_has_left_acting_starts_the_clock_again() -> None:
    clock = Clock()
    gate = _gate(clock)
    gate.check_join("1660360496", "Anna")
    gate.saw("left", "1660360496")
    gate.saw("control")
    assert _cut_after_the_window(gate, clock)


def test_the_partner_named_before_the_password_is_checked_against_the_roster() -> None:
    clock = Clock()
    stranger = _gate(clock).check_partner("1555000111")
    assert stranger is not None and (stranger.status, stranger.tv_id, stranger.disconnect) == (
        UNKNOWN, "1555000111", True)
    warned = _gate(clock, "warn").check_partner("1555000111")
    assert warned is not None and not warned.disconnect
    assert SupporterGate(None).check_partner("1555000111") is None
    gate = _gate(clock)
    assert gate.check_partner("1660360496") is None  # on the roster: let through to its join ...
    gate.saw("authenticated")
    assert _cut_after_the_window(gate, clock)  # ... which must still come once the password is accepted


def test_real_log_partner_is_named_before_the_password_and_let_in(tv_real_log: Path, tmp_path: Path) -> None:
    """The real 15.50 log: its guard names the roster's consultant 14 s before the password; replayed through
    a gate, nobody is cut off, and a roster without that consultant refuses them at the guard's line."""
    logs = tmp_path / "logs"
    logs.mkdir()
    follower = TvLogFollower([logs], since=0.0)
    (logs / "TeamViewer15_Logfile.log").write_bytes(tv_real_log.read_bytes())
    events = follower.poll()
    kinds = [ev.kind for ev in events]
    assert kinds.index("connecting") < kinds.index("authenticated") < kinds.index("joined")
    assert [ev.tv_id for ev in events if ev.kind == "connecting"] == ["1660360496"]
    for roster, refusal in ((ROSTER, None), ((Consultant("111222333", "Ewa"),), ("1660360496", None))):
        clock = Clock()
        gate = SupporterGate(roster, clock=clock)
        passed, verdict = gate.screen(events)
        if refusal is None:
            clock.now += 60
            assert gate.overdue() is None
            assert verdict is None and [ev.verdict for ev in passed if ev.kind == "joined"] == [VERIFIED]
        else:  # cut off at the guard's line: before the password, nothing of the session passed on
            assert verdict is not None and (verdict.tv_id, verdict.name) == refusal
            assert "authenticated" not in [ev.kind for ev in passed]


def test_real_log_replayed_at_its_own_pace_lets_the_roster_consultant_in(tv_real_log: Path, tmp_path: Path) -> None:
    """The real 15.50 log's events through a gate whose clock is the log's own stamps, one poll per event: the
    consultant's connection arrives at 06:16:32, its password is accepted 15 s later, the join follows. On
    the roster they stay; with a roster without them they are cut off at the guard's line, before the
    password; a stranger's password accepted with no join that names them is cut off 5 s later."""
    logs = tmp_path / "logs"
    logs.mkdir()
    follower = TvLogFollower([logs], since=0.0)
    (logs / "TeamViewer15_Logfile.log").write_bytes(tv_real_log.read_bytes())
    events = [ev for ev in follower.poll() if ev.when is not None]

    def replay(roster, events):
        """(the clock, the event) at the first refusal, or (None, None); polled every 0.25 s between events too."""
        clock = Clock()
        gate = SupporterGate(roster, clock=clock)
        clock.now = events[0].when.timestamp()
        for ev in [*events, None]:
            until = ev.when.timestamp() if ev is not None else clock.now + 60
            while clock.now + 0.25 < until:
                clock.now += 0.25
                if gate.screen([])[1] is not None:
                    return clock.now, None
            clock.now = until
            if ev is not None and gate.screen([ev])[1] is not None:
                return clock.now, ev
        return None, None

    assert replay(ROSTER, events) == (None, None)
    at, refused = replay((Consultant("111222333", "Ewa"),), events)
    assert refused.kind == "connecting" and refused.tv_id == "1660360496"  # before the password
    unnamed = [ev for ev in events if ev.kind not in ("joined", "connecting")]  # a build naming no one
    at, _ = replay(ROSTER, unnamed)
    authenticated = next(ev for ev in unnamed if ev.kind == "authenticated")
    assert at is not None and 5 <= at - authenticated.when.timestamp() < 5.5
