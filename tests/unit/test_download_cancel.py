"""launcher.core.cancel.Cancel: an Event whose set() also interrupts what the cancelled work registered, and
which removes the partial files that work still holds (the loopback download cases are in
tests/faults/test_abandoned_download.py)."""

from __future__ import annotations

import threading
from pathlib import Path

from launcher.core.cancel import Cancel, end_at_exit, holding, interrupting
from launcher.core.daemon import on_daemon_thread


def test_set_interrupts_what_is_registered_now_and_nothing_after_its_block() -> None:
    cancel, calls = Cancel(), []
    with cancel.interrupting(lambda: calls.append("first")):
        with cancel.interrupting(lambda: calls.append("inner")):
            pass
        cancel.set()
    cancel.set()  # a second set: the block is left, nothing is called again
    assert calls == ["first"] and cancel.is_set() and cancel.wait(0)


def test_entering_after_the_cancel_interrupts_at_once() -> None:
    cancel, calls = Cancel(), []
    cancel.set()
    with cancel.interrupting(lambda: calls.append("now")):
        assert calls == ["now"]
    assert calls == ["now"]


def test_an_interrupter_that_fails_does_not_stop_the_cancel_or_the_others() -> None:
    cancel, calls = Cancel(), []

    def gone() -> None:
        raise OSError(107, "Transport endpoint is not connected")

    with cancel.interrupting(gone), cancel.interrupting(lambda: calls.append("second")):
        cancel.set()
    assert cancel.is_set() and calls == ["second"]


def test_a_plain_event_or_none_is_looked_at_between_steps_only(tmp_path: Path) -> None:
    calls: list[str] = []
    for flag in (threading.Event(), None):
        with open(tmp_path / "x.part", "wb") as fh, interrupting(flag, lambda: calls.append("never")), \
                holding(flag, tmp_path / "x.part", fh):
            if flag is not None:
                flag.set()
    assert calls == []
    assert (tmp_path / "x.part").exists()  # nobody else removes a file only the work itself knows of


def test_remove_partials_closes_then_removes_only_what_is_still_held(tmp_path: Path) -> None:
    cancel = Cancel()
    held, finished = tmp_path / ".a.part", tmp_path / ".b.part"
    with open(held, "wb") as fh_held, open(finished, "wb") as fh_finished:
        with cancel.holding(finished, fh_finished):
            fh_finished.write(b"renamed into place by now")
        still_inside = cancel.holding(held, fh_held)  # the work has not left this block (its server holds it)
        still_inside.__enter__()
        fh_held.write(b"half")
        assert cancel.remove_partials() == [held]
        assert fh_held.closed and not held.exists()
        assert finished.exists() and not fh_finished.closed
        assert cancel.remove_partials() == []  # each is removed once
        still_inside.__exit__(None, None, None)


def test_end_at_exit_waits_for_work_that_ends_and_removes_nothing_of_it(tmp_path: Path) -> None:
    cancel, part = Cancel(), tmp_path / ".c.part"

    def work() -> str:  # ends as soon as it is cancelled, removing its own file as a download does
        with open(part, "wb") as fh, cancel.holding(part, fh):
            cancel.wait()
        part.unlink()
        return "ended"

    future = on_daemon_thread(work, "work")
    assert end_at_exit([(cancel, future)], wait_s=60) == []
    assert future.result(timeout=0) == "ended" and not part.exists()
