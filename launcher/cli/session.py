"""`python -m launcher session`: the whole customer flow without a window, for support staff, scripts and tests.

The connection check, the verified fetch and QuickSupport's start, watch and end run through the same core
code as the window (`connectivity.check_failure`, `fetch.fetch_quicksupport`, `quicksupport.session`).
Stdout gets one line per event, flushed at once:

    CHECK OK   dns ...                 one per probe, as `doctor` prints them
    VERIFIED <version> sha256=<hex>    the signed manifest's build, downloaded and checked
    STARTED                            QuickSupport is running
    ID 1 660 388 656                   grouped as TeamViewer groups it
    ONLINE / INCOMING / AUTHENTICATED
    JOINED <tv id> <name> / LEFT / ENDED
    UNKNOWN <tv id> <name>             after JOINED: not on the signed roster, kept because config says "warn"
    PASSWORD READ                      the password was read (it is never printed)
    PASSWORD UNREADABLE ...            it cannot be read here: read it off TeamViewer's window
    STOPPING <why>                     q | eof | sigint | sigterm | sighup | sigbreak | for | limit |
                                       output-closed (nobody reads stdout any more)
    STOPPED ...                        QuickSupport ended and nothing of it is left (exit 0)

Failures print `ERROR <CODE>: ...` on stderr (exit 1); a QuickSupport that was running is ended, and
`STOPPED` says nothing of it is left (or `ERROR QS-KILL` says what is). Standard input is read on
its own thread (raw reads, so nothing blocks the session, on Windows either).
"""

from __future__ import annotations

import logging
import os
import queue
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress

from launcher.cli.check import check_connection
from launcher.cli.output import DISK_FULL, EXIT_FAILED, EXIT_OK, print_error, say
from launcher.cli.stopping import StopRequest, stop_on_signals
from launcher.config import Config
from launcher.core.activity import ActivityLog
from launcher.core.cancel import end_at_exit
from launcher.core.daemon import STOP_LOOK_S, done_unless_stopped, on_daemon_thread
from launcher.core.errors import LauncherError
from launcher.core.formatting import group_id
from launcher.core.paths import AppPaths
from launcher.core.quicksupport.process import Watchdog
from launcher.core.quicksupport.session import (
    POLL_S,
    POLL_UNTIL_ID_S,
    PasswordReads,
    QuickSupportSession,
    event_failure,
    start_session,
)
from launcher.core.quicksupport.supporter_gate import UNKNOWN
from launcher.core.quicksupport.tvlog import TvEvent
from launcher.core.untrusted_text import FOLDER_LIMIT, one_line

log = logging.getLogger(__name__)

_STOPPED = {
    "pl": "QuickSupport zakończony, nic z niego już nie działa; konsultant nie może się ponownie połączyć.",
    "en": "QuickSupport ended, nothing of it is left running; the consultant cannot reconnect.",
}
_NOTHING_STARTED = {
    "pl": "QuickSupport nie został uruchomiony; nic nie zostało.",
    "en": "QuickSupport was not started; nothing is left.",
}
_UNREADABLE = {
    "pl": "odczytaj hasło z okna TeamViewer, pod identyfikatorem",
    "en": "read the password off the TeamViewer window, under the ID",
}


class Output:
    """Event lines on stdout. When nobody reads them any more (the pipe closed: `session | head`, a script
    that went away) or they cannot be written (`session > file` on a full disk: `no_room`, said as DL-DISK-FULL
    once the session has ended) the session ends, as it would on end of input, and the rest goes nowhere."""

    def __init__(self, stop: StopRequest) -> None:
        self.stop = stop
        self.closed = False
        self.no_room: OSError | None = None

    def __call__(self, line: str) -> None:
        if self.closed:
            return
        try:
            say(line)
        except (BrokenPipeError, OSError, ValueError) as exc:
            self.closed = True
            if isinstance(exc, OSError) and exc.errno in DISK_FULL:
                self.no_room = exc
            with suppress(OSError, ValueError):  # later writes and the exit's flush must not fail again
                devnull = os.open(os.devnull, os.O_WRONLY)
                os.dup2(devnull, sys.stdout.fileno())
                os.close(devnull)
            self.stop.set("output-closed")


CTRL_Z = b"\x1a"


def _read_input(stop: StopRequest, fd: int, *, ctrl_z_ends: bool = sys.platform == "win32") -> None:
    """`q` (a line starting with it) or end of input ends the session. Raw os.read: no buffered-reader lock
    that a daemon thread would still hold at interpreter exit.

    `ctrl_z_ends` (Windows): a line starting with Ctrl+Z is the end of input, as a Windows console types it
    (Ctrl+Z, Enter). The console hands the raw read `b"\x1a\r\n"` and leaves it to the reader to see the end
    in it (Python's own console reader and the C runtime do), so without this `session` never saw one."""
    pending = b""
    while not stop.is_set():
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            chunk = b""
        if not chunk:
            stop.set("eof")
            return
        pending += chunk
        *lines, pending = pending.split(b"\n")
        for line in lines:  # in the order typed: the first q or end of input wins
            if line.strip().lower().startswith(b"q"):
                stop.set("q")
                return
            if ctrl_z_ends and line.lstrip(b" \t").startswith(CTRL_Z):
                stop.set("eof")
                return


def _start_input_thread(stop: StopRequest) -> None:
    try:
        fd = sys.stdin.fileno() if sys.stdin is not None else -1
    except (OSError, ValueError):
        fd = -1
    if fd < 0:  # no standard input at all (a windowed start): nothing to read, nothing ends it
        return
    threading.Thread(target=_read_input, args=(stop, fd), name="session-input", daemon=True).start()


def _fields(*parts: str | None) -> str:
    """Words of an event line, each under the untrusted-text rule (a name or a file name the supporter chose
    can hold no line break, no escape sequence, no bidi override): one event is always exactly one line."""
    return " ".join(clean for part in parts if (clean := one_line(part, limit=FOLDER_LIMIT)))


def event_line(ev: TvEvent) -> str | None:
    """The stdout line for a session event: `ID 1 660 388 656`, `JOINED <tv id> <name>`, `ONLINE`, ...;
    any other kind as its name in capitals with the TeamViewer ID and name it carries."""
    if ev.kind == "id":
        return f"ID {group_id(ev.tv_id)}" if ev.tv_id else None
    if ev.kind == "joined":
        return _fields("JOINED", ev.tv_id or "?", ev.name)
    if ev.kind in ("online", "incoming", "authenticated", "left", "ended"):
        return ev.kind.upper()
    return _fields(ev.kind.upper(), ev.tv_id, ev.name)


def roster_warning_line(ev: TvEvent, mode: str) -> str | None:
    """`UNKNOWN <tv id> <name>` right after the JOINED line of a supporter the signed roster does not know,
    when config keeps them (`mode`, config `[session] unknown_supporter`, is "warn"; the window shows its red
    warning); None for any other event. In "disconnect" mode such a supporter is cut off at once: the
    command ends with `ERROR SEC-UNKNOWN-SUPPORTER`, and no UNKNOWN line says they were kept."""
    if mode == "warn" and ev.kind == "joined" and ev.verdict == UNKNOWN:
        return _fields("UNKNOWN", ev.tv_id or "?", ev.name)
    return None


class Transfers:
    """Which file events are new transfers: TeamViewer words one received file twice (`Write file PATH` as
    it starts, `Download from ... (SIZE)` when it is in); the window's activity list merges them
    (ActivityLog) and so does this command, one FILE_IN line per file."""

    def __init__(self) -> None:
        self._activity = ActivityLog()

    def is_new(self, ev: TvEvent) -> bool:
        """False for a second wording of a file transfer already printed; True for anything else."""
        if ev.kind not in ("file_in", "file_out"):
            return True
        before = len(self._activity.entries)
        self._activity.add(ev)
        return len(self._activity.entries) > before


class _PasswordReader:
    """Reads the password on its own thread when `PasswordReads` says so; results come back through a queue."""

    def __init__(self, session: QuickSupportSession, emit: Callable[[str], None]) -> None:
        self.session = session
        self.emit = emit
        self.reads = PasswordReads()
        self._results: queue.SimpleQueue[str | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None

    def _read(self) -> None:
        try:
            value = self.session.read_password()
        except Exception:  # noqa: BLE001 - a failed read only means "read it from the window"
            log.info("password could not be read through accessibility")
            value = None
        self._results.put(value)

    def poll(self, lang: str) -> None:
        while True:
            try:
                value = self._results.get_nowait()
            except queue.Empty:
                break
            outcome = self.reads.record(value)
            if outcome.new_value and value:
                from launcher.core.applog import register_secret

                register_secret(value)  # the log filter redacts it should anything ever try to log it
                self.emit("PASSWORD READ")
            if outcome.unreadable:
                self.emit(f"PASSWORD UNREADABLE {_UNREADABLE.get(lang, _UNREADABLE['pl'])}")
                self.session.bring_to_front()
        busy = self._thread is not None and self._thread.is_alive()
        if self.session.tv_id and not busy and self.reads.due():
            self._thread = threading.Thread(target=self._read, name="quicksupport-password", daemon=True)
            self._thread.start()


def _watch(session: QuickSupportSession, stop: StopRequest, emit: Output, lang: str, deadline: float | None,
           limit_at: float) -> None:
    """Print events until a stop is asked for; raise the LauncherError an event means (QS-EXITED, QS-NO-ID,
    SEC-UNKNOWN-SUPPORTER, QS-OUTDATED)."""
    reader = _PasswordReader(session, emit)
    transfers = Transfers()
    while not stop.is_set():
        for ev in session.poll():
            failure = event_failure(ev)
            if failure is not None:
                raise failure
            line = event_line(ev)
            if line and transfers.is_new(ev):
                emit(line)
                if warning := roster_warning_line(ev, session.gate.mode if session.gate else "disconnect"):
                    emit(warning)
        if session.stopped:  # the session ended QuickSupport itself (it cut a supporter off): not our stop
            raise LauncherError("QS-EXITED", "QuickSupport was ended by the session itself")
        reader.poll(lang)
        now = time.monotonic()
        if deadline is not None and now >= deadline:
            stop.set("for")
        elif now >= limit_at:  # the config's session limit holds here as in the window
            stop.set("limit")
        else:
            stop.wait(POLL_S if session.tv_id else POLL_UNTIL_ID_S)  # closely while the ID is awaited


def run_session(config: Config, paths: AppPaths, lang: str, *, for_s: float | None = None,
                read_input: bool = True, stop: StopRequest | None = None) -> int:
    """The `session` command: exit 0 once QuickSupport has ended with nothing left, 1 after an ERROR line.

    `stop`: one the caller already set on signals (a Ctrl+C before this call is then a stop, not lost)."""
    from launcher.core.applog import open_log_file_or_warn, setup_logging

    setup_logging(paths.logs, open_now=False, lang=lang)
    open_log_file_or_warn()  # a log file that cannot be opened is APP-LOG said once; the session goes on
    stop = stop or StopRequest()
    emit = Output(stop)
    status = _run(config, paths, lang, for_s, read_input, stop, emit)
    if emit.no_room is not None:  # the events went nowhere: not a success, though QuickSupport ended as it should
        print_error(LauncherError("DL-DISK-FULL", f"writing the output: {emit.no_room}"), lang)
        return EXIT_FAILED
    return status


def _run(config: Config, paths: AppPaths, lang: str, for_s: float | None, read_input: bool, stop: StopRequest,
         emit: Output) -> int:
    from launcher.core.fetch import ManifestAhead, fetch_quicksupport

    with stop_on_signals(stop), _watchdog_ahead() as watchdog:
        if stop.is_set():  # stopped while the program was starting: nothing to check or start
            return _stopped_before_start(stop, emit, lang)
        if read_input:
            _start_input_thread(stop)
        ahead = ManifestAhead(config, paths)  # fetched while the connection is checked, as the window does
        try:
            # a stop during the check ends the command at once: a probe that a server holds open would
            # otherwise be waited for until its timeout
            failure = check_connection(config, lang, prefix="CHECK ", emit=emit, stop=stop.event)
            if stop.is_set():  # asked for during the check: before its outcome, which is not waited for
                return _stopped_before_start(stop, emit, lang)
            if failure is not None:
                print_error(failure, lang)
                return EXIT_FAILED
            beside = ahead.done.is_set()  # it came during the check: if it failed, it is fetched again below
            while not ahead.done.wait(STOP_LOOK_S) and not stop.is_set():
                pass  # the manifest is still on its way: a stop meanwhile is said at once
            if stop.is_set():
                return _stopped_before_start(stop, emit, lang)
            answer = ahead.take()
        finally:
            ahead.drop()  # unused: its connection is closed
        if isinstance(answer, LauncherError):
            if not beside:
                raise answer  # the download step's own fetch failed: said now, not after a second one
            answer = None  # failed beside the check: fetched again below, where its error is said
        # on a thread of its own, as the check: a stop while a server holds the manifest or the file back ends
        # the command at once; the download, cancelled by the same stop (which shuts its read), ends within
        # moments and removes its partial file; one whose server still holds back its answer is waited for a
        # bound only, and its partial file removed here, before the command ends
        fetching = on_daemon_thread(
            lambda: fetch_quicksupport(config, paths, cancel=stop.event, prefetched=answer), "fetch")
        if not done_unless_stopped(fetching, stop.event):
            end_at_exit([(stop.event, fetching)])
            return _stopped_before_start(stop, emit, lang)
        try:
            verified = fetching.result()
        except LauncherError as exc:
            if stop.is_set() and exc.code == "DL-CANCELLED":
                return _stopped_before_start(stop, emit, lang)
            raise
        emit(f"VERIFIED {verified.artifact.version} sha256={verified.artifact.sha256}")
        if stop.is_set():
            return _stopped_before_start(stop, emit, lang)
        session = start_session(verified, paths.runtime, config.quicksupport, config.session.unknown_supporter,
                                watchdog)
        emit("STARTED")
        started_mono = time.monotonic()  # --for and the session limit count from here, as the window's do
        deadline = started_mono + for_s if for_s is not None else None
        limit_at = started_mono + config.session.max_minutes * 60
        try:
            _watch(session, stop, emit, lang, deadline, limit_at)
        except LauncherError as exc:
            print_error(exc, lang)
            _end(session, emit, lang)
            return EXIT_FAILED
        except BaseException:
            _end(session, emit, lang)
            raise
        emit(f"STOPPING {stop.reason}")
        return EXIT_OK if _end(session, emit, lang) else EXIT_FAILED


@contextmanager
def _watchdog_ahead() -> Iterator[Watchdog | None]:
    """A watchdog launched now, so that its interpreter starts during the check and the download (None if
    it cannot be: the start launches one then, and reports a failure); released if it was never used."""
    try:
        watchdog: Watchdog | None = Watchdog.launch()
    except OSError as exc:
        log.warning("watchdog could not be launched ahead: %s", exc)
        watchdog = None
    try:
        yield watchdog
    finally:
        if watchdog is not None and watchdog.waiting:
            watchdog.release()


def _end(session: QuickSupportSession, emit: Output, lang: str) -> bool:
    """Stop QuickSupport and check that nothing of it is left; False after printing QS-KILL."""
    try:
        session.stop()
    except LauncherError as exc:  # something survived: say so, never pretend it is over
        print_error(exc, lang)
        return False
    left = session.pids
    if left:
        print_error(LauncherError("QS-KILL", f"still running: {left}"), lang)
        return False
    emit(f"STOPPED {_STOPPED.get(lang, _STOPPED['pl'])}")
    return True


def _stopped_before_start(stop: StopRequest, emit: Output, lang: str) -> int:
    emit(f"STOPPING {stop.reason}")
    emit(f"STOPPED {_NOTHING_STARTED.get(lang, _NOTHING_STARTED['pl'])}")
    return EXIT_OK

