"""The session rules the window and the `session` command share (launcher.core): what an event means,
when the password is read again, and what a failed connection check is."""

from __future__ import annotations

from datetime import datetime

from launcher.core.connectivity import ProbeResult, check_failure
from launcher.core.quicksupport.session import (
    PASSWORD_RECHECK_S,
    PASSWORD_RETRY_S,
    UNREADABLE_AFTER,
    PasswordReads,
    event_failure,
)
from launcher.core.quicksupport.tvlog import TvEvent


def test_events_that_end_the_session_have_codes_and_the_others_none():
    assert event_failure(TvEvent("exited", datetime.now(), pid=5)).code == "QS-EXITED"
    assert event_failure(TvEvent("no-id", datetime.now())).code == "QS-NO-ID"
    for kind in ("id", "online", "incoming", "authenticated", "joined", "left", "ended"):
        assert event_failure(TvEvent(kind, datetime.now())) is None


def test_password_reads_retry_then_say_once_that_it_cannot_be_read():
    reads = PasswordReads()
    assert reads.due(0.0)
    outcomes = [reads.record(None, now=float(i)) for i in range(UNREADABLE_AFTER + 2)]
    assert [o.unreadable for o in outcomes] == [i == UNREADABLE_AFTER - 1 for i in range(UNREADABLE_AFTER + 2)]
    assert not any(o.new_value for o in outcomes)
    last = float(UNREADABLE_AFTER + 1)
    assert not reads.due(last + PASSWORD_RETRY_S - 0.01) and reads.due(last + PASSWORD_RETRY_S)


def test_a_read_password_is_new_once_and_rechecked_less_often():
    reads = PasswordReads()
    first = reads.record("ab12cd", now=10.0)
    assert first.new_value and not first.unreadable and reads.value == "ab12cd"
    assert not reads.due(10.0 + PASSWORD_RECHECK_S - 0.01) and reads.due(10.0 + PASSWORD_RECHECK_S)
    assert not reads.record("ab12cd", now=20.0).new_value  # the same one again
    failed_later = reads.record(None, now=30.0)  # a failed read after success changes nothing
    assert not failed_later.new_value and not failed_later.unreadable and reads.value == "ab12cd"
    assert reads.record("zz99yy", now=40.0).new_value  # QuickSupport showed a new one


def _result(key: str, ok: bool, code: str | None, kind: str = "https") -> ProbeResult:
    return ProbeResult(key=key, kind=kind, ok=ok, detail=f"{key} detail", code=code, elapsed_s=0.1)


def test_check_failure_has_the_overall_code_and_each_failed_probe():
    assert check_failure([_result("dns", True, None, "dns"), _result("download", True, None)]) is None
    failure = check_failure([_result("dns", True, None, "dns"), _result("download", False, "NET-HTTPS"),
                             _result("teamviewer", False, "NET-TV-BLOCKED", "tcp")])
    assert failure.code in ("NET-HTTPS", "NET-TV-BLOCKED")
    assert failure.detail == "download: download detail; teamviewer: teamviewer detail"


def _calls(relative: str) -> set[str]:
    import ast
    from pathlib import Path

    tree = ast.parse((Path(__file__).resolve().parents[2] / relative).read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            names.add(func.id if isinstance(func, ast.Name) else getattr(func, "attr", ""))
    return names


def test_the_window_and_the_session_command_start_and_judge_sessions_through_the_same_core_code():
    """One flow, two faces: whatever starting a session involves (unpacking, the roster, ...) and how the
    password is re-read is decided in launcher.core, so the command line can never skip a step the window
    takes. Neither face builds a QuickSupportSession or prepares the artifact itself."""
    for face in ("launcher/ui/session_worker.py", "launcher/cli/session.py"):
        calls = _calls(face)
        assert {"start_session", "PasswordReads"} <= calls, face
        assert not {"QuickSupportSession", "prepare"} & calls, face
    controller = _calls("launcher/ui/controller.py")
    assert "event_failure" in controller and "event_failure" in _calls("launcher/cli/session.py")
    assert "check_failure" in controller and "check_failure" in _calls("launcher/cli/check.py")


def test_the_session_command_prints_one_plain_line_per_event():
    from launcher.cli.session import event_line

    now = datetime.now()
    assert event_line(TvEvent("id", now, tv_id="1660388656")) == "ID 1 660 388 656"
    assert event_line(TvEvent("id", now, tv_id="123456789")) == "ID 123 456 789"
    assert event_line(TvEvent("id", now)) is None
    assert event_line(TvEvent("joined", now, tv_id="1660360496", name="Łukasz Żółć")) == "JOINED 1660360496 Łukasz Żółć"
    assert event_line(TvEvent("joined", now, name="Anna")) == "JOINED ? Anna"
    for kind in ("online", "incoming", "authenticated", "left", "ended"):
        assert event_line(TvEvent(kind, now)) == kind.upper()
    assert event_line(TvEvent("online", now, name="router1.teamviewer.com")) == "ONLINE"  # just the word
    # a kind this command does not know yet still gets its line, with whom it concerns
    assert event_line(TvEvent("refused", now, tv_id="999888777", name="X")) == "REFUSED 999888777 X"


def test_a_supporter_kept_in_warn_mode_gets_an_unknown_line_after_joined():
    from launcher.cli.session import roster_warning_line
    from launcher.core.quicksupport.supporter_gate import UNKNOWN, UNVERIFIED, VERIFIED

    now = datetime.now()
    assert roster_warning_line(TvEvent("joined", now, tv_id="999888777", name="Jan K", verdict=UNKNOWN), "warn") == \
        "UNKNOWN 999888777 Jan K"
    assert roster_warning_line(TvEvent("joined", now, name="Jan", verdict=UNKNOWN), "warn") == "UNKNOWN ? Jan"
    for verdict in (VERIFIED, UNVERIFIED, None):  # on the roster, or no roster to check against
        joined = TvEvent("joined", now, tv_id="1660360496", name="Anna", verdict=verdict)
        assert roster_warning_line(joined, "warn") is None
    assert roster_warning_line(TvEvent("refused", now, tv_id="999888777", verdict=UNKNOWN), "warn") is None


def test_a_supporter_cut_off_in_disconnect_mode_gets_no_line_saying_they_were_kept():
    from launcher.cli.session import roster_warning_line
    from launcher.core.quicksupport.supporter_gate import UNKNOWN

    joined = TvEvent("joined", datetime.now(), tv_id="999888777", name="Jan K", verdict=UNKNOWN)
    assert roster_warning_line(joined, "disconnect") is None


def _ending(written: bytes, close: bool, *, ctrl_z_ends: bool = False) -> str:
    import os
    import threading

    from launcher.cli.session import StopRequest, _read_input

    stop = StopRequest()
    read_end, write_end = os.pipe()
    reader = threading.Thread(target=_read_input, args=(stop, read_end), kwargs={"ctrl_z_ends": ctrl_z_ends},
                              daemon=True)
    reader.start()
    os.write(write_end, written)
    if close:
        os.close(write_end)
    stop.wait(10)
    if not close:
        os.close(write_end)
    reader.join(10)
    os.close(read_end)
    return stop.reason


def test_q_in_any_form_ends_the_session_and_other_lines_do_not():
    for line in (b"q\n", b"Q\n", b"  q \r\n", b"quit\n", b"hello\nq\n", b"h\x00\xff\nq\n"):
        assert _ending(line, close=False) == "q", line
    assert _ending(b"hello\nwait\n", close=True) == "eof"  # only the end of input ended it
    assert _ending(b"", close=True) == "eof"
    assert _ending(b"q", close=True) == "eof"  # a q without its Enter is not a line yet


def test_ctrl_z_enter_at_a_windows_console_is_the_end_of_input():
    """A Windows console types the end of input as Ctrl+Z, Enter; a raw read gets b"\\x1a\\r\\n" (measured under
    Wine's console: tests/e2e/test_windows_console_wine.py)."""
    for line in (b"\x1a\r\n", b"\x1a\n", b" \x1a\r\n", b"hello\r\n\x1a\r\n"):
        assert _ending(line, close=False, ctrl_z_ends=True) == "eof", line
    assert _ending(b"\x1a\r\nq\r\n", close=False, ctrl_z_ends=True) == "eof"  # the first one typed wins
    assert _ending(b"q\r\n\x1a\r\n", close=False, ctrl_z_ends=True) == "q"
    assert _ending(b"a\x1a\r\nq\r\n", close=False, ctrl_z_ends=True) == "q"  # not at a line's start
    assert _ending(b"\x1a\n", close=True, ctrl_z_ends=False) == "eof"  # POSIX: a byte like any other, then the close
    assert _ending(b"\x1a\nq\n", close=False, ctrl_z_ends=False) == "q"


def test_ctrl_z_is_the_end_of_input_on_windows_only():
    import inspect
    import sys

    from launcher.cli.session import _read_input

    default = inspect.signature(_read_input).parameters["ctrl_z_ends"].default
    assert default is (sys.platform == "win32")


def test_an_unreadable_password_is_retried_until_a_deadline_then_no_more():
    from launcher.core.quicksupport.password_status import PasswordStatus
    from launcher.core.quicksupport.session import PASSWORD_TRY_FOR_S

    reads = PasswordReads()
    first = reads.record(None, now=0.0)
    assert first.status is PasswordStatus.UNREADABLE and first.try_until is not None and first.status_changed
    assert not reads.record(None, now=PASSWORD_RETRY_S).status_changed  # the same sentence: said once
    last = reads.record(None, now=PASSWORD_TRY_FOR_S)
    assert last.status is PasswordStatus.GAVE_UP and last.status_changed and last.try_until is None
    assert not reads.due(PASSWORD_TRY_FOR_S + 3600)  # never again: no endless retries


def test_what_the_field_shows_is_the_status_and_a_read_password_stays():
    from launcher.core.quicksupport.password_status import PasswordStatus

    reads = PasswordReads()
    assert reads.record(None, now=0.0, status=PasswordStatus.NOT_READY).status is PasswordStatus.NOT_READY
    fixed = reads.record(None, now=1.0, status=PasswordStatus.FIXED)
    assert fixed.status is PasswordStatus.FIXED and not fixed.unreadable
    assert not reads.due(1.0 + PASSWORD_RECHECK_S - 0.01)  # a fixed password is a policy: checked rarely
    assert reads.record("ab12cd", now=10.0).status is PasswordStatus.READ
    again = reads.record(None, now=20.0, status=PasswordStatus.UNREADABLE)
    assert again.status is PasswordStatus.READ and not again.status_changed


def test_one_received_file_is_one_file_in_line_though_teamviewer_words_it_twice():
    from launcher.cli.session import Transfers

    now = datetime.now()
    transfers = Transfers()
    started = TvEvent("file_in", now, name="sterownik.zip", folder="C:\\Users\\Jan\\Pobrane")
    done = TvEvent("file_in", now, name="sterownik.zip", folder="C:\\Users\\Jan\\Pobrane", size=11_481_907)
    assert transfers.is_new(started) and not transfers.is_new(done)
    # the same name sent again, with another size, is another file; one taken away is its own line
    assert transfers.is_new(TvEvent("file_in", now, name="sterownik.zip", folder="C:\\Users\\Jan\\Pobrane",
                                    size=20))
    assert transfers.is_new(TvEvent("file_out", now, name="raport.txt", folder="C:\\Users\\Jan"))
    assert transfers.is_new(TvEvent("joined", now, tv_id="1660360496", name="Anna"))


def test_the_retry_deadline_shown_is_fixed_once_whatever_the_wall_clock_does(monkeypatch):
    """The sentence "we keep trying until HH:MM" is said once: a later read (here with the wall clock
    stepping across a minute boundary in between) neither changes the deadline nor says it again."""
    import itertools

    from launcher.core.quicksupport import session as qs_session

    wall = itertools.chain([1_000_029.9, 1_000_030.6], itertools.repeat(1_000_095.0))
    monkeypatch.setattr(qs_session.time, "time", lambda: next(wall))
    reads = PasswordReads()
    first = reads.record(None, now=0.0)
    second = reads.record(None, now=PASSWORD_RETRY_S)
    third = reads.record(None, now=2 * PASSWORD_RETRY_S)
    assert first.status_changed and not second.status_changed and not third.status_changed
    assert first.try_until == second.try_until == third.try_until


def test_a_refused_supporter_is_told_even_when_quicksupport_cannot_be_ended(tmp_path, monkeypatch):
    """The roster refuses a supporter and the stop that should cut them off fails (QS-KILL: a process of
    QuickSupport's may not be ended): the failure carries the poll's join and the refusal, which the window
    and the receipt record before the failure. They were lost: only QS-KILL was told."""
    import pytest

    from launcher.core.errors import LauncherError
    from launcher.core.manifest import Consultant
    from launcher.core.quicksupport.launch import Prepared, child_env
    from launcher.core.quicksupport.session import EndFailed, QuickSupportSession
    from launcher.core.quicksupport.supporter_gate import SupporterGate

    prepared = Prepared(argv=["unused"], cwd=tmp_path, root=tmp_path, log_dirs=[tmp_path], env=child_env())
    session = QuickSupportSession(prepared, gate=SupporterGate([Consultant("1660360496", "Anna Nowak")]))

    def survives(grace_s: float = 1.0) -> None:
        raise LauncherError("QS-KILL", "still running: [4242]")

    monkeypatch.setattr(session, "stop", survives)
    joined = TvEvent("joined", datetime.now(), tv_id="1555000111", name="Pomoc Techniczna")
    with pytest.raises(EndFailed) as err:
        session._apply_gate([TvEvent("online", datetime.now()), joined])
    assert err.value.code == "QS-KILL" and "4242" in err.value.detail
    assert [(e.kind, e.tv_id) for e in err.value.events] == [("online", None), ("joined", "1555000111"),
                                                              ("refused", "1555000111")]
