"""Who may stay connected: the supporter's TeamViewer ID against the vendor's signed roster.

Used by `QuickSupportSession.poll()` (so the window and the headless `session` command behave the same):
a supporter not on the roster is cut off at once, in the same poll that saw the join line, unless the
config says `[session] unknown_supporter = "warn"`. Without a roster (the manifest has no `consultants`)
nobody is cut off and the name is shown as unverified.

Fail closed: TeamViewer builds word a join differently. With a roster, an incoming session whose
password authentication succeeded but whose supporter no known wording has identified within
`identify_within_s` is treated as an unknown supporter.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import NamedTuple

from launcher.core.manifest import Consultant

MODES = ("disconnect", "warn")
IDENTIFY_WITHIN_S = 5.0  # after "authentication ... successful", a supporter must be named within this

VERIFIED = "verified"  # on the roster
UNVERIFIED = "unverified"  # there is no roster to check against
UNKNOWN = "unknown"  # a roster exists and this supporter is not on it (or could not be identified)


class Verdict(NamedTuple):
    status: str  # VERIFIED | UNVERIFIED | UNKNOWN
    tv_id: str | None  # the supporter's TeamViewer ID (None: not identified in time)
    name: str | None  # the roster's name when verified, else the name the supporter gave TeamViewer
    disconnect: bool  # end QuickSupport now


class SupporterGate:
    """Decides on each supporter. `check_join()` on every "joined" event, `saw()` on every event,
    `overdue()` on every poll. `roster` None = no roster. `clock` is time.monotonic (seconds)."""

    def __init__(
        self,
        roster: Sequence[Consultant] | None,
        mode: str = "disconnect",
        *,
        identify_within_s: float = IDENTIFY_WITHIN_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if mode not in MODES:
            raise ValueError(f"unknown_supporter must be one of {MODES}, not {mode!r}")
        self.roster = {c.tv_id: c for c in roster} if roster is not None else None
        self.mode = mode
        self.identify_within_s = identify_within_s
        self._clock = clock
        self._authenticated_at: float | None = None

    @property
    def has_roster(self) -> bool:
        return self.roster is not None

    def saw(self, kind: str) -> None:
        """Track the session's phases: an authenticated session starts the identification clock."""
        if kind == "authenticated":
            if self._authenticated_at is None:
                self._authenticated_at = self._clock()
        elif kind in ("joined", "left", "ended"):
            self._authenticated_at = None

    def check_join(self, tv_id: str | None, log_name: str | None) -> Verdict:
        self._authenticated_at = None
        if self.roster is None:
            return Verdict(UNVERIFIED, tv_id, log_name, disconnect=False)
        consultant = self.roster.get(tv_id or "")
        if consultant is not None:
            return Verdict(VERIFIED, tv_id, consultant.name, disconnect=False)
        return Verdict(UNKNOWN, tv_id, log_name, disconnect=self.mode == "disconnect")

    def overdue(self) -> Verdict | None:
        """An UNKNOWN verdict once an authenticated supporter has stayed unnamed too long (with a roster)."""
        if self.roster is None or self._authenticated_at is None:
            return None
        if self._clock() - self._authenticated_at < self.identify_within_s:
            return None
        self._authenticated_at = None
        return Verdict(UNKNOWN, None, None, disconnect=self.mode == "disconnect")
