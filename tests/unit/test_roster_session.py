"""The roster check inside a real QuickSupportSession: the demo stand-in joins as the roster's consultant,
as an impostor, with only one join wording, or never named; and a file-transfer session.

Real processes throughout; the impostor's QuickSupport must be gone (every process, the unpacked folder)
in the same poll that saw the join.
"""

from __future__ import annotations

import hashlib
import sys
import time
from pathlib import Path

import pytest

from launcher.core.download import open_verified
from launcher.core.manifest import Artifact, Consultant
from launcher.core.quicksupport.launch import Prepared, prepare
from launcher.core.quicksupport.session import QuickSupportSession
from launcher.core.quicksupport.supporter_gate import SupporterGate
from launcher.demo.artifact import build_standin_artifact
from launcher.demo.standin import CONSULTANT_NAME, DEMO_CONSULTANT_ID, IMPOSTOR_ID, IMPOSTOR_NAME
from tests.support.polling import poll_until
from tests.support.processes import alive_pids
from tests.support.teamviewers import count_only_teamviewers_started_from_now

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="the demo artifact is a POSIX tar.gz")

ROSTER = (Consultant(DEMO_CONSULTANT_ID, "Anna Nowak"),)


@pytest.fixture(autouse=True)
def _only_our_teamviewers(monkeypatch: pytest.MonkeyPatch) -> None:
    """On a shared machine another program's TeamViewer may already run (QS-ALREADY is tested in
    test_qs_session); here only those started during the test count."""
    count_only_teamviewers_started_from_now(monkeypatch)


def _prepared(tmp_path: Path, scenario: str, wording: str = "both", join_after: float = 0.6) -> Prepared:
    path, entry = build_standin_artifact(tmp_path / "www")
    data = path.read_bytes()
    art = Artifact(platform="linux-x86_64", url="http://127.0.0.1/teamviewer_qs.tar.gz", size=len(data),
                   sha256=hashlib.sha256(data).hexdigest(), version="demo", kind="tar.gz", entry=entry)
    prepared = prepare(path, art, tmp_path / "run", open_verified)
    prepared.env.update({"OVERMAX_DEMO_SCENARIO": scenario, "OVERMAX_DEMO_JOIN_WORDING": wording,
                         "OVERMAX_DEMO_JOIN_AFTER": str(join_after), "OVERMAX_DEMO_LEAVE_AFTER": "-1",
                         "QT_QPA_PLATFORM": "offscreen"})
    return prepared


def _run(prepared: Prepared, gate: SupporterGate | None, until: str) -> tuple[QuickSupportSession, list, list[int]]:
    session = QuickSupportSession(prepared, id_timeout_s=30, gate=gate)
    session.start()
    pids: list[int] = []
    events: list = []
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and until not in [e.kind for e in events]:
        pids = sorted(set(pids) | set(session.pids))
        events += session.poll()
        time.sleep(0.05)
    return session, events, pids


def test_roster_hit_stays_connected_under_the_rosters_name(tmp_path: Path) -> None:
    session, events, _ = _run(_prepared(tmp_path, "consultant"), SupporterGate(ROSTER), "control")
    try:
        joined = [e for e in events if e.kind == "joined"]
        assert [(e.tv_id, e.name, e.verdict) for e in joined] == [(DEMO_CONSULTANT_ID, "Anna Nowak", "verified")]
        assert "refused" not in [e.kind for e in events] and session.pids
    finally:
        session.stop(grace_s=0.5)


def test_roster_miss_ends_quicksupport_at_once_and_leaves_nothing(tmp_path: Path) -> None:
    prepared = _prepared(tmp_path, "impostor")
    session, events, pids = _run(prepared, SupporterGate(ROSTER), "refused")
    kinds = [e.kind for e in events]
    assert kinds[-2:] == ["joined", "refused"]
    refused = events[-1]
    assert (refused.tv_id, refused.name, refused.verdict) == (IMPOSTOR_ID, IMPOSTOR_NAME, "unknown")
    # already down when poll() returned: every process, the unpacked folder; nothing more is reported
    assert pids and not alive_pids(pids)
    assert session.pids == [] and not prepared.root.exists()
    assert session.poll() == []
    session.stop()  # what Rozłącz does afterwards is a no-op


def test_warn_mode_keeps_the_connection_with_an_unknown_verdict(tmp_path: Path) -> None:
    session, events, _ = _run(_prepared(tmp_path, "impostor"), SupporterGate(ROSTER, "warn"), "control")
    try:
        joined = [e for e in events if e.kind == "joined"]
        assert [(e.tv_id, e.verdict) for e in joined] == [(IMPOSTOR_ID, "unknown")]
        assert "refused" not in [e.kind for e in events] and session.pids
    finally:
        session.stop(grace_s=0.5)


def test_no_roster_shows_the_name_unverified(tmp_path: Path) -> None:
    session, events, _ = _run(_prepared(tmp_path, "impostor"), SupporterGate(None), "control")
    try:
        joined = [e for e in events if e.kind == "joined"]
        assert [(e.name, e.verdict) for e in joined] == [(IMPOSTOR_NAME, "unverified")]
    finally:
        session.stop(grace_s=0.5)


def test_the_role_wording_alone_identifies_the_consultant(tmp_path: Path) -> None:
    session, events, _ = _run(_prepared(tmp_path, "consultant", wording="role"), SupporterGate(ROSTER), "control")
    try:
        assert [(e.tv_id, e.verdict) for e in events if e.kind == "joined"] == [(DEMO_CONSULTANT_ID, "verified")]
    finally:
        session.stop(grace_s=0.5)


def test_an_authenticated_supporter_never_named_is_cut_off(tmp_path: Path) -> None:
    prepared = _prepared(tmp_path, "unidentified")
    gate = SupporterGate(ROSTER, identify_within_s=1.0)
    session, events, pids = _run(prepared, gate, "refused")
    assert "authenticated" in [e.kind for e in events] and "joined" not in [e.kind for e in events]
    assert events[-1].kind == "refused" and events[-1].tv_id is None
    assert not alive_pids(pids) and not prepared.root.exists()


def test_a_stranger_is_cut_off_before_the_password_is_tried(tmp_path: Path) -> None:
    """TeamViewer's brute-force guard names the connecting ID before the password is checked: one not on
    the roster ends QuickSupport there, with every process and the unpacked folder."""
    prepared = _prepared(tmp_path, "stranger")
    session, events, pids = _run(prepared, SupporterGate(ROSTER), "refused")
    kinds = [e.kind for e in events]
    assert "authenticated" not in kinds and "connecting" not in kinds  # the gate's own event is not passed on
    assert (events[-1].kind, events[-1].tv_id, events[-1].name) == ("refused", IMPOSTOR_ID, None)
    assert not alive_pids(pids) and not prepared.root.exists()


def test_unidentified_in_warn_mode_is_reported_not_cut_off(tmp_path: Path) -> None:
    gate = SupporterGate(ROSTER, "warn", identify_within_s=1.0)
    session, events, _ = _run(_prepared(tmp_path, "unidentified"), gate, "unidentified")
    try:
        assert "unidentified" in [e.kind for e in events] and session.pids
    finally:
        session.stop(grace_s=0.5)


def test_file_transfer_scenario(tmp_path: Path) -> None:
    session = QuickSupportSession(_prepared(tmp_path, "files", join_after=0.3), id_timeout_s=30,
                                  gate=SupporterGate(ROSTER))
    session.start()
    try:
        events = poll_until(session, "file_out")
        files = [(e.kind, e.name, e.size) for e in events if e.kind in ("file_in", "file_out")]
        assert ("file_out", "raport-systemu-demo.txt", None) in files
        assert ("file_in", "sterownik-drukarki-demo.zip", round(10.95 * 1024 * 1024)) in files
        assert [e.name for e in events if e.kind == "joined"] == ["Anna Nowak"]
        assert CONSULTANT_NAME not in [e.name for e in events if e.kind == "joined"]
    finally:
        session.stop(grace_s=0.5)
