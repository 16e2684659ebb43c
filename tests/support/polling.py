"""Polling helpers for tests: event sources (`poll() -> list[TvEvent]`) and plain predicates."""

from __future__ import annotations

import time


def poll_until(source, kind: str, limit_s: float = 20.0) -> list:
    """`source.poll()`'s events, gathered until one of `kind` is among them or `limit_s` has passed."""
    events: list = []
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline and kind not in [e.kind for e in events]:
        events += source.poll()
        time.sleep(0.05)
    return events


def wait_until(predicate, limit_s: float = 10.0) -> bool:
    """True as soon as `predicate()` is; after `limit_s` its last answer."""
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()
