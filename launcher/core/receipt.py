"""The session receipt the customer keeps: plain text they can read, and the same as JSON.

Written atomically to `<data folder>/receipts/` when a session ends: start and end times, each consultant
who connected (name, TeamViewer ID, verified or not), the activity list and how the session ended. It
never holds the password: there is no field for it, and every registered secret (the password the
session showed) is additionally redacted from both files before they are written.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from launcher.core.activity import ActivityEntry, describe, line
from launcher.core.diagnostics import redact
from launcher.core.errors import LauncherError
from launcher.core.formatting import group_id
from launcher.core.fsutil import atomic_write_text, is_disk_full

RECEIPTS_DIR = "receipts"
SCHEMA = 1


@dataclass(frozen=True)
class Supporter:
    name: str | None
    tv_id: str | None
    verdict: str | None  # verified | unverified | unknown


@dataclass
class Receipt:
    started_at: datetime  # local wall time QuickSupport was started
    ended_at: datetime
    ended_by: str  # activity.END_REASONS
    own_id: str | None = None  # this computer's TeamViewer ID during the session
    supporters: list[Supporter] = field(default_factory=list)
    activity: list[ActivityEntry] = field(default_factory=list)  # oldest first
    app_version: str = ""

    @classmethod
    def from_activity(cls, entries: Sequence[ActivityEntry], *, started_at: datetime, ended_at: datetime,
                      ended_by: str, own_id: str | None = None, app_version: str = "") -> Receipt:
        supporters: list[Supporter] = []
        for entry in entries:
            if entry.kind in ("joined", "refused") and entry.tv_id is not None:
                who = Supporter(entry.name, entry.tv_id, entry.verdict)
                if all(s.tv_id != who.tv_id for s in supporters):
                    supporters.append(who)
        return cls(started_at=started_at, ended_at=ended_at, ended_by=ended_by, own_id=own_id,
                   supporters=supporters, activity=list(entries), app_version=app_version)

    def as_dict(self) -> dict:
        return {
            "schema": SCHEMA,
            "started_at": self.started_at.isoformat(timespec="seconds"),
            "ended_at": self.ended_at.isoformat(timespec="seconds"),
            "ended_by": self.ended_by,
            "own_tv_id": self.own_id,
            "consultants": [{"name": s.name, "tv_id": s.tv_id, "verified": s.verdict == "verified",
                             "verdict": s.verdict} for s in self.supporters],
            "activity": [e.as_dict() for e in self.activity],
            "app_version": self.app_version,
        }


_LABELS = {
    "pl": {"title": "Potwierdzenie sesji pomocy zdalnej Overmax", "start": "Początek", "end": "Koniec",
           "own": "ID tego komputera", "who": "Konsultant", "nobody": "nikt się nie połączył",
           "verified": "zweryfikowany (na liście konsultantów Overmax)", "unverified": "niezweryfikowany",
           "unknown": "SPOZA OVERMAX", "what": "Przebieg sesji", "how": "Zakończenie",
           "note": "Hasło sesji nie jest zapisywane w tym potwierdzeniu.", "noname": "(bez nazwy)",
           "hotline": "Infolinia Overmax: 61 653 12 93"},
    "en": {"title": "Overmax remote help session receipt", "start": "Started", "end": "Ended",
           "own": "This computer's ID", "who": "Consultant", "nobody": "nobody connected",
           "verified": "verified (on Overmax's list of consultants)", "unverified": "unverified",
           "unknown": "OUTSIDE OVERMAX", "what": "What happened", "how": "How it ended",
           "note": "The session password is not stored in this receipt.", "noname": "(no name)",
           "hotline": "Overmax hotline: 61 653 12 93"},
}


def render_text(receipt: Receipt, lang: str = "pl") -> str:
    """The receipt as plain text a customer can read (UTF-8, one fact per line)."""
    t = _LABELS["en" if lang == "en" else "pl"]
    rows = [t["title"], "=" * len(t["title"]), "",
            f"{t['start']}: {receipt.started_at:%Y-%m-%d %H:%M:%S}",
            f"{t['end']}: {receipt.ended_at:%Y-%m-%d %H:%M:%S}"]
    if receipt.own_id:
        rows.append(f"{t['own']}: {group_id(receipt.own_id)}")
    if not receipt.supporters:
        rows.append(f"{t['who']}: {t['nobody']}")
    for s in receipt.supporters:
        status = t.get(s.verdict or "unverified", t["unverified"])
        rows.append(f"{t['who']}: {s.name or t['noname']}, ID {group_id(s.tv_id or '')}, {status}")
    rows += ["", f"{t['what']}:"]
    rows += [f"  {entry.at:%Y-%m-%d} {line(entry, lang)}" for entry in receipt.activity]
    final = next((e for e in reversed(receipt.activity) if e.kind == "ended" and e.by == receipt.ended_by), None)
    if final is None:
        final = ActivityEntry(at=receipt.ended_at, kind="ended", by=receipt.ended_by)
    rows += ["", f"{t['how']}: {describe(final, lang)}", "", t["note"], t["hotline"], ""]
    return "\n".join(rows)


def write_receipt(receipt: Receipt, data_dir: Path, *, lang: str = "pl",
                  secrets: Iterable[str] = ()) -> tuple[Path, Path]:
    """Write `receipts/sesja-YYYYMMDD-HHMMSS.txt` and `.json` atomically; (text path, json path).

    Every secret in `secrets` is redacted from both. DL-DISK-FULL when the disk has no room for them,
    APP-DATA-DIR when the folder cannot be written otherwise; no file is left half-written."""
    secrets = [s for s in secrets if s and s.strip()]
    folder = Path(data_dir) / RECEIPTS_DIR
    stem = f"sesja-{receipt.ended_at:%Y%m%d-%H%M%S}"
    text = redact(render_text(receipt, lang), secrets)
    escaped = [json.dumps(s, ensure_ascii=False)[1:-1] for s in secrets]  # as the secret reads inside JSON
    data = redact(json.dumps(receipt.as_dict(), ensure_ascii=False, indent=2) + "\n", [*secrets, *escaped])
    text_path, json_path = folder / f"{stem}.txt", folder / f"{stem}.json"
    try:
        n = 1
        while text_path.exists() or json_path.exists():  # two sessions ended within one second
            n += 1
            text_path, json_path = folder / f"{stem}-{n}.txt", folder / f"{stem}-{n}.json"
        atomic_write_text(json_path, data)
        atomic_write_text(text_path, text)
    except OSError as exc:
        raise write_error(exc, folder) from exc
    return text_path, json_path


def write_error(exc: OSError, where: Path) -> LauncherError:
    """DL-DISK-FULL for a full disk (freeing space helps), APP-DATA-DIR for anything else."""
    return LauncherError("DL-DISK-FULL" if is_disk_full(exc) else "APP-DATA-DIR", f"{where}: {exc}")


def save_copy(text: str, target: Path) -> None:
    """The customer's own copy ("Zapisz"): written atomically where they chose; DL-DISK-FULL or APP-DATA-DIR
    (see write_error) if it cannot be. A file there with Windows' read-only attribute is the customer's to keep:
    Windows' refusal stands (APP-DATA-DIR), as in any other program's "Save as"."""
    try:
        atomic_write_text(Path(target), text, mode=0o644, clear_readonly_target=False)
    except OSError as exc:
        raise write_error(exc, Path(target)) from exc
