"""Poll anything with a `poll() -> list[TvEvent]` (a session, a log follower) until an event kind shows up."""

from __future__ import annotations

import time


def poll_until(source, kind: str, limit_s: float = 20.0) -> list:
    events: list = []
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline and kind not in [e.kind for e in events]:
        events += source.poll()
        time.sleep(0.05)
    return events
