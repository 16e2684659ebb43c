"""Is the QuickSupport that actually runs new enough: its log header's version against the manifest's
`min_version`.

The manifest checks `min_version` against the version it lists (launcher/core/manifest.py), but only the
running program can say what it is: every TeamViewer process starts its log with a header naming its build
(`Version:            15.50.5 (64-bit)`, tvlog.HEADER_VERSIONS). `QuickSupportSession.poll()` feeds each
"version" event to `VersionGate.saw()` and asks `overdue()` every poll; a build older than `min_version`
(packaging's version rules, as for `min_launcher`) ends QuickSupport exactly as Rozłącz does, and the
session reports QS-OUTDATED, which offers no "try again": a new attempt would start the same old build.

The rule is `min_version` alone. DESIGN.md calls it "the oldest QuickSupport build allowed to run"; the
artifact's `version` is what the vendor says it mirrored, and DESIGN.md states no rule that the running
build must equal it (the pinned sha256 already ties the bytes to the manifest). A running build that
differs from the listed one is logged, not refused.

Fail closed, as the supporter gate is: where the signed manifest sets a rule (a roster there, a
`min_version` here), what cannot be identified is treated as failing it. A session whose log names no
build by the time QuickSupport's ID is known (plus `grace_s`: another process's header may be flushed a
moment later) is ended as outdated: the ID is what the customer reads aloud, so from then on a consultant
can connect to a build nobody checked. While no ID has come, this gate does not decide: a log that cannot
be read at all names neither, and the session's own `no-id` event (QS-NO-ID, which its owners end the
session on) says what actually went wrong. Warn mode does not apply: `[session] unknown_supporter =
"warn"` is the customer's choice about people, while `min_version` is the vendor's rule about software
with known flaws. Without `min_version` nothing is checked (a missing version is only logged), as without
a roster nobody is cut off.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

from launcher.core.errors import LauncherError

if TYPE_CHECKING:
    from packaging.version import Version

    from launcher.core.manifest import Artifact
    from launcher.core.quicksupport.tvlog import TvEvent

log = logging.getLogger(__name__)

GRACE_AFTER_ID_S = 2.0  # after the ID line, a header naming the build must have been read within this


class VersionVerdict(NamedTuple):
    ok: bool  # False: end QuickSupport now
    version: str | None  # the oldest build the log named (None: none named in time)
    minimum: str  # the manifest's min_version


def _parse(text: str) -> Version | None:
    from packaging.version import InvalidVersion, Version

    try:
        return Version(text)
    except InvalidVersion:
        return None


class VersionGate:
    """Decides once whether the running QuickSupport may go on. `saw(ev)` on every log event, `overdue()`
    on every poll; each returns a VersionVerdict when it decides to refuse, else None. `minimum` "" = no
    rule. `listed` is the manifest's `version` (only compared for the log). `clock` is time.monotonic."""

    def __init__(self, minimum: str, *, listed: str = "", grace_s: float = GRACE_AFTER_ID_S,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.minimum = minimum
        self._min = _parse(minimum) if minimum else None
        if minimum and self._min is None:
            raise ValueError(f"min_version {minimum!r} is not a version")
        self.listed = listed
        self.grace_s = grace_s
        self._clock = clock
        self._due_at: float | None = None  # set when the ID is seen
        self.seen: list[str] = []  # every build a header of our run named, in order
        self._decided = False

    @property
    def has_rule(self) -> bool:
        return self._min is not None

    @property
    def running(self) -> str | None:
        """The oldest build our run's headers named, or None."""
        parsed = [(v, p) for v in self.seen if (p := _parse(v)) is not None]
        return min(parsed, key=lambda vp: vp[1])[0] if parsed else None

    def saw(self, ev: TvEvent) -> VersionVerdict | None:
        if self._decided:
            return None
        if ev.kind == "id":
            # the ID is out: the build must be known now, or within the grace
            if self._due_at is None:
                self._due_at = self._clock() + self.grace_s
            return None
        if ev.kind != "version" or not ev.name:
            return None
        if ev.name not in self.seen:  # into the app log, so the diagnostics report's log tail names the build
            log.info("QuickSupport's log header names build %s (min_version %s)", ev.name, self.minimum or "none")
        self.seen.append(ev.name)
        version = _parse(ev.name)
        if self.listed and ev.name != self.listed and (listed := _parse(self.listed)) is not None \
                and version != listed:
            log.warning("QuickSupport says it is %s, the manifest lists %s", ev.name, self.listed)
        if self._min is None:
            return None
        if version is None or version < self._min:
            self._decided = True
            return VersionVerdict(False, ev.name, self.minimum)
        return None

    def overdue(self) -> VersionVerdict | None:
        """A refusal once no header named the build within `grace_s` of the ID (only with a rule); None
        otherwise, and always None before the ID."""
        if self._decided or self.seen or self._due_at is None or self._clock() < self._due_at:
            return None
        self._decided = True
        if self._min is None:
            log.info("no TeamViewer build found in the log header (no min_version to check)")
            return None
        return VersionVerdict(False, None, self.minimum)


def gate_for(artifact: Artifact) -> VersionGate:
    """The gate for a session started from the manifest's `artifact` (its `min_version` and `version`)."""
    return VersionGate(artifact.min_version, listed=artifact.version)


def outdated_error(ev: TvEvent) -> LauncherError:
    """QS-OUTDATED for an "outdated" session event (QuickSupport is already down when it arrives): its
    `name` is the build the log named (None: none in time), its `verdict` the min_version it failed."""
    minimum = ev.verdict or "?"
    if ev.name:
        return LauncherError("QS-OUTDATED", f"QuickSupport {ev.name} is older than min_version {minimum}; ended")
    return LauncherError("QS-OUTDATED", f"QuickSupport named no version in its log in time (min_version "
                                        f"{minimum}); ended")
