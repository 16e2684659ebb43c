"""What the consultant did during the session, as a list a customer can read (regulamin §12).

`ActivityLog.add(event)` takes the session's `TvEvent`s and keeps those a customer cares about: who
connected (and whether verified), remote control started, files sent to / taken from this computer, who
left, and how the session ended. `describe(entry, lang)` words an entry in plain Polish or English: the
session page's list, the always-on-top panel's newest line, the receipt and the headless CLI all use it.
No Qt here.

Names and file names come from TeamViewer's log, chosen by the person on the other end (already one line
and capped by launcher.core.untrusted_text where tvlog parsed them). Every one of them is shown in quotes
(`supporter_name`, `quoted`) except a verified consultant's name, which is the signed roster's: a name
like "Konsultant Overmax Jan (zweryfikowany)" then reads as a quotation, never as the program's verdict.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING

from launcher.core.formatting import format_size, group_id
from launcher.core.untrusted_text import file_name, folder_name, one_line, quoted

if TYPE_CHECKING:
    from launcher.core.quicksupport.tvlog import TvEvent

# the TvEvent kinds that become entries
ENTRY_KINDS = ("joined", "control", "file_in", "file_out", "left", "ended", "refused", "unidentified")
# how a session can end (ActivityEntry.by of the final "ended" entry; the receipt's `ended_by`)
END_REASONS = ("consultant", "customer", "limit", "idle", "unanswered", "refused", "exited", "disk-full",
               "error")


@dataclass(frozen=True, slots=True)
class ActivityEntry:
    """One line of the list."""

    at: datetime  # local wall time of the log line (or when the launcher saw it)
    kind: str  # ENTRY_KINDS
    name: str | None = None  # joined/refused: the supporter's name; file_in/file_out: the file's name
    tv_id: str | None = None  # joined/refused: the supporter's TeamViewer ID
    verdict: str | None = None  # joined: verified | unverified | unknown (supporter_gate)
    folder: str | None = None  # file_in/file_out
    size: int | None = None  # file_in: bytes
    by: str | None = None  # ended: END_REASONS

    def as_dict(self) -> dict:
        return {"at": self.at.isoformat(timespec="seconds"), "kind": self.kind, "name": self.name,
                "tv_id": self.tv_id, "verdict": self.verdict, "folder": self.folder, "size": self.size,
                "by": self.by}


class ActivityLog:
    """The entries of one session, oldest first; `newest_first()` for the list on screen."""

    def __init__(self) -> None:
        self.entries: list[ActivityEntry] = []
        self._controlled = False  # "remote control started" once per connected supporter

    def add(self, ev: TvEvent) -> ActivityEntry | None:
        """The entry `ev` adds (or completes), or None when it is nothing a customer needs to see."""
        if ev.kind not in ENTRY_KINDS:
            return None
        at = ev.when or datetime.now()
        if ev.kind == "joined":
            self._controlled = False
        elif ev.kind == "control":
            if self._controlled:
                return None
            self._controlled = True
        elif ev.kind in ("left", "ended", "refused"):
            self._controlled = False
            last = self.entries[-1] if self.entries else None
            # one end is worded several times in a row (RemoveParticipant, ReceivedEndSession, ...)
            if last is not None and last.kind == "left" and ev.kind == "ended":
                self.entries[-1] = replace(last, kind="ended", by="consultant")
                return self.entries[-1]
            if last is not None and last.kind in ("left", "ended") and ev.kind != "refused":
                return None
        if ev.kind == "file_in":
            # TeamViewer writes `Write file PATH` when a file starts and `Download from ... (SIZE)` when it is in
            for index in range(len(self.entries) - 1, max(-1, len(self.entries) - 20), -1):
                old = self.entries[index]
                if old.kind == "file_in" and (old.folder, old.name) == (ev.folder, ev.name):
                    if old.size is None and ev.size is not None:
                        self.entries[index] = replace(old, size=ev.size)
                        return self.entries[index]
                    if ev.size is None or old.size == ev.size:
                        return None
                    break
        by = "consultant" if ev.kind in ("ended", "left") else None
        entry = ActivityEntry(at=at, kind=ev.kind, name=ev.name, tv_id=ev.tv_id, verdict=ev.verdict,
                              folder=ev.folder, size=ev.size, by=by if ev.kind == "ended" else None)
        self.entries.append(entry)
        return entry

    def end(self, by: str, at: datetime | None = None) -> ActivityEntry:
        """The session's final line: how it ended (END_REASONS)."""
        if by not in END_REASONS:
            by = "error"
        if self.entries and self.entries[-1].kind == "ended" and self.entries[-1].by == by:
            return self.entries[-1]
        entry = ActivityEntry(at=at or datetime.now(), kind="ended", by=by)
        self.entries.append(entry)
        return entry

    def newest_first(self) -> list[ActivityEntry]:
        return list(reversed(self.entries))

    @property
    def newest(self) -> ActivityEntry | None:
        return self.entries[-1] if self.entries else None


_TEXT = {
    "pl": {
        ("joined", "verified"): "Połączył się konsultant Overmax {name} (zweryfikowany).",
        ("joined", "unverified"): "Połączył się {name} (niezweryfikowany).",
        ("joined", "unknown"): "UWAGA: połączyła się osoba spoza Overmax: {name}, ID {tv_id}.",
        ("joined", None): "Połączył się {name}.",
        "refused": "Program zakończył połączenie osoby spoza Overmax (ID {tv_id}).",
        "unidentified": "UWAGA: nie udało się sprawdzić, kto się połączył.",
        "control": "Konsultant zaczął sterować tym komputerem.",
        "file_in": "Konsultant przesłał na ten komputer plik {name}{size} do folderu {folder}.",
        "file_out": "Konsultant pobrał z tego komputera plik {name} z folderu {folder}.",
        "left": "Konsultant rozłączył się.",
        ("ended", "consultant"): "Konsultant zakończył sesję.",
        ("ended", "customer"): "Sesję zakończono na tym komputerze (Rozłącz).",
        ("ended", "limit"): "Sesja zakończyła się po upływie limitu czasu.",
        ("ended", "idle"): "Sesja zakończona: nikt nie odpowiedział, czy jesteś przy komputerze.",
        ("ended", "unanswered"): "Sesja zakończona: nikt nie odpowiedział, czy konsultant nadal pomaga.",
        ("ended", "refused"): "Sesja zakończona, bo połączyła się osoba spoza Overmax.",
        ("ended", "exited"): "Sesja zakończona: program TeamViewer QuickSupport zamknął się.",
        ("ended", "disk-full"): "Sesja zakończona: na dysku komputera zabrakło miejsca.",
        ("ended", "error"): "Sesja zakończona z powodu błędu.",
        "someone": "ktoś bez nazwy",
        "unknown_id": "nieznany",
        "unknown_folder": "(nieznany folder)",
    },
    "en": {
        ("joined", "verified"): "Overmax consultant {name} connected (verified).",
        ("joined", "unverified"): "{name} connected (unverified).",
        ("joined", "unknown"): "WARNING: someone outside Overmax connected: {name}, ID {tv_id}.",
        ("joined", None): "{name} connected.",
        "refused": "The program ended the connection of someone outside Overmax (ID {tv_id}).",
        "unidentified": "WARNING: it could not be checked who connected.",
        "control": "The consultant started controlling this computer.",
        "file_in": "The consultant sent the file {name}{size} to this computer, into the folder {folder}.",
        "file_out": "The consultant took the file {name} from this computer, from the folder {folder}.",
        "left": "The consultant disconnected.",
        ("ended", "consultant"): "The consultant ended the session.",
        ("ended", "customer"): "The session was ended on this computer (Disconnect).",
        ("ended", "limit"): "The session ended when its time limit was reached.",
        ("ended", "idle"): "The session ended: nobody answered whether you are at the computer.",
        ("ended", "unanswered"): "The session ended: nobody answered whether the consultant is still helping.",
        ("ended", "refused"): "The session ended because someone outside Overmax connected.",
        ("ended", "exited"): "The session ended: TeamViewer QuickSupport closed.",
        ("ended", "disk-full"): "The session ended: the computer's disk is full.",
        ("ended", "error"): "The session ended because of an error.",
        "someone": "someone without a name",
        "unknown_id": "unknown",
        "unknown_folder": "(unknown folder)",
    },
}


def supporter_name(name: str | None, verdict: str | None, lang: str = "pl") -> str | None:
    """How a supporter's name is shown inside a sentence: a verified consultant's (the signed roster's) as it
    is, any other name in quotes („Jan”), as the person on the other end chose it; None for no name."""
    if not name:
        return None
    if verdict == "verified":
        return one_line(name)
    return quoted(one_line(name), lang)


def describe(entry: ActivityEntry, lang: str = "pl") -> str:
    """One entry in plain words, without its time (see `line`)."""
    lang = "en" if lang == "en" else "pl"
    texts = _TEXT[lang]
    if entry.kind == "joined":
        template = texts.get(("joined", entry.verdict), texts[("joined", None)])
    elif entry.kind == "ended":
        template = texts.get(("ended", entry.by), texts[("ended", "error")])
    else:
        template = texts[entry.kind]
    size = f" ({format_size(entry.size, lang)})" if entry.size is not None else ""
    if entry.kind in ("file_in", "file_out"):
        name = quoted(file_name(entry.name), lang) if entry.name else None
    else:
        name = supporter_name(entry.name, entry.verdict, lang)
    return str(template).format(
        name=name or texts["someone"],
        tv_id=group_id(entry.tv_id) if entry.tv_id else texts["unknown_id"],
        folder=folder_name(entry.folder) or texts["unknown_folder"],
        size=size,
    )


def line(entry: ActivityEntry, lang: str = "pl") -> str:
    """`HH:MM  text`, as the list and the receipt show it."""
    return f"{entry.at:%H:%M}  {describe(entry, lang)}"
