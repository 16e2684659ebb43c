"""DESIGN.md's `session` event lines, spelled exactly, from the real TeamViewer 15 log (conftest's tv_real_log:
skipped where ../shared is absent): `ID 1 660 388 656`, `ONLINE`, `JOINED <tv id> <name>`, `LEFT`, `ENDED`, read
through the same follower and line maker as `python -m launcher session` (the e2e tests pin them through the
real command with the demo stand-in, whose ID is random)."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from launcher.cli.session import Transfers, event_line
from launcher.core.quicksupport.tvlog import TvEvent, TvLogFollower


def lines_of(events: list[TvEvent]) -> list[str]:
    transfers = Transfers()
    return [line for ev in events if (line := event_line(ev)) and transfers.is_new(ev)]


def test_the_real_log_gives_the_design_lines_in_order(tv_real_log: Path, tmp_path: Path) -> None:
    follower = TvLogFollower([tmp_path], since=time.time())
    shutil.copy(tv_real_log, tmp_path / tv_real_log.name)  # written after the launch: all of it counts
    lines = lines_of(follower.poll())
    last_run = lines[len(lines) - 1 - lines[::-1].index("ID 1 660 388 656"):]  # the file holds two runs
    design = ["ID 1 660 388 656", "JOINED 1660360496 TestAccountRedacted", "LEFT", "ENDED"]
    assert [line for line in last_run if line in design] == design, lines
    assert "ONLINE" in lines and lines.count("ID 1 660 388 656") == 2, lines


def test_a_nine_digit_id_and_a_joined_line_are_spelled_as_design_says() -> None:
    assert event_line(TvEvent("id", None, tv_id="123456789")) == "ID 123 456 789"
    assert event_line(TvEvent("joined", None, tv_id="1660360496", name="Anna Nowak")) == "JOINED 1660360496 Anna Nowak"
    assert [event_line(TvEvent(kind, None)) for kind in ("online", "left", "ended")] == ["ONLINE", "LEFT", "ENDED"]
