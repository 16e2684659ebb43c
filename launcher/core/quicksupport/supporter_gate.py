"""Who may stay connected: the supporter's TeamViewer ID against the vendor's signed roster.

Used by `QuickSupportSession.poll()` (so the window and the headless `session` command behave the same):
a supporter not on the roster is cut off at once, in the same poll that saw the join line, unless the
config says `[session] unknown_supporter = "warn"`. Without a roster (the manifest has no `consultants`)
nobody is cut off and the name is shown as unverified.

Fail closed: TeamViewer builds word a join differently. With a roster, while no roster consultant is
connected, a connection that no known join wording has named within `identify_within_s` of its password being
accepted or its first action (remote control, a file transfer) is treated as an unknown supporter; neither a
leave nor an end excuses it then: the end may be another connection's (two can authenticate one after the
other), and the log does not say whose. A connection still being made (an incoming session, the guard's line)
starts no clock: the consultant is typing the password the customer reads out over the phone, which takes
longer (15 s in the real 15.50 log; the clock started there cut every roster consultant off). Before
any of that, the ID TeamViewer's brute-force guard names for a connection being made (`AuthenticationBlocker
::Allocate ... DyngateID <id>`, before the password is checked) is checked against the roster too: a
stranger is cut off before the password is even tried.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, NamedTuple

from launcher.core.errors import LauncherError
from launcher.core.quicksupport.tvactivity import ACTIVITY_KINDS
from launcher.core.quicksupport.tvlog import TvEvent

if TYPE_CHECKING:  # the manifest module brings the network stack: not at start-up (the controller imports this)
    from launcher.core.manifest import Consultant, Manifest

MODES = ("disconnect", "warn")
IDENTIFY_WITHIN_S = 5.0  # a connection must be named by a join within this of its first sign

VERIFIED = "verified"  # on the roster
UNVERIFIED = "unverified"  # there is no roster to check against
UNKNOWN = "unknown"  # a roster exists and this supporter is not on it (or could not be identified)


class Verdict(NamedTuple):
    status: str  # VERIFIED | UNVERIFIED | UNKNOWN
    tv_id: str | None  # the supporter's TeamViewer ID (None: not identified in time)
    name: str | None  # the roster's name when verified, else the name the supporter gave TeamViewer
    disconnect: bool  # end QuickSupport now


class SupporterGate:
    """Decides on each supporter. `check_partner()` on every "connecting" event, `check_join()` on every
    "joined" event, `saw()` on every event, `overdue()` on every poll. `roster` None = no roster. `clock` is
    time.monotonic (seconds)."""

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
        self._unnamed_since: float | None = None  # a password accepted or an action no join has named yet
        self._present: set[str] = set()  # roster consultants joined and not gone

    @property
    def has_roster(self) -> bool:
        return self.roster is not None

    def saw(self, kind: str, tv_id: str | None = None) -> None:
        """Track the connection's phases (`kind` a TvEvent kind, `tv_id` its TeamViewer ID): a password accepted
        or an action starts the identification clock, which only a join stops."""
        if kind in ("authenticated", *ACTIVITY_KINDS):
            if self._present:
                # a roster consultant is connected: these are theirs (TeamViewer's processes each log some
                # of them, before and after the join, whose second wording is not a second join). Another
                # connection meanwhile is checked at the guard's line (check_partner) and at its join.
                return
            if self._unnamed_since is None:
                self._unnamed_since = self._clock()
        elif kind == "left":
            self._present.discard(tv_id or "")
        elif kind == "ended":
            self._present.clear()

    def check_partner(self, tv_id: str | None) -> Verdict | None:
        """A connection being made from `tv_id`, before its password is checked: an UNKNOWN verdict when a
        roster exists and does not hold it, else None (whoever it is must still be named by a join)."""
        if self.roster is None or (tv_id and tv_id in self.roster):
            return None
        return Verdict(UNKNOWN, tv_id, None, disconnect=self.mode == "disconnect")

    def check_join(self, tv_id: str | None, log_name: str | None, *, confirmed: bool = True) -> Verdict:
        """The verdict on a supporter who joined: VERIFIED only for a roster ID TeamViewer surely wrote
        (`confirmed`; see TvEvent.unconfirmed), UNKNOWN for any other where a roster exists, else UNVERIFIED."""
        self._unnamed_since = None
        if self.roster is None:
            return Verdict(UNVERIFIED, tv_id, log_name, disconnect=False)
        consultant = self.roster.get(tv_id or "") if confirmed else None
        if consultant is not None:
            self._present.add(consultant.tv_id)
            return Verdict(VERIFIED, tv_id, consultant.name, disconnect=False)
        return Verdict(UNKNOWN, tv_id, log_name, disconnect=self.mode == "disconnect")

    def screen(self, events: Sequence[TvEvent]) -> tuple[list[TvEvent], Verdict | None]:
        """One poll's events through the gate, in order: each join gets its verdict (and the roster's name),
        the "connecting" events stay here, and in warn mode an overdue connection adds an "unidentified"
        event. Returns (the events to pass on, None), or at the first supporter to cut off (the events
        before it with that join, its Verdict)."""
        checked: list[TvEvent] = []
        for ev in events:
            if ev.kind == "connecting":  # the gate's alone: the window and `session` show "incoming"
                early = self.check_partner(ev.tv_id)
                if early is not None and early.disconnect:
                    return checked, early
                continue
            self.saw(ev.kind, ev.tv_id)
            if ev.kind == "joined":
                verdict = self.check_join(ev.tv_id, ev.name, confirmed=not ev.unconfirmed)
                checked.append(replace(ev, name=verdict.name, verdict=verdict.status))
                if verdict.disconnect:
                    return checked, verdict
            else:
                checked.append(ev)
        late = self.overdue()
        if late is not None:
            if late.disconnect:
                return checked, late
            checked.append(TvEvent("unidentified", datetime.now(), verdict=UNKNOWN))
        return checked, None

    def overdue(self) -> Verdict | None:
        """An UNKNOWN verdict once a connection has stayed unnamed too long (with a roster)."""
        if self.roster is None or self._unnamed_since is None:
            return None
        if self._clock() - self._unnamed_since < self.identify_within_s:
            return None
        self._unnamed_since = None
        return Verdict(UNKNOWN, None, None, disconnect=self.mode == "disconnect")


def gate_for(manifest: Manifest, unknown_supporter: str = "disconnect") -> SupporterGate:
    """The gate for a session started from `manifest` (its signed roster, or none) under config
    `[session] unknown_supporter`: what the window's session worker and the headless `session` command use."""
    return SupporterGate(manifest.consultants, unknown_supporter)


def refusal_error(ev: TvEvent) -> LauncherError:
    """SEC-UNKNOWN-SUPPORTER for a "refused" session event (QuickSupport is already down when it arrives)."""
    if ev.tv_id:
        who = f"{ev.tv_id} ({ev.name})" if ev.name else f"{ev.tv_id} (connecting, before its password was checked)"
    else:
        who = "a supporter no known log wording identified in time"
    return LauncherError("SEC-UNKNOWN-SUPPORTER", f"{who} is not on the roster; QuickSupport was ended")
