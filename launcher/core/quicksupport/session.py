"""One running QuickSupport: start it, follow its log and processes, read its password, end it for good.

No Qt here: the UI's session worker and the `session` command both call `start_session()`, then `poll()`
about every 100 ms from one thread, read the password on the cadence `PasswordReads` keeps, turn events
into failures with `event_failure()`, and end with `stop()`.
"""

from __future__ import annotations

import contextlib
import logging
import os
import time
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

import psutil

from launcher import APP_ID
from launcher.core.crash_dumps import keep_out_of_crash_dumps
from launcher.core.errors import LauncherError
from launcher.core.fsutil import free_bytes
from launcher.core.owned_folders import OwnedFolder
from launcher.core.quicksupport.launch import TEMP_UNPACK_BYTES, Prepared, ensure_private_temp
from launcher.core.quicksupport.password_status import PasswordStatus
from launcher.core.quicksupport.process import (
    ProcessTree,
    Spawned,
    Watchdog,
    of_another_sign_in,
    process_name,
    spawn,
)
from launcher.core.quicksupport.supporter_gate import UNKNOWN, SupporterGate, Verdict
from launcher.core.quicksupport.tvlog import TvEvent, TvLogFollower, candidate_log_dirs
from launcher.core.quicksupport.version_gate import VersionGate, VersionVerdict
from launcher.core.quicksupport.version_gate import gate_for as version_gate_for

if TYPE_CHECKING:
    from launcher.config import QuickSupportConfig
    from launcher.core.fetch import VerifiedArtifact
    from launcher.core.quicksupport.credentials import PasswordReading

log = logging.getLogger(__name__)

# Process names of a TeamViewer that would clash with ours (the installed service/daemon is fine).
TEAMVIEWER_NAMES = {"teamviewer", "teamviewerqs", "teamviewer_desktop", "teamviewer.exe", "teamviewerqs.exe",
                    "teamviewer_desktop.exe"}
# TeamViewer's windowless helpers, which an installed TeamViewer's service keeps running in every signed-in
# session: no clash (the customer could not close them, and a QuickSupport that left them running left its
# TeamViewer.exe too, which is found by its name)
TEAMVIEWER_HELPERS = {"tv_w32.exe", "tv_x64.exe"}
EXIT_CHECK_S = 0.5  # also how often the free space where QuickSupport writes is checked
# Under this much room TeamViewer's log may stop growing any moment, and a join it cannot write down is a join
# the launcher cannot see (nor check against the roster): the session is ended instead (QS-DISK-FULL).
MIN_FREE_BYTES = 256 * 1024
POLL_S = 0.1  # how often the owner calls poll()
POLL_UNTIL_ID_S = 0.02  # ... until the ID is known: the customer is waiting for it, the log is still short
PASSWORD_RETRY_S = 1.5  # until the password has been read
PASSWORD_RECHECK_S = 5.0  # afterwards: QuickSupport may show a new one
UNREADABLE_AFTER = 3  # failed reads before QuickSupport's own window is brought forward, once
PASSWORD_TRY_FOR_S = 120.0  # how long an unreadable password is retried before the launcher stops trying


class EndFailed(LauncherError):
    """QuickSupport could not be ended after a poll's events decided it must be (a supporter refused, a build
    too old, a full disk): the stop's failure (QS-KILL), with `events`, those of the poll up to and including
    the one that ended it, to be told before the failure."""

    def __init__(self, failure: LauncherError, events: list[TvEvent]) -> None:
        super().__init__(failure.code, failure.detail, url=failure.url)
        self.events = events


def running_teamviewers(exclude: Sequence[int] = ()) -> list[psutil.Process]:
    """QuickSupport or TeamViewer GUI processes of this signed-in user running now that are not ours: by their
    process name, or by the mark every QuickSupport a launcher of our family starts carries in its environment
    (launch.MARK_VAR: the --demo stand-in, whose process is Python, and anything the real one starts).
    `proc.info["name"]` says what each one is."""
    from launcher.core.quicksupport.launch import MARK_VAR, launcher_scope

    skip = set(exclude) | {os.getpid()}
    scope = launcher_scope()
    found = []
    for proc in psutil.process_iter():
        if proc.pid in skip:
            continue
        proc.info = {"name": process_name(proc)}
        name = proc.info["name"].lower()
        teamviewer = name in TEAMVIEWER_NAMES or name.startswith("teamviewerqs")
        marked = not teamviewer and name.startswith(MARKED_NAMES) and _marked(proc, MARK_VAR, scope)
        # another user's TeamViewer (fast user switching, a terminal server) is no clash: its window is not on
        # this customer's screen, nor can they close it
        if (teamviewer or marked) and not _is_zombie(proc) and not of_another_sign_in(proc):
            if not teamviewer:
                proc.info["name"] = f"{proc.info['name'] or '?'} (QuickSupport started by Pomoc Zdalna)"
            found.append(proc)
    return found


# What a QuickSupport of ours without TeamViewer's name runs as: the --demo stand-in (a Python, or this program
# frozen). Only these have their environment read: on Windows that reads each process's memory, and a customer's
# machine runs hundreds of processes while waiting for the ID.
MARKED_NAMES = ("python", APP_ID.lower())


def _marked(proc: psutil.Process, variable: str, scope: str) -> bool:
    """True when `proc`'s environment carries `variable` = `scope` (unreadable, e.g. another user's: False;
    a TeamViewer among those is still found by its name)."""
    try:
        return proc.environ().get(variable) == scope
    except (psutil.Error, OSError):
        return False


def _is_zombie(proc: psutil.Process) -> bool:
    """An ended process its parent has not reaped yet: it runs nothing and clashes with nothing."""
    try:
        return proc.status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True
    except (psutil.Error, OSError):  # status unreadable (Wine): count it as running
        return False


class QuickSupportSession:
    """`gate` checks each joining supporter against the roster; one that must not stay is cut off inside
    `poll()`: QuickSupport is stopped exactly as `stop()` (Rozłącz) does, and poll returns a "refused" event
    after the "joined" one (verdict "unknown"). In warn mode the join passes with verdict "unknown"; a
    supporter not identified in time gives "unidentified". Without a gate every join passes unchecked.

    `version_gate` checks the build the log header names against the manifest's `min_version`: one too old,
    or none named within moments of the ID, is ended the same way inside `poll()`, which then returns an
    "outdated" event (name: the build, verdict: the minimum) and nothing after it. "version" events stay
    inside the session (`qs_version` holds the oldest build named)."""

    def __init__(
        self,
        prepared: Prepared,
        *,
        extra_log_dirs: Sequence[str] = (),
        id_timeout_s: float = 60,
        gate: SupporterGate | None = None,
        version_gate: VersionGate | None = None,
    ) -> None:
        self.prepared = prepared
        self.gate = gate
        self.version_gate = version_gate
        self.id_timeout_s = id_timeout_s
        dirs = [*prepared.log_dirs, *candidate_log_dirs(None, extra_log_dirs)]
        self.log_dirs = list(dict.fromkeys(dirs))
        self.watch_dirs = list(prepared.watch_dirs) or [prepared.root]
        self.tv_id: str | None = None
        self.online = False
        self.supporter: str | None = None
        self.supporter_id: str | None = None
        self._proc: Spawned | None = None
        self._tree: ProcessTree | None = None
        self._follower: TvLogFollower | None = None
        self._started_mono = 0.0
        self._next_exit_check = 0.0
        self._exited = False
        self._no_id_sent = False
        self._stopped = False

    # ------------------------------------------------------------ start
    def start(self, watchdog: Watchdog | None = None) -> None:
        """Start QuickSupport under `watchdog` (one `Watchdog.launch()`ed ahead) or a new one. Raises
        LauncherError: QS-ALREADY (another TeamViewer, or a QuickSupport another launcher started, runs),
        QS-DISK-FULL (no room where it writes), QS-TEMP (Windows: its own temporary folder, where it unpacks
        itself, cannot be made, or its drive has too little room), QS-START (it could not be started)."""
        keep_out_of_crash_dumps()  # from here on this process may hold the password
        others = running_teamviewers()
        if others:
            self._remove_root()
            names = ", ".join(sorted({p.info["name"] for p in others}))
            raise LauncherError("QS-ALREADY", f"already running: {names}")
        full = self.full_folder()
        if full is not None:  # it would be ended at the first look: never started at all
            self._remove_root()
            raise LauncherError("QS-DISK-FULL", f"no room left on the disk of {full}")
        if self.prepared.temp_dir is not None:  # Windows: TMP and TEMP in its environment name it
            try:
                ensure_private_temp(self.prepared.temp_dir, self.temp_room_needed())
            except LauncherError:
                self._remove_root()
                raise
        since = time.time()
        # before the spawn: existing log files are measured now, so earlier runs never count
        self._follower = TvLogFollower(self.log_dirs, since=since)
        try:
            self._proc = spawn(self.prepared.argv, cwd=self.prepared.cwd, env=self.prepared.env,
                               watch_dirs=self.watch_dirs, watchdog=watchdog or True)
        except OSError as exc:
            self._remove_root()
            raise LauncherError("QS-START", f"{self.prepared.argv[0]}: {exc}") from exc
        self._tree = ProcessTree([self._proc.pid], self.watch_dirs, since=since - 1.0,
                                 job=getattr(self._proc, "job_handle", None))
        self._started_mono = time.monotonic()
        log.info("QuickSupport started, pid %s", self._proc.pid)
        earlier = self._started_earlier()
        if earlier:  # another launcher started one between our look and our start: the later one gives way
            names = ", ".join(sorted({p.info["name"] for p in earlier}))
            log.warning("another QuickSupport started at the same moment (%s): ending ours", names)
            self.stop()
            raise LauncherError("QS-ALREADY", f"started at the same moment: {names}")

    def temp_room_needed(self) -> int:
        """Bytes QuickSupport's own temporary folder's drive must have free before it starts: its copy of itself
        there (the artifact's size; TEMP_UNPACK_BYTES where that is not known), then MIN_FREE_BYTES, under which
        the session would be ended at the first look (`full_folder`: that folder is inside its own, and its log
        may be in there)."""
        unpack = self.prepared.unpack_bytes
        return (TEMP_UNPACK_BYTES if unpack is None else unpack) + MIN_FREE_BYTES

    def _started_earlier(self) -> list[psutil.Process]:
        """TeamViewers and other launchers' QuickSupports that started before ours (the same moment: the lower
        pid is the earlier), so that of two launchers starting at once exactly one goes on."""
        assert self._proc is not None
        try:
            ours = (psutil.Process(self._proc.pid).create_time(), self._proc.pid)
        except psutil.Error:
            return []  # ours is gone already: poll() says so
        earlier = []
        for proc in running_teamviewers(exclude=[self._proc.pid]):  # its own tree starts after it
            try:
                if (proc.create_time(), proc.pid) < ours:
                    earlier.append(proc)
            except psutil.Error:
                continue
        return earlier

    # ------------------------------------------------------------ watch
    def poll(self) -> list[TvEvent]:
        if self._follower is None or self._stopped:
            return []
        events = self._follower.poll()
        if self.version_gate is not None:
            events = self._apply_version_gate(events)
            if self._stopped:
                return events  # too old (or unnamed): QuickSupport is already down
        else:
            events = [ev for ev in events if ev.kind != "version"]
        if self.gate is not None:
            events = self._apply_gate(events)
            if self._stopped:
                return events  # a supporter was refused: QuickSupport is already down
        else:
            events = [ev for ev in events if ev.kind != "connecting"]
        for ev in events:
            if ev.kind == "id":
                self.tv_id = ev.tv_id
            elif ev.kind == "online":
                self.online = True
            elif ev.kind == "joined":
                self.supporter, self.supporter_id = ev.name, ev.tv_id
            elif ev.kind in ("left", "ended"):
                self.supporter = self.supporter_id = None
        now = time.monotonic()
        if (not self._no_id_sent and not self._exited and self.tv_id is None
                and now - self._started_mono > self.id_timeout_s):  # after "exited" there is nothing to wait for
            self._no_id_sent = True
            events.append(TvEvent("no-id", datetime.now()))
        if not self._exited and now >= self._next_exit_check:
            self._next_exit_check = now + EXIT_CHECK_S
            full = self.full_folder()
            if full is not None:  # before "exited": a QuickSupport that ended over a full disk says so
                return self._end_disk_full(events, full)
            # the direct child may exit on purpose (Windows QuickSupport hands over to TeamViewer.exe):
            # "exited" means nothing of the tree is left
            if self._proc is not None and self._proc.poll() is not None and not self.pids:
                self._exited = True
                events.append(TvEvent("exited", datetime.now(), pid=self._proc.pid))
        return events

    def full_folder(self) -> Path | None:
        """A folder QuickSupport writes to (its own folder, the TeamViewer log folders that exist) whose disk
        has less than MIN_FREE_BYTES left for this user, or None. One check per file system."""
        devices: set[int] = set()
        for folder in (self.prepared.root, *self.log_dirs):
            try:
                device = os.stat(folder).st_dev
            except OSError:
                continue
            if device in devices:
                continue
            devices.add(device)
            free = free_bytes(folder)
            if free is not None and free < MIN_FREE_BYTES:
                return Path(folder)
        return None

    def _end_disk_full(self, events: list[TvEvent], folder: Path) -> list[TvEvent]:
        """End QuickSupport now, exactly as Rozłącz does (QS-KILL if anything survives)."""
        log.warning("no room left on the disk of %s: ending QuickSupport (its log can no longer be followed)", folder)
        return self._end_with(events, TvEvent("disk-full", datetime.now(), folder=str(folder)))

    @property
    def qs_version(self) -> str | None:
        """The oldest build our run's log headers named so far (None: none yet, or no version gate)."""
        return self.version_gate.running if self.version_gate is not None else None

    def _apply_version_gate(self, events: list[TvEvent]) -> list[TvEvent]:
        """Events without the "version" ones; on a refusal only those before it, then "outdated"."""
        assert self.version_gate is not None
        kept: list[TvEvent] = []
        for ev in events:
            verdict = self.version_gate.saw(ev)
            if verdict is not None:
                return self._end_outdated(kept, verdict)
            if ev.kind != "version":
                kept.append(ev)
        late = self.version_gate.overdue()
        if late is not None:
            return self._end_outdated(kept, late)
        return kept

    def _end_outdated(self, events: list[TvEvent], verdict: VersionVerdict) -> list[TvEvent]:
        """End QuickSupport now, exactly as Rozłącz does (QS-KILL if anything survives)."""
        log.warning("QuickSupport %s does not meet min_version %s: ending it", verdict.version or "(no version)",
                    verdict.minimum)
        return self._end_with(events, TvEvent("outdated", datetime.now(), name=verdict.version,
                                              verdict=verdict.minimum))

    def _apply_gate(self, events: list[TvEvent]) -> list[TvEvent]:
        assert self.gate is not None
        checked, refusal = self.gate.screen(events)
        return self._refuse(checked, refusal) if refusal is not None else checked

    def _refuse(self, events: list[TvEvent], verdict: Verdict) -> list[TvEvent]:
        """End QuickSupport now, exactly as Rozłącz does (QS-KILL if anything survives)."""
        log.warning("supporter %s is not on the roster: ending QuickSupport", verdict.tv_id or "(not identified)")
        return self._end_with(events, TvEvent("refused", datetime.now(), tv_id=verdict.tv_id, name=verdict.name,
                                              verdict=UNKNOWN))

    def _end_with(self, events: list[TvEvent], cause: TvEvent) -> list[TvEvent]:
        """End QuickSupport now, exactly as Rozłącz does; returns `events` and then `cause` (what ended it).
        When it cannot be ended, raises EndFailed (QS-KILL) carrying them: who connected and was refused is
        still told, and recorded, before the failure."""
        try:
            self.stop()
        except LauncherError as exc:
            raise EndFailed(exc, [*events, cause]) from exc
        events.append(cause)
        return events

    @property
    def stopped(self) -> bool:
        """True once QuickSupport has been ended for good (by `stop()`, whoever called it)."""
        return self._stopped

    @property
    def pids(self) -> list[int]:
        return [p.pid for p in self._tree.members()] if self._tree is not None else []

    def read_password(self) -> str | None:
        """The password from QuickSupport's window via the OS accessibility API; never logged."""
        return self.read_password_field().value

    def read_password_field(self) -> PasswordReading:
        """What QuickSupport's window shows as the password (a password, `-`, `****`) or UNREADABLE."""
        from launcher.core.quicksupport.credentials import PasswordReading, PasswordStatus, read_password_field

        if not self.tv_id or self._tree is None or self._stopped:
            return PasswordReading(PasswordStatus.UNREADABLE)
        return read_password_field(self.pids, self.tv_id)

    def bring_to_front(self) -> bool:
        """Show QuickSupport's own window on top (where the password can be read off the screen)."""
        if self._tree is None or self._stopped:
            return False
        from launcher.core.quicksupport.foreground import bring_to_front

        return bring_to_front(self.pids)

    # ------------------------------------------------------------ end
    def stop(self, grace_s: float = 1.0) -> None:
        """End the whole tree, verify nothing is left, delete the unpacked folder; QS-KILL if anything survives."""
        if self._stopped:
            return
        self._stopped = True
        survivors: list[int] = []
        if self._tree is not None:
            try:
                survivors = self._tree.terminate_all(grace_s=grace_s)
            except Exception as exc:  # noqa: BLE001 - whatever it was, QuickSupport may still run
                self._stopped = False  # not over: a later stop() (Rozłącz, closing the window) tries again
                raise LauncherError("QS-KILL", f"ending QuickSupport failed: {exc!r}") from exc
        if self._proc is not None:
            with contextlib.suppress(Exception):
                self._proc.wait(timeout=1.0)
            if self._proc.watchdog is not None and not survivors:
                self._proc.watchdog.release()
        if survivors:
            # the watchdog keeps trying; we must not pretend it is over, and a later stop() tries again
            self._stopped = False
            raise LauncherError("QS-KILL", f"still running: {survivors}")
        self._remove_root()
        log.info("QuickSupport ended, nothing left")

    def _remove_root(self) -> None:
        """Delete the unpacked folder, files with Windows' read-only attribute too (QuickSupport may unpack such
        files; fsutil.remove_tree clears it), and let go of its owner lock. Windows may hold a file a moment
        after its process died: a few tries; a folder that still stays is logged (it is private and holds no
        secret) and the next launcher's sweep deletes it (owned_folders)."""
        folder = self.prepared.folder or OwnedFolder(self.prepared.root, None)
        error = folder.remove(tries=5)
        if error is not None:
            log.warning("could not delete %s: %s", folder.path, error)



def start_session(verified: VerifiedArtifact, runtime_dir: Path, qs_config: QuickSupportConfig,
                  unknown_supporter: str = "disconnect", watchdog: Watchdog | None = None) -> QuickSupportSession:
    """Re-hash and unpack the verified artifact into a private folder under `runtime_dir`, start it, with the
    signed manifest's roster checking every supporter (`[session] unknown_supporter`: disconnect | warn) and
    its artifact's `min_version` checking the build QuickSupport's log names (version_gate), under
    `watchdog` if one was launched ahead (see `Watchdog.launch`).

    Raises LauncherError (QS-UNPACK, DL-TAMPERED, QS-ALREADY, QS-START, ...); nothing is left running then.
    """
    from launcher.core.download import open_verified
    from launcher.core.quicksupport.launch import prepare
    from launcher.core.quicksupport.supporter_gate import gate_for

    prepared = prepare(verified.path, verified.artifact, runtime_dir, open_verified)
    session = QuickSupportSession(prepared, extra_log_dirs=qs_config.log_dirs, id_timeout_s=qs_config.id_timeout_s,
                                  gate=gate_for(verified.manifest, unknown_supporter),
                                  version_gate=version_gate_for(verified.artifact))
    session.start(watchdog)
    return session


def event_failure(ev: TvEvent) -> LauncherError | None:
    """The error a session event means, if any: QuickSupport gone by itself, no ID in time, a supporter
    refused, a build too old, no room left on the disk QuickSupport writes to."""
    if ev.kind == "refused":  # a supporter outside the roster was cut off; QuickSupport is already down
        from launcher.core.quicksupport.supporter_gate import refusal_error

        return refusal_error(ev)
    if ev.kind == "outdated":  # the running build is older than min_version (or unnamed); already down
        from launcher.core.quicksupport.version_gate import outdated_error

        return outdated_error(ev)
    if ev.kind == "exited":
        return LauncherError("QS-EXITED", "QuickSupport exited by itself")
    if ev.kind == "disk-full":  # QuickSupport is already down: its log could no longer be followed
        return LauncherError("QS-DISK-FULL", f"no room left on the disk of {ev.folder}")
    if ev.kind == "no-id":
        return LauncherError("QS-NO-ID", "no ID in the TeamViewer log in time")
    return None


class PasswordOutcome(NamedTuple):
    new_value: bool  # a password not seen before was read: show it (the value itself stays with the caller)
    unreadable: bool  # this read made it clear it cannot be read: say where on TeamViewer's window it is
    status: PasswordStatus = PasswordStatus.READING  # what the customer is told about the password now
    try_until: float | None = None  # time.time() until which an unreadable password is still retried
    status_changed: bool = False  # status or try_until (to the minute) differ from the last outcome's


class PasswordReads:
    """When to read QuickSupport's password next, and what each read means.

    Reads run off the polling thread (an accessibility walk can take seconds); the owner asks `due()` each
    poll, starts a read, and hands its result (the password, or None; with what the field showed:
    credentials.PasswordStatus) to `record()` on its own thread. A password no accessibility API can reach
    is retried for PASSWORD_TRY_FOR_S, then no more (`due()` stays False): the status says so.
    """

    def __init__(self) -> None:
        self.value: str | None = None
        self.failed = 0
        self._next_try = 0.0
        self._unreadable_since: float | None = None
        self._try_until = 0.0  # time.time() until which an unreadable password is retried
        self._last: tuple | None = None
        self.gave_up = False

    def due(self, now: float | None = None) -> bool:
        return not self.gave_up and (time.monotonic() if now is None else now) >= self._next_try

    def record(self, value: str | None, now: float | None = None,
               status: PasswordStatus | None = None) -> PasswordOutcome:
        now = time.monotonic() if now is None else now
        status = status or (PasswordStatus.READ if value else PasswordStatus.UNREADABLE)
        settled = value or self.value or status is PasswordStatus.FIXED  # a policy: it will not change soon
        self._next_try = now + (PASSWORD_RECHECK_S if settled else PASSWORD_RETRY_S)
        unreadable = False
        if not value and not self.value and status is PasswordStatus.UNREADABLE:
            self.failed += 1
            unreadable = self.failed == UNREADABLE_AFTER
        new_value = bool(value) and value != self.value
        if new_value:
            self.value = value
        try_until = None
        if self.value:  # once read, a later failed re-check does not take the password away
            status = PasswordStatus.READ
            self._unreadable_since = None
        elif status is PasswordStatus.UNREADABLE:
            if self._unreadable_since is None:
                self._unreadable_since = now
                # the wall-clock moment shown to the customer ("we keep trying until HH:MM"): fixed once,
                # so that later reads say the same sentence
                self._try_until = time.time() + PASSWORD_TRY_FOR_S
            if now - self._unreadable_since >= PASSWORD_TRY_FOR_S:
                self.gave_up = True
                status = PasswordStatus.GAVE_UP
                log.info("password unreadable for %.0f s: no more attempts", PASSWORD_TRY_FOR_S)
            else:
                try_until = self._try_until
        else:
            self._unreadable_since = None
        key = (status, try_until)
        changed = key != self._last
        self._last = key
        return PasswordOutcome(new_value, unreadable, status, try_until, changed)
