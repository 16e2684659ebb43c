"""Parse and follow TeamViewer logs: ID, online, consultant connecting/joined/left, session end.

Line format: `YYYY/MM/DD HH:MM:SS.mmm  PID  TID  TAG  message`. Lines without that prefix (the header
block, with its `ID: 0`) never produce events. One log file holds several runs, so the follower only
reads what was appended after our launch (file sizes are remembered at start; a file that appears later
is read from its beginning) and, as a second guard, drops lines stamped before the launch.
"""

from __future__ import annotations

import codecs
import contextlib
import os
import re
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from launcher.core.quicksupport.tvactivity import ACTIVITY_KINDS, parse_activity

KINDS = ("id", "online", "incoming", "authenticated", "joined", "left", "ended", *ACTIVITY_KINDS)
LOG_GLOBS = ("TeamViewer*_Logfile.log", "TeamViewer*_Logfile_OLD.log")
MAX_LINE = 64 * 1024  # a "line" longer than this is garbage: dropped, never buffered forever
TIMESTAMP_SLACK_S = 2.0


@dataclass(frozen=True)
class TvEvent:
    kind: str  # KINDS, plus "exited" / "no-id" / "refused" / "unidentified" from the session
    when: datetime | None
    tv_id: str | None = None
    name: str | None = None  # the supporter's name; for file_in/file_out the file's name
    pid: int | None = None
    folder: str | None = None  # file_in/file_out: the file's folder on this computer
    size: int | None = None  # file_in: bytes, where the log says
    verdict: str | None = None  # joined/refused: the roster's verdict (supporter_gate), set by the session


_PREFIX = re.compile(
    r"^(\d{4})/(\d{2})/(\d{2}) (\d{2}):(\d{2}):(\d{2})\.(\d{3})\s+(\d+)\s+(\d+)(?:\s+(\S+))?(?:\s+(.*))?$"
)
_ID = re.compile(r"Login::Identify::ManageLogin\(\): ID: (\d{9,10})\b")
_ONLINE = re.compile(r"KeepAliveConnect to (\S+) successful")
_INCOMING = re.compile(r"CreatePassiveSession\(\): incoming session(?: via ([^\s,]+))?")
_AUTH = re.compile(r"authentication using [\w ]*password was successful")
_JOINED = re.compile(r"AddParticipant: \[(\d+),\d+\] type=6 name=(.*)$")
_LEFT = re.compile(r"RemoveParticipant: \[(\d+),\d+\]")
_ENDED = re.compile(r"ReceivedEndSession\(\): reason=(-?\d+)")


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
    when = _when(m)
    pid = int(m.group(8))
    if (hit := _ID.search(msg)) is not None:
        tv_id = hit.group(1)
        return TvEvent("id", when, tv_id=tv_id, pid=pid) if tv_id.strip("0") else None
    if (hit := _ONLINE.search(msg)) is not None:
        return TvEvent("online", when, name=hit.group(1), pid=pid)
    if (hit := _INCOMING.search(msg)) is not None:
        return TvEvent("incoming", when, name=hit.group(1), pid=pid)
    if _AUTH.search(msg) is not None:
        return TvEvent("authenticated", when, pid=pid)
    if (hit := _JOINED.search(msg)) is not None:
        return TvEvent("joined", when, tv_id=hit.group(1), name=hit.group(2).strip() or None, pid=pid)
    if (hit := _LEFT.search(msg)) is not None:
        return TvEvent("left", when, tv_id=hit.group(1), pid=pid)
    if (hit := _ENDED.search(msg)) is not None:
        return TvEvent("ended", when, name=f"reason={hit.group(1)}", pid=pid)
    if (act := parse_activity(msg)) is not None:
        return TvEvent(act.kind, when, name=act.name, pid=pid, folder=act.folder, size=act.size)
    return None


def candidate_log_dirs(root: Path | None, extra: Sequence[str] = ()) -> list[Path]:
    """Where TeamViewer may write its log: inside the unpacked folder, the per-OS defaults, then `extra`."""
    home = Path.home()
    found: list[Path] = []
    if root is not None:
        found += [root / "logfiles", root]
        with contextlib.suppress(OSError):
            found += [child / "logfiles" for child in sorted(root.iterdir()) if child.is_dir()]
    if sys.platform == "win32":
        for var, sub in (("APPDATA", "TeamViewer"), ("LOCALAPPDATA", "TeamViewer/Logs"),
                         ("TEMP", "TeamViewer")):
            if base := os.environ.get(var):
                found.append(Path(base) / sub)
    elif sys.platform == "darwin":
        found.append(home / "Library" / "Logs" / "TeamViewer")
    else:
        share = home / ".local" / "share"
        with contextlib.suppress(OSError):
            found += sorted(p / "logfiles" for p in share.glob("teamviewer*") if p.is_dir())
        found.append(share / "teamviewer15" / "logfiles")
    found += [Path(os.path.expandvars(os.path.expanduser(e))) for e in extra if e]
    unique: list[Path] = []
    for p in found:
        if p not in unique:
            unique.append(p)
    return unique


@dataclass
class _FileState:
    offset: int
    pending: bytes = b""
    decoder: codecs.IncrementalDecoder | None = None  # set for UTF-16 files
    text_pending: str = ""
    sniffed: bool = False


def _identity(st: os.stat_result) -> tuple[int, int]:
    return (st.st_dev, st.st_ino)


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


class TvLogFollower:
    """Follows every TeamViewer log in `dirs`; `poll()` returns events written by our run since last poll."""

    def __init__(self, dirs: Sequence[Path], *, since: float) -> None:
        self.dirs = list(dirs)
        self.since = since
        self._not_before = datetime.fromtimestamp(since) - timedelta(seconds=TIMESTAMP_SLACK_S)
        self._files: dict[tuple[int, int], _FileState] = {}
        self.own_id: str | None = None
        for path in self._scan():
            try:
                st = path.stat()
            except OSError:
                continue
            # a file already there holds earlier runs: only what is appended from now on counts
            self._files.setdefault(_identity(st), _FileState(offset=st.st_size))

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
        if state is None:
            state = self._files[key] = _FileState(offset=0)
        if st.st_size < state.offset:  # truncated or rewritten in place: its content is all new
            self._files[key] = state = _FileState(offset=0)
        if st.st_size == state.offset:
            return []
        with open(path, "rb") as fh:
            fh.seek(state.offset)
            chunk = fh.read(st.st_size - state.offset)
        if not state.sniffed:
            state.sniffed = True
            if _looks_utf16(chunk):
                codec = "utf-16" if state.offset == 0 else "utf-16-le"
                state.decoder = codecs.getincrementaldecoder(codec)(errors="replace")
        state.offset += len(chunk)
        return self._lines_to_events(self._split(state, chunk))

    @staticmethod
    def _split(state: _FileState, chunk: bytes) -> list[str]:
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
        return [_decode(raw) for raw in raw_lines]

    def _lines_to_events(self, lines: list[str]) -> list[TvEvent]:
        events: list[TvEvent] = []
        for line in lines:
            ev = parse_line(line)
            if ev is None or (ev.when is not None and ev.when < self._not_before):
                continue
            if ev.kind == "id":
                self.own_id = ev.tv_id
            elif ev.kind == "left" and ev.tv_id == self.own_id:
                continue  # QuickSupport removing itself from the session, not the consultant leaving
            events.append(ev)
        return events


def _looks_utf16(chunk: bytes) -> bool:
    if chunk.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return True
    head = chunk[:200]
    return len(head) >= 8 and head.count(b"\x00") >= len(head) // 3


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
