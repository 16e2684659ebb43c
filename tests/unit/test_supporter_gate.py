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
