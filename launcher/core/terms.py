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
REGULAMIN_FILE = "regulamin.txt"
# The source page hid the contact e-mail; without one in config the text points at the page instead.
EMAIL_FALLBACK = "adres podany na stronie https://www.ov.overmax.eu/pomoc-zdalna"

_POINT = re.compile(r"^(\d+)\.\s+(.*)$")
_REQUIRED = ("time", "regulamin_version", "regulamin_sha256", "accepted_terms", "confirmed_hotline")


@dataclass(frozen=True)
class Regulamin:
    text: str  # exactly what is shown, {email} filled in
    version: str
    points: tuple[tuple[str, str], ...] = ()  # ("1", "..."), ..., ("", closing paragraph)
    title: str = ""

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


def load_regulamin(email: str, path: Path | None = None) -> Regulamin:
    """The shipped Regulamin with `{email}` filled; `path` only for tests of a missing/broken resource."""
    source = path if path is not None else resource_path(REGULAMIN_FILE)
    try:
        raw = source.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise LauncherError("TERMS-MISSING", f"{source}: {exc}") from exc
    if not raw.strip():
        raise LauncherError("TERMS-MISSING", f"{source} is empty")
    text = raw.replace("{email}", email.strip() or EMAIL_FALLBACK)
    title, points = _split(text)
    return Regulamin(
        text=text,
        version=REGULAMIN_VERSION,
        points=tuple(points),
        title=title,
    )


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
        "regulamin_sha256": regulamin.sha256,
        "app_version": app_version,
        "language": language,
        "accepted_terms": True,
        "confirmed_hotline": True,
    }
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
        except (UnicodeDecodeError, ValueError):
            continue
        if _valid(record):
            return record
    return None
