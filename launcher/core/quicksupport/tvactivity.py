"""What the consultant does during a session, read from TeamViewer log messages: remote control started,
a file sent to this computer, a file taken from it.

One table, one row per wording (first match wins); `tvlog._parse` asks `parse_activity(message)` for a
message none of its own wordings matched. A message no row knows is simply not activity: never an error.

Sources of the wordings (TeamViewer 15, Windows; G1 = the GUI process, D1 = the desktop process):
- the real TeamViewer 15.50 log in ../shared/fixtures/teamviewer (plaso's test data):
  `SessionManagerDesktop::InitiateDesktopSession: creating session with tvsessionprotocol::TVSessionID = N`
  when the incoming remote-control session's desktop starts;
- public forensic write-ups of a TeamViewer 15 log (CyberDefenders/HTB "The Watchman's Residue", 2025):
  `Write file C:\\Windows\\Temp\\safe\\JM.exe` when a file starts arriving,
  `Download from "safe\\JM.exe" to "C:\\Windows\\Temp\\safe\\JM.exe" (468.60 kB)` when it has arrived,
  `Send file C:\\Windows\\Temp\\flyover\\dump.txt` when a file of this computer is sent to the partner.
"""

from __future__ import annotations

import ntpath
import re
from dataclasses import dataclass

ACTIVITY_KINDS = ("control", "file_in", "file_out")

# TeamViewer prints sizes with binary multiples and these unit names ("56.08 kB", "1.65 MB", "512 Bytes")
_UNITS = {"b": 1, "byte": 1, "bytes": 1, "kb": 1 << 10, "mb": 1 << 20, "gb": 1 << 30, "tb": 1 << 40}


# Where TeamViewer's own words are: at the message's start, after the source location it begins with
# (`CStreamManager[2]::ReceivedEndSession()`, `KeepAliveSessionOutgoing::ConnectSuccessHandler(): ...`,
# `CParticipantManagerBase participant ...`). Never further on: a supporter's name is printed inside many
# lines (`VoIP: Receiver: Participant channel "NAME (1 660 360 496)" ...`, `participant NAME (ID ...)`), so a
# name reading `RemoveParticipant: [1660360496,1]` or `ReceivedEndSession(): reason=1` must not fake a leave or
# an end, nor a `(ID [<a consultant's ID>,1]) was added with the role 6` fake the ID the roster checks.
# one part of a source location, a class or a function: `CStreamManager[2]`, `Login`, `ManageLogin`; never a
# lower-case word, so in a bare `participant NAME ...` line the name is not taken for TeamViewer's words
_SOURCE = r"[A-Z][\w\[\]]*"
AT_START = rf"^(?:{_SOURCE}(?:::{_SOURCE})*(?:\(\))?:?\s+|(?:{_SOURCE}::)+)?"


@dataclass(frozen=True)
class ActivityWording:
    kind: str
    pattern: re.Pattern[str]
    path_group: str | None = None  # the file's full path on this computer
    size_group: str | None = None


def _a(kind: str, regex: str, *, path: str | None = None, size: str | None = None) -> ActivityWording:
    return ActivityWording(kind, re.compile(regex), path, size)


ACTIVITY_WORDINGS: tuple[ActivityWording, ...] = (
    # `Download from "safe\JM.exe" to "C:\Windows\Temp\safe\JM.exe" (468.60 kB)`: the file has arrived
    # The source is the supporter's path, and a Mac's or a Linux's may hold `" to "`: the path here is the one
    # that ends the line (its name is the file that really arrived), never one the source's name made up.
    _a("file_in", r'^Download from "(?P<src>.*?)" to "(?P<path>.+)"(?: \((?P<size>[\d.,]+ ?[A-Za-z]+)\))?\s*$',
       path="path", size="size"),
    # `Write file C:\Windows\Temp\safe\JM.exe`: a file starts arriving
    _a("file_in", r"^Write file (?P<path>\S.*?)\s*$", path="path"),
    # `Send file C:\Windows\Temp\flyover\dump.txt`: a file of this computer goes to the consultant
    _a("file_out", r"^Send file (?P<path>\S.*?)\s*$", path="path"),
    # `SessionManagerDesktop::InitiateDesktopSession: creating session with tvsessionprotocol::TVSessionID = N`
    _a("control", AT_START + r"InitiateDesktopSession: creating session\b"),
)


@dataclass(frozen=True)
class Activity:
    kind: str  # ACTIVITY_KINDS
    name: str | None = None  # the file's name
    folder: str | None = None  # the folder it is in on this computer
    size: int | None = None  # bytes, where the log says


def parse_size(text: str | None) -> int | None:
    """'10.95 MB' -> 11481907 (TeamViewer's kB/MB are binary); None for anything else."""
    if not text:
        return None
    m = re.fullmatch(r"\s*([\d]+(?:[.,]\d+)?)\s*([A-Za-z]+)\s*", text)
    if m is None or m.group(2).lower() not in _UNITS:
        return None
    return round(float(m.group(1).replace(",", ".")) * _UNITS[m.group(2).lower()])


def split_path(path: str) -> tuple[str, str]:
    """(folder, name) of a Windows or POSIX path as the log prints it."""
    path = path.strip().strip('"')
    if "\\" in path or re.match(r"^[A-Za-z]:", path):
        folder, name = ntpath.split(path)
    else:
        folder, _, name = path.rpartition("/")
        folder = folder or ("/" if path.startswith("/") else "")
    return folder, name


def parse_activity(message: str) -> Activity | None:
    """The activity a log message reports, or None."""
    for wording in ACTIVITY_WORDINGS:
        hit = wording.pattern.search(message)
        if hit is None:
            continue
        if wording.path_group is None:
            return Activity(wording.kind)
        folder, name = split_path(hit.group(wording.path_group))
        if not name:
            return None
        size = parse_size(hit.group(wording.size_group)) if wording.size_group else None
        return Activity(wording.kind, name=name, folder=folder or None, size=size)
    return None
