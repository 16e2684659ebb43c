"""The Regulamin Pomocy Zdalnej as shipped (`resources/regulamin.txt`) and the customer's consent record.

The consent record is JSON lines in the data folder: one line per acceptance, holding the sha256 of the
exact text the customer was shown, so it is provable later which wording was accepted.
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from launcher.core.errors import LauncherError
from launcher.core.fsutil import append_line
from launcher.resources import resource_path

log = logging.getLogger(__name__)

REGULAMIN_VERSION = "01.09.2018"
REGULAMIN_FILE = "regulamin.txt"  # the binding Polish text
# Translations shown in other UI languages, each marked in its title as a translation with the Polish
# text binding; the consent record holds the sha256 of the text shown and of the binding one.
TRANSLATION_FILES = {"en": "regulamin_en.txt"}
CONTACT_PAGE = "https://www.ov.overmax.eu/pomoc-zdalna"
# The source page hid the contact e-mail, so the text says `{email}`. Its last paragraph reads right either
# way: "... pod adresem pomoc@example.pl. Zastrzegamy ..." with an e-mail in config, and without one
# "... za pośrednictwem strony https://www.ov.overmax.eu/pomoc-zdalna. Zastrzegamy ...".
_CONTACT = {
    "pl": ("pod adresem {email}", "pod adresem {email}.", f"za pośrednictwem strony {CONTACT_PAGE}."),
    "en": ("sent to {email}", "sent to {email}.", f"submitted through the page {CONTACT_PAGE}."),
}
EMAIL_FALLBACK = _CONTACT["pl"][2]

_POINT = re.compile(r"^(\d+)\.\s+(.*)$")
_REQUIRED = ("time", "regulamin_version", "regulamin_sha256", "accepted_terms", "confirmed_hotline")


@dataclass(frozen=True)
class Regulamin:
    text: str  # exactly what is shown, {email} filled in
    version: str
    points: tuple[tuple[str, str], ...] = ()  # ("1", "..."), ..., ("", closing paragraph)
    title: str = ""
    language: str = "pl"  # "pl": the binding text; else a translation of it
    binding_sha256: str = ""  # a translation's: the sha256 of the Polish text it translates

    @property
    def is_translation(self) -> bool:
        return self.language != "pl"

    @property
    def sha256(self) -> str:
        """Hex sha256 of the text as UTF-8 (what the consent record names)."""
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


def _split(text: str) -> tuple[str, list[tuple[str, str]]]:
    """Title (first line) and the numbered points; unnumbered paragraphs become ("", paragraph)."""
    lines = [line.strip() for line in text.splitlines()]
    title = ""
    points: list[tuple[str, str]] = []
    for line in lines:
        if not line:
            continue
        if not title and not points and not _POINT.match(line):
            title = line
            continue
        match = _POINT.match(line)
        if match:
            points.append((match.group(1), match.group(2)))
        else:
            points.append(("", line))
    return title, points


def fill_contact(raw: str, email: str, language: str = "pl") -> str:
    """`raw` with its `{email}` sentence completed: the address and a full stop, or without an address,
    the contact page. Raises ValueError if `raw` has no `{email}` where its language's wording expects it."""
    marker, with_email, without = _CONTACT.get(language, _CONTACT["pl"])
    if marker not in raw:
        raise ValueError(f"no '{marker}' in the text")
    email = email.strip()
    return raw.replace(marker, with_email.format(email=email) if email else without)


def _read(source: Path) -> str:
    try:
        raw = source.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise LauncherError("TERMS-MISSING", f"{source}: {exc}") from exc
    if not raw.strip():
        raise LauncherError("TERMS-MISSING", f"{source} is empty")
    return raw


def load_regulamin(email: str, path: Path | None = None, *, language: str = "pl") -> Regulamin:
    """The shipped Regulamin with its contact sentence filled (`fill_contact`); in a `language` with a
    translation (TRANSLATION_FILES), that translation, which names the binding Polish text's sha256.
    `path` only for tests of a missing/broken resource. Raises LauncherError TERMS-MISSING."""
    source = path if path is not None else resource_path(REGULAMIN_FILE)
    try:
        text = fill_contact(_read(source), email, "pl")
    except ValueError as exc:
        raise LauncherError("TERMS-MISSING", f"{source}: {exc}") from exc
    title, points = _split(text)
    binding = Regulamin(text=text, version=REGULAMIN_VERSION, points=tuple(points), title=title)
    if language == "pl" or language not in TRANSLATION_FILES or path is not None:
        return binding
    source = resource_path(TRANSLATION_FILES[language])
    try:
        text = fill_contact(_read(source), email, language)
    except ValueError as exc:
        raise LauncherError("TERMS-MISSING", f"{source}: {exc}") from exc
    title, points = _split(text)
    return Regulamin(text=text, version=REGULAMIN_VERSION, points=tuple(points), title=title,
                     language=language, binding_sha256=binding.sha256)


def _utc_iso(now: datetime | None) -> str:
    moment = now or datetime.now(UTC)
    if moment.tzinfo is None:  # naive datetimes are taken as UTC
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def record_consent(
    path: Path,
    regulamin: Regulamin,
    *,
    app_version: str,
    language: str,
    accepted_terms: bool,
    confirmed_hotline: bool,
    now: datetime | None = None,
) -> dict[str, Any]:
    """Append one consent record and return it. Both confirmations are required (ValueError otherwise)."""
    if accepted_terms is not True or confirmed_hotline is not True:
        raise ValueError("consent needs both the accepted terms and the hotline confirmation")
    record = {
        "time": _utc_iso(now),
        "regulamin_version": regulamin.version,
        "regulamin_sha256": regulamin.sha256,  # of the text shown
        "regulamin_language": regulamin.language,
        "app_version": app_version,
        "language": language,
        "accepted_terms": True,
        "confirmed_hotline": True,
    }
    if regulamin.is_translation:  # a translation was shown: which binding text it stands for
        record["regulamin_binding_sha256"] = regulamin.binding_sha256
    import json

    try:
        append_line(path, json.dumps(record, ensure_ascii=False, sort_keys=False))
    except OSError as exc:
        raise LauncherError("TERMS-RECORD", f"{path}: {exc}") from exc
    log.info("consent recorded: regulamin %s sha256 %s", regulamin.version, regulamin.sha256[:12])
    return record


def _valid(record: Any) -> bool:
    return (
        isinstance(record, dict)
        and all(key in record for key in _REQUIRED)
        and isinstance(record["time"], str)
        and record["accepted_terms"] is True
        and record["confirmed_hotline"] is True
    )


def last_consent(path: Path) -> dict[str, Any] | None:
    """The newest valid record, or None. Torn or garbage lines (a crash mid-write, a bad edit) are skipped."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        log.warning("cannot read consent record %s: %s", path, exc)
        return None
    import json

    for line in reversed(data.splitlines()):
        try:
            record = json.loads(line.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):  # json recurses per nesting level
            continue
        if _valid(record):
            return record
    return None
