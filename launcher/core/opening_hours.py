"""The hotline's opening hours and time zone as written in config (`hotline.hours`, `hotline.timezone`),
read into a weekly table: used by `launcher.config` when a config loads (a nonsense value is refused there,
for every command and the window alike) and by `launcher.core.hotline` to say whether the hotline is open.

Imports nothing of the launcher but its error type, so config and hotline can both use it without a cycle.
"""

from __future__ import annotations

import re
from datetime import time
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from launcher.core.errors import LauncherError

_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# Day names as people write them: English (3-letter, full, OpenStreetMap's two letters) and Polish
# (pn/pon, wt, śr, czw, pt, sob/sb, nd/niedz, full names), without diacritics after _fold().
_DAY_NAMES = {
    0: ("mon", "monday", "mo", "pn", "pon", "poniedzialek"),
    1: ("tue", "tues", "tuesday", "tu", "wt", "wto", "wtorek"),
    2: ("wed", "wednesday", "we", "sr", "sro", "sroda"),
    3: ("thu", "thur", "thurs", "thursday", "th", "cz", "czw", "czwartek"),
    4: ("fri", "friday", "fr", "pt", "pia", "piatek"),
    5: ("sat", "saturday", "sa", "sb", "sob", "sobota"),
    6: ("sun", "sunday", "su", "nd", "ndz", "nie", "niedz", "niedziela"),
}
_DAY_INDEX = {name: day for day, names in _DAY_NAMES.items() for name in names}
MAX_HOURS_CHARS = 500  # a week of opening hours, several parts per day, fits in far fewer
_SHOWN_CHARS = 60  # of a part quoted back in an error
_DASH = r"\s*(?:-|–|—|−|to|do)\s*"  # hyphen, en dash, em dash, minus sign, "to", "do"
_DAY = r"[a-z]+\.?"
_TIME = r"(?:\d{1,2})(?:[:.]\d{2})?\s*(?:h|am|pm|a\.m\.|p\.m\.)?"
_DAYSPEC = rf"(?P<days>{_DAY}(?:{_DASH}{_DAY})?)"
_PART = re.compile(rf"^(?:{_DAYSPEC}\s*:?\s+)?(?P<t1>{_TIME}){_DASH}(?P<t2>{_TIME})$")
_DAYS_ONLY = re.compile(rf"^{_DAYSPEC}$")
# "Sat closed", "nd nieczynne": a day named with no hours on purpose
_CLOSED = re.compile(rf"^{_DAYSPEC}\s*:?\s+(?:closed|off|nieczynne|nieczynna|zamkniete|zamknieta|-|–|—)$")
# "24/7", "nonstop", "całą dobę", optionally after days: open all day
_ALL_DAY = re.compile(rf"^(?:{_DAYSPEC}\s*:?\s+)?(?:24/7|24h|24 h|nonstop|non-stop|cala dobe|calodobowo)$")


def _shown(text: str) -> str:
    """`text` quoted for an error detail, cut short: the detail names the key and the part, not a whole essay."""
    text = text.strip()
    return repr(text if len(text) <= _SHOWN_CHARS else text[: _SHOWN_CHARS - 3] + "...")


def _fold(text: str) -> str:
    """Lower case without Polish diacritics, NBSPs as spaces: `Śr–Pt` -> `sr–pt`."""
    import unicodedata

    text = text.replace("ł", "l").replace("Ł", "L").replace("\u00a0", " ").replace("\u202f", " ")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower().strip()


def _day_range(spec: str, raw: str) -> list[int]:
    names = [n.rstrip(".") for n in re.split(_DASH, spec) if n]  # "todo", "toto": nothing but dashes
    try:
        first, last = _DAY_INDEX[names[0]], _DAY_INDEX[names[-1]]
    except (KeyError, IndexError) as exc:
        raise LauncherError("CFG-INVALID", f"hotline.hours: unknown day in {_shown(raw)}") from exc
    return list(range(first, last + 1)) if first <= last else [*range(first, 7), *range(0, last + 1)]


def _time_of_day(text: str, raw: str) -> time:
    text = text.replace("a.m.", "am").replace("p.m.", "pm")
    meridiem = text[-2:] if text.endswith(("am", "pm")) else ""
    hour, _, minute = text.removesuffix(meridiem).rstrip("h ").replace(".", ":").partition(":")
    h, m = int(hour), int(minute or 0)
    if meridiem and not 1 <= h <= 12:
        raise LauncherError("CFG-INVALID", f"hotline.hours: {_shown(raw)}: {text} is not a 12-hour time")
    if meridiem:
        h = h % 12 + (12 if meridiem == "pm" else 0)
    if (h, m) == (24, 0):
        return time.max
    try:
        return time(h, m)
    except ValueError as exc:
        raise LauncherError("CFG-INVALID", f"hotline.hours: {_shown(raw)}: {exc}") from exc


@lru_cache(maxsize=16)
def parse_hours(hours: str) -> dict[int, tuple[tuple[time, time], ...]]:
    """{weekday (Mon=0): ((start, end), ...)}; CFG-INVALID naming the part it cannot read.

    Parts are joined with "," or ";"; each is `DAYS HOURS`, days alone (they carry on to the next part:
    "Mon, Wed 8-16") or hours alone (for the days before: "Mon-Fri 8-12, 13-16"). Days in English or
    Polish ("Mon-Fri", "Mo-Fr", "pn-pt", "Śr"); hours as "8", "08:00", "08.00", "8h" or "8 am"; ranges with
    "-", an en or em dash, "to" or "do"; 24:00 ends the day; "Sat closed" / "nd nieczynne" names a closed
    day; "24/7", "nonstop", "całą dobę" (after days or alone) mean all day. Hours that open on no day at
    all ("", "Sat closed") are refused too.
    """
    if len(hours) > MAX_HOURS_CHARS:
        raise LauncherError("CFG-INVALID", f"hotline.hours: longer than {MAX_HOURS_CHARS} characters: {_shown(hours)}")
    table: dict[int, list[tuple[time, time]]] = {}
    days: list[int] = []
    pending: list[int] = []  # days named without hours, waiting for the next part's hours
    for raw in re.split(r"[,;]", hours):
        part = re.sub(r"\s+", " ", _fold(raw))
        if not part:
            continue
        if (only := _DAYS_ONLY.match(part)) is not None and only["days"].rstrip(".") not in ("to", "do"):
            pending += _day_range(only["days"], raw.strip())
            continue
        if (closed := _CLOSED.match(part)) is not None:
            _day_range(closed["days"], raw.strip())  # only checks the day names: no hours that day
            pending = []
            continue
        if (always := _ALL_DAY.match(part)) is not None:
            named = _day_range(always["days"], raw.strip()) if always["days"] else list(range(7))
            for day in pending + named:
                table.setdefault(day, []).append((time(0), time.max))
            pending = []
            continue
        m = _PART.match(part)
        if m is None:
            raise LauncherError("CFG-INVALID", f"hotline.hours: cannot read {_shown(raw)}")
        if m["days"]:
            days = pending + _day_range(m["days"], raw.strip())
        elif pending:
            days = pending
        elif not days:
            raise LauncherError("CFG-INVALID", f"hotline.hours: {_shown(raw)} says no day")
        pending = []
        start, end = _time_of_day(m["t1"], raw.strip()), _time_of_day(m["t2"], raw.strip())
        if end <= start:
            raise LauncherError("CFG-INVALID", f"hotline.hours: {_shown(raw)} ends before it starts")
        for day in days:
            table.setdefault(day, []).append((start, end))
    if pending:
        raise LauncherError("CFG-INVALID", f"hotline.hours: days without hours at the end of {_shown(hours)}")
    if not table:  # "", "Sat closed": the hotline would never be open, and the window would say so forever
        raise LauncherError("CFG-INVALID", f"hotline.hours: no opening hours in {_shown(hours)}")
    return {day: tuple(sorted(set(spans))) for day, spans in table.items()}


def hotline_zone(name: str) -> ZoneInfo:
    """The time zone `name` (an IANA key such as "Europe/Warsaw"); CFG-INVALID naming hotline.timezone for
    a name no time zone has, including a folder of the zone database ("Europe") or a file in it that is
    not a zone ("zone.tab"), which zoneinfo reports as OSError or ValueError rather than "not found"."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError) as exc:
        raise LauncherError("CFG-INVALID", f"hotline.timezone: unknown time zone {_shown(name)}") from exc
