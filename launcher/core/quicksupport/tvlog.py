"""Parse and follow TeamViewer logs: ID, online, consultant connecting/joined/left, session end.

Line format: `YYYY/MM/DD HH:MM:SS.mmm  PID  TID  TAG  message`. Lines without that prefix (the header
block, with its `ID: 0`) produce no event but one: the header's `Version:` line gives a "version" event
(HEADER_VERSIONS), the build of the TeamViewer process that started logging. One log file holds several
runs, so the follower only reads what was appended after our launch (file sizes are remembered at start;
a file that appears later is read from its beginning; only an `_OLD` file that appears later is judged
by its stamps). Each event kind has a table of the wordings TeamViewer builds use (WORDINGS).

Every text an event carries from a log line (the supporter's name, a file's name and folder) is what the
person on the other end chose: it enters under launcher.core.untrusted_text's rule (one line, no bidi
overrides or invisible characters, capped), so no display downstream has to know the raw form.
"""

from __future__ import annotations

import codecs
import contextlib
import dataclasses
import os
import re
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from launcher.core.folder_setting import expand_folder
from launcher.core.fsutil import open_for_reading
from launcher.core.quicksupport.tvactivity import ACTIVITY_KINDS, AT_START, parse_activity
from launcher.core.textfiles import ansi_code_page
from launcher.core.untrusted_text import file_name, folder_name, one_line

KINDS = ("version", "id", "online", "connecting", "incoming", "authenticated", "joined", "left", "ended",
         *ACTIVITY_KINDS)
LOG_GLOBS = ("TeamViewer*_Logfile.log", "TeamViewer*_Logfile_OLD.log")
MAX_LINE = 64 * 1024  # a "line" longer than this is garbage: dropped, never buffered forever
TIMESTAMP_SLACK_S = 2.0


@dataclass(frozen=True)
class TvEvent:
    kind: str  # KINDS, plus "exited" / "no-id" / "refused" / "unidentified" / "outdated" / "disk-full" from
    # the session
    when: datetime | None
    tv_id: str | None = None
    name: str | None = None  # the supporter's name; file_in/file_out: the file's name; version: the version
    pid: int | None = None
    folder: str | None = None  # file_in/file_out: the file's folder on this computer; disk-full: the full one
    size: int | None = None  # file_in: bytes, where the log says
    verdict: str | None = None  # joined/refused: the roster's verdict (supporter_gate), set by the session;
    # outdated: the manifest's min_version the running build failed (version_gate)
    unconfirmed: bool = False  # joined: the ID may be of the supporter's own making (read off a line's end, or a
    # line that spells two joins): it can get a supporter refused, never verified


_PREFIX = re.compile(
    r"^(\d{4})/(\d{2})/(\d{2}) (\d{2}):(\d{2}):(\d{2})\.(\d{3})\s+(\d+)\s+(\d+)(?:\s+(\S+))?(?:\s+(.*))?$"
)
# Role/type 3 is the local machine (QuickSupport itself) and 6 the connecting supporter (the 15.50 log). Any role
# but 3 is checked as a supporter is: someone on the other end whose role no log here shows is not let in unseen.
LOCAL_ROLE = "3"


@dataclass(frozen=True)
class Wording:
    """One way a TeamViewer build words an event. `fields` maps TvEvent fields to the regex's groups;
    `role` names the group that says whose line it is: LOCAL_ROLE (this computer) is not a join."""

    kind: str
    pattern: re.Pattern[str]
    fields: tuple[tuple[str, str], ...] = ()
    role: str | None = None


def _w(kind: str, regex: str, *, role: str | None = None, **fields: str) -> Wording:
    return Wording(kind, re.compile(regex), tuple(fields.items()), role)


# Every wording we know, one row each, first match wins. Sources: the TeamViewer 15.50 log in
# ../shared/fixtures/teamviewer (its S0/D1/G1 processes word the same event differently, as other builds
# do), DESIGN.md "QuickSupport facts", and public forensic write-ups of TeamViewer 15 logs (e.g. 0xdf's
# HTB "Tick Tock": negative session numbers `[1764218403,-2102926010]`, the IncomingConnection line, the
# clock stepped back mid-session). Add rows here, never if-chains in _parse. Each starts AT_START (tvactivity); a
# row whose name comes before the ID ends at the line's end (`$`, the name greedy): the ID read is the one
# TeamViewer wrote after the name, and the event the one TeamViewer's last words name, whatever the name holds
# (a leave line whose name reads `... (ID [<a consultant>,1]) was added with the role 6` is a leave).
WORDINGS: tuple[Wording, ...] = (
    _w("id", AT_START + r"ManageLogin\(\): ID: (?P<id>\d{9,10})\b", tv_id="id"),
    _w("online", AT_START + r"KeepAliveConnect to (?P<host>\S+) successful", name="host"),
    _w("incoming", AT_START + r"CreatePassiveSession\(\): incoming session(?: via (?P<via>[^\s,]+))?", name="via"),
    # `SessionManagerDesktop::IncomingConnection: Connection incoming, sessionID = -2102926010`
    _w("incoming", AT_START + r"IncomingConnection: Connection incoming\b"),
    # `AuthenticationBlocker::Allocate: allocate ok for DyngateID 1660360496, attempt number 1`: TeamViewer's
    # brute-force guard names the partner's ID as its connection arrives, before the password is checked
    _w("connecting", AT_START + r"Allocate: allocate ok for DyngateID (?P<id>\d{9,10})\b", tv_id="id"),
    _w("authenticated", AT_START + r"authentication using [\w ]*password was successful"),
    # `CPersistentParticipantManager::AddParticipant: [1660360496,115469523] type=6 name=NAME`
    _w("joined", AT_START + r"AddParticipant: \[(?P<id>\d+),-?\d+\] type=(?P<role>\d+) name=(?P<name>.*)$",
       role="role", tv_id="id", name="name"),
    # `CParticipantManagerBase participant NAME (ID [1660360496,115469523]) was added with the role 6`
    _w("joined", AT_START + r"participant (?P<name>.*) \(ID \[(?P<id>\d+),-?\d+\]\) was added with the role "
       r"(?P<role>\d+)$", role="role", tv_id="id", name="name"),
    # `CPersistentParticipantManager::RemoveParticipant: [1660360496,115469523]`
    _w("left", AT_START + r"RemoveParticipant: \[(?P<id>\d+),-?\d+\]", tv_id="id"),
    # `CParticipantManagerBase participant NAME (ID [1660360496,115469523]) was removed`
    _w("left", AT_START + r"participant (?P<name>.*) \(ID \[(?P<id>\d+),-?\d+\]\) was removed$",
       tv_id="id", name="name"),
    # `CStreamManager[2]::ReceivedEndSession(): reason=1`
    _w("ended", AT_START + r"ReceivedEndSession\(\): reason=(?P<reason>-?\d+)", name="reason"),
    # `SessionStatistics[2] Session to 1660360496 ended. Estimated capacity=...`
    _w("ended", r"^SessionStatistics\[\d+\] Session to (?P<id>\d+) ended\b", tv_id="id"),
    # `SessionManagerDesktop::SessionTerminate: removing session with ... = 126302903`
    _w("ended", AT_START + r"SessionTerminate: removing session\b"),
)


def _when(m: re.Match[str]) -> datetime | None:
    try:
        y, mo, d, h, mi, s, ms = (int(m.group(i)) for i in range(1, 8))
        return datetime(y, mo, d, h, mi, s, ms * 1000)
    except ValueError:
        return None


def parse_line(line: str) -> TvEvent | None:
    """One log line -> an event, or None. Never raises on garbage."""
    try:
        return _parse(line)
    except Exception:  # noqa: BLE001 - a log line must never crash the session
        return None


def _parse(line: str) -> TvEvent | None:
    line = line.strip("\r\n\x00\ufeff").rstrip()
    if len(line) > MAX_LINE:
        return None
    m = _PREFIX.match(line)
    if m is None:
        return None
    msg = m.group(11) or ""
    for wording in WORDINGS:
        hit = wording.pattern.search(msg)
        if hit is None:
            continue
        if wording.role is not None and hit.group(wording.role) == LOCAL_ROLE:
            return None  # this computer itself joining its own session
        # the supporter chose the name: it enters under the untrusted-text rule (one line, no bidi tricks)
        values = {field: one_line(hit.group(group)) or None for field, group in wording.fields}
        if wording.kind == "id" and not (values.get("tv_id") or "").strip("0"):
            return None  # the header's `ID: 0`
        if wording.kind == "ended" and values.get("name") is not None:
            values["name"] = f"reason={values['name']}"
        return TvEvent(wording.kind, _when(m), pid=int(m.group(8)), **values)
    if (act := parse_activity(msg)) is not None:
        return TvEvent(act.kind, _when(m), name=file_name(act.name) or None, pid=int(m.group(8)),
                       folder=folder_name(act.folder) or None, size=act.size)
    return None


# The header block every TeamViewer process writes when its logger starts (unstamped lines after a stamped
# one with an empty message, from `Start:` to the blank line; TeamViewer 15.50 in ../shared/fixtures, and
# plaso's teamviewer parser test, which carries the same block):
#   Start:              2024/02/16 06:05:19.548 (UTC-8:00)
#   Version:            15.50.5 (64-bit)
#   Version short hash: b23ae08066e
#   ID:                 0
# Older builds pad differently (`Version:            13.2.14327  (64-bit)`); the demo stand-ins write
# `Version:            15.0.0 DEMO (64-bit)`. A `Start:` line that itself names the build
# (`Start: ... TeamViewer 15.50.5 ...`) counts too. Only lines inside a block opened by `Start:` are read,
# so a continuation line of some message that happens to say "Version: 2" is never taken for the build.
_HEADER_START = re.compile(r"^\s*Start\s*:")
_VERSION_TEXT = r"v?(?P<version>\d+(?:\.\d+){1,3})\b"
HEADER_VERSIONS: tuple[re.Pattern[str], ...] = (
    re.compile(r"^\s*Version\s*:\s*" + _VERSION_TEXT),
    re.compile(r"^\s*Start\s*:.*?\bTeamViewer\b\D{0,40}?" + _VERSION_TEXT),
)


def header_version(line: str) -> str | None:
    """The TeamViewer build a header line names (`Version:            15.50.5 (64-bit)` -> "15.50.5"), else
    None. Stamped lines are never header lines. Whether the line is inside a header block is the caller's
    business (HeaderReader). Never raises on garbage."""
    line = line.strip("\r\n\x00\ufeff").rstrip()
    if len(line) > MAX_LINE or _PREFIX.match(line):
        return None
    for pattern in HEADER_VERSIONS:
        if (hit := pattern.search(line)) is not None:
            return hit.group("version")
    return None


class HeaderReader:
    """Which unstamped lines belong to a header block: from a `Start:` line to a blank or a stamped line.
    `feed(line)` returns the build a header line names, else None (one reader per log file)."""

    def __init__(self) -> None:
        self.inside = False

    def feed(self, line: str) -> str | None:
        text = line.strip("\r\n\x00\ufeff").rstrip()
        if not text.strip() or _PREFIX.match(text):
            self.inside = False
            return None
        if _HEADER_START.match(text):
            self.inside = True
        return header_version(text) if self.inside else None


def stamp_of(line: str) -> datetime | None:
    """The local wall-clock stamp a log line starts with, or None (a header line, garbage)."""
    m = _PREFIX.match(line.strip("\r\n\x00\ufeff").rstrip()) if len(line) <= MAX_LINE else None
    return _when(m) if m is not None else None


def candidate_log_dirs(root: Path | None, extra: Sequence[str] = ()) -> list[Path]:
    """Where TeamViewer may write its log: inside the unpacked folder, the per-OS defaults, then `extra`."""
    home = Path.home()
    found: list[Path] = []
    if root is not None:
        found += [root / "logfiles", root]
        with contextlib.suppress(OSError):
            found += [child / "logfiles" for child in sorted(root.iterdir()) if child.is_dir()]
    if sys.platform == "win32":
        # Not the user's %TEMP%\TeamViewer: QuickSupport unpacks itself into a temporary folder of its own inside
        # `root` (launch.PRIVATE_TEMP), so a log in the user's Temp can only be an earlier run's or another program's
        for var, sub in (("APPDATA", "TeamViewer"), ("LOCALAPPDATA", "TeamViewer/Logs")):
            if base := os.environ.get(var):
                found.append(Path(base) / sub)
    elif sys.platform == "darwin":
        found.append(home / "Library" / "Logs" / "TeamViewer")
    else:
        share = home / ".local" / "share"
        with contextlib.suppress(OSError):
            found += sorted(p / "logfiles" for p in share.glob("teamviewer*") if p.is_dir())
        found.append(share / "teamviewer15" / "logfiles")
    found += [Path(expand_folder(e)) for e in extra if e]
    unique: list[Path] = []
    for p in found:
        if p not in unique:
            unique.append(p)
    return unique


@dataclass
class _FileState:
    offset: int  # bytes consumed so far; at launch, the size of a file that was already there
    ours: bool  # True: everything from `offset` on was written by our run (the offset separates runs)
    pending: bytes = b""  # undecoded bytes: a line's start, or too few bytes to know the encoding yet
    sniffed: bool = False
    decoder: codecs.IncrementalDecoder | None = None  # UTF-16 once sniffed; None: 8-bit lines
    text_pending: str = ""
    header: HeaderReader = dataclasses.field(default_factory=HeaderReader)
    last_when: datetime | None = None  # the latest stamp read (a header block's lines carry none)


def _identity(st: os.stat_result) -> tuple[int, int]:
    return (st.st_dev, st.st_ino)


def _decode(raw: bytes, ansi: str = "cp1250") -> str:
    """A UTF-8 line as UTF-8, anything else in the ANSI code page (each line decides on its own, since
    one file may hold runs written by builds with different encodings)."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode(ansi, errors="replace")


def _utf16_from_bom(head: bytes) -> str | None:
    if head.startswith(codecs.BOM_UTF16_LE):
        return "utf-16-le"
    if head.startswith(codecs.BOM_UTF16_BE):
        return "utf-16-be"
    return None


def _utf16_from_nuls(sample: bytes) -> str | None | bool:
    """UTF-16 byte order guessed from where ASCII's NUL high bytes sit; False: too few bytes to tell."""
    if len(sample) < 8:
        return False
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd >= len(sample) // 3 and odd > even:
        return "utf-16-le"
    if even >= len(sample) // 3 and even > odd:
        return "utf-16-be"
    return None


def _may_follow(when: datetime, since: float) -> bool:
    """Whether a local, offset-less stamp can be at or after `since` (POSIX seconds). A stamp in the hour
    the autumn clock change repeats has two readings; either one counts."""
    for fold in (0, 1):
        try:
            if when.replace(fold=fold).timestamp() >= since - TIMESTAMP_SLACK_S:
                return True
        except (OverflowError, OSError, ValueError):
            return True  # a stamp the platform cannot convert never hides an event
    return False


# The end of a "was added with the role" join, on whatever line it ends: the supporter's name held a line break
# (if TeamViewer writes it as it is), which put lines of their own making before it (a join with another ID, a
# fake ID line), and TeamViewer's own words, with the ID it wrote, after them, on a line of their own. That
# line may start with a stamp of the name's making and even spell another event; its ending is checked as a
# join of its own all the same.
_JOIN_TAIL = re.compile(r"\(ID \[(?P<id>\d+),-?\d+\]\) was added with the role (?P<role>\d+)\s*$")


def _trailing_join(line: str, when: datetime | None) -> TvEvent | None:
    """A "joined" event (the ID, no name; at `when`) for a line, stamped or not, that ends the way a role-wording
    join line ends, else None. The follower adds it unless the line itself parsed as that same join."""
    text = line.strip("\r\n\x00\ufeff").rstrip()
    if len(text) > MAX_LINE or "was added with the role" not in text:
        return None
    m = _JOIN_TAIL.search(text)
    if m is None or m.group("role") == LOCAL_ROLE:
        return None
    return TvEvent("joined", when, tv_id=m.group("id"))


class TvLogFollower:
    """Follows every TeamViewer log in `dirs`; `poll()` returns events written by our run since last poll.

    What separates our run from earlier ones is the file offset: a file that is there at launch is read
    from its size at launch on, and a file created or rewritten shorter after it from its beginning; their
    stamps are not consulted (local wall-clock stamps without offset jump back at the autumn clock change
    or when the clock is stepped). Only an `_OLD` file that appears after the launch (it may be a copy of
    an older log) is judged by its stamps: lines are skipped until the first one that can be at or after
    the launch (both readings of an hour the clock change repeats), and everything after it counts.
    Encoding: UTF-16 (by BOM, else by NUL bytes, sniffed from the file's start, not from the piece at hand),
    else per line UTF-8, else `ansi` (default: ansi_code_page()).
    """

    def __init__(self, dirs: Sequence[Path], *, since: float, ansi: str | None = None) -> None:
        self.dirs = list(dirs)
        self.since = since
        self.ansi = ansi or ansi_code_page()
        self._files: dict[tuple[int, int], _FileState] = {}
        self.own_id: str | None = None
        self._present: set[str] = set()  # supporters joined and not left
        self._gone: set[str] = set()  # supporters reported as left
        self._ended = False  # "ended" reported, no one joined since (several wordings mark one end)
        self._incoming = False  # "incoming" reported for the session under way (two wordings mark it)
        for path in self._scan():
            try:
                st = path.stat()
            except OSError:
                continue
            # a file already there holds earlier runs: only what is appended from now on counts
            self._files.setdefault(_identity(st), _FileState(offset=st.st_size, ours=True))

    def _scan(self) -> list[Path]:
        paths: list[Path] = []
        for folder in self.dirs:
            for pattern in LOG_GLOBS:
                try:
                    paths += folder.glob(pattern)
                except OSError:
                    continue
        # rotated files first: what is left unread there is older than the fresh file
        return sorted(set(paths), key=lambda p: (not p.stem.endswith("_OLD"), str(p)))

    def poll(self) -> list[TvEvent]:
        events: list[TvEvent] = []
        for path in self._scan():
            try:
                events += self._read(path)
            except OSError:
                continue
        return events

    def _read(self, path: Path) -> list[TvEvent]:
        st = path.stat()
        key = _identity(st)
        state = self._files.get(key)
        # A log created (or rewritten shorter) after the launch was written by our run, unless it is an
        # `_OLD` file, which may be a copy of an older log: there the stamps decide where our run starts.
        ours = not path.stem.upper().endswith("_OLD")
        if state is None:
            state = self._files[key] = _FileState(offset=0, ours=ours)
        if st.st_size < state.offset:  # truncated or rewritten in place: read it from its beginning
            self._files[key] = state = _FileState(offset=0, ours=ours)
        if st.st_size == state.offset:
            return []
        # shared as TeamViewer expects of its log: it may go on writing, and rename it to _OLD, while we read
        with open_for_reading(path, others_may_change_it=True) as fh:
            # what was in the file before the bytes still waiting to be sniffed (not those bytes themselves:
            # a file read from its start in pieces too small to tell is sniffed from its own start)
            start = state.offset - len(state.pending)
            if not state.sniffed and start > 0:
                fh.seek(max(0, start - 512))
                before = fh.read(start - max(0, start - 512))
                fh.seek(0)
                head = fh.read(4)
            else:
                before = head = b""
            fh.seek(state.offset)
            chunk = fh.read(st.st_size - state.offset)
        state.offset += len(chunk)
        if not state.sniffed:
            state.pending += chunk
            if not self._sniff(state, head, before):
                if len(state.pending) > MAX_LINE:
                    state.pending = b""
                return []
            chunk, state.pending = state.pending, b""
        return self._lines_to_events(state, self._split(state, chunk))

    @staticmethod
    def _sniff(state: _FileState, head: bytes, before: bytes) -> bool:
        """Decide the encoding of our run's bytes once; False while there are too few bytes to tell.

        A file that holds earlier runs may hold them in another encoding (UTF-8 runs, then a build that
        writes UTF-16, or the reverse), so what our run appended is judged by its own bytes; the earlier
        bytes only say where UTF-16 units start when the file was UTF-16 already."""
        data = state.pending
        start = state.offset - len(data)
        if start == 0:
            if len(data) < 2:
                return False
            byte_order = _utf16_from_bom(data)
            if byte_order is not None:
                data = data[2:]
            elif not data.startswith(codecs.BOM_UTF8):
                guess = _utf16_from_nuls(data[:200])
                if guess is False:
                    return False
                byte_order = guess
        else:
            own = _utf16_from_nuls(data[:200])
            if own is False:
                return False
            byte_order = own or None
            if own is not None and start % 2:
                # an odd offset: either the launch caught half a code unit of a UTF-16 file (its units start
                # at even offsets: its byte order, that half skipped), or a UTF-16 run began after 8-bit
                # runs of odd length (a unit starts here)
                tail = before[-200:]
                if (start - len(tail)) % 2:
                    tail = tail[1:]
                earlier = _utf16_from_bom(head) or _utf16_from_nuls(tail) or None
                if earlier:
                    byte_order, data = earlier, data[1:]
            if byte_order is not None and _utf16_from_bom(data) == byte_order:
                data = data[2:]
        if byte_order is not None:
            state.decoder = codecs.getincrementaldecoder(byte_order)(errors="replace")
        state.pending = data
        state.sniffed = True
        return True

    def _split(self, state: _FileState, chunk: bytes) -> list[str]:
        if state.decoder is not None:
            text = state.text_pending + state.decoder.decode(chunk)
            *lines, state.text_pending = text.split("\n")
            if len(state.text_pending) > MAX_LINE:
                state.text_pending = ""
            return lines
        data = state.pending + chunk
        *raw_lines, state.pending = data.split(b"\n")
        if len(state.pending) > MAX_LINE:
            state.pending = b""
        return [_decode(raw, self.ansi) for raw in raw_lines]

    def _lines_to_events(self, state: _FileState, lines: list[str]) -> list[TvEvent]:
        events: list[TvEvent] = []
        for line in lines:
            ev = parse_line(line)
            if ev is None:
                ev = self._header_event(state, line)
            elif ev.when is not None:
                state.last_when = ev.when
            found = [ev] if ev is not None else []
            tail = _trailing_join(line, state.last_when)
            if tail is not None and not (ev is not None and ev.kind == "joined" and ev.tv_id == tail.tv_id):
                # Which of the line's IDs TeamViewer wrote and which the supporter's name did cannot be told
                # from the line: a name may end the way a join ends, or hold a line break and a join of its own
                # before TeamViewer's words. Each ID still gets its verdict, but none can verify a consultant.
                found = [dataclasses.replace(e, unconfirmed=True) if e.kind == "joined" else e for e in found]
                found.append(dataclasses.replace(tail, unconfirmed=True))
            for ev in found:
                if not state.ours:
                    if ev.when is None or not _may_follow(ev.when, self.since):
                        continue  # an earlier run in a file we read from its beginning
                    state.ours = True
                if self._keep(ev):
                    events.append(ev)
        return events

    @staticmethod
    def _header_event(state: _FileState, line: str) -> TvEvent | None:
        """A "version" event for a header block's `Version:` line (stamped with the line before the block,
        so that an `_OLD` file's earlier runs are skipped by the same rule as their events)."""
        if (when := stamp_of(line)) is not None:
            state.last_when = when
        version = state.header.feed(line)
        return TvEvent("version", state.last_when, name=version) if version else None

    def _keep(self, ev: TvEvent) -> bool:
        """Our own ID, and one event per join, leave and end however many wordings/processes log it."""
        if ev.kind == "id":
            # QuickSupport has one ID per run, logged at its login before anyone can connect: a later line naming
            # another is of a supporter's making (a name with a line break), never this computer's new ID
            if self.own_id is not None and ev.tv_id != self.own_id:
                return False
            self.own_id = ev.tv_id
        elif ev.kind == "connecting":
            return ev.tv_id != self.own_id
        elif ev.kind == "incoming":
            if self._incoming:
                return False
            self._incoming = True
        elif ev.kind == "joined":
            if ev.tv_id is not None and (ev.tv_id == self.own_id or ev.tv_id in self._present):
                return False
            self._ended = False
            if ev.tv_id is not None:
                self._present.add(ev.tv_id)
                self._gone.discard(ev.tv_id)
        elif ev.kind == "left":
            if ev.tv_id == self.own_id or ev.tv_id in self._gone:
                return False  # QuickSupport removing itself, or the same leave in another wording
            if ev.tv_id is not None:
                self._present.discard(ev.tv_id)
                self._gone.add(ev.tv_id)
        elif ev.kind == "ended":
            if self._ended:
                return False
            self._ended = True
            self._incoming = False
            # whoever was connected is gone with the session, left line or not (a dropped connection): their
            # coming back is a join of its own, and a leave logged late is the same leave
            self._gone |= self._present
            self._present.clear()
        return True


def wait_for(follower: TvLogFollower, kind: str, timeout_s: float, interval_s=0.05) -> TvEvent | None:
    """Poll until an event of `kind` arrives (tests and CLI helpers)."""
    deadline = time.monotonic() + timeout_s
    while True:
        for ev in follower.poll():
            if ev.kind == kind:
                return ev
        if time.monotonic() >= deadline:
            return None
        time.sleep(interval_s)
