"""Is the Overmax hotline open now? Hours from config, in its time zone, closed on Polish public holidays
(the holidays package's calendar for Poland).

Remote help does not need the hotline to be open, but a customer should know when nobody can answer.
`hours` is "Mon-Fri 08:00-16:00"; several parts may be joined with "," or ";" ("Mon-Fri 08:00-16:00, Sat
09:00-13:00"). Naive datetimes passed as `now` are taken as local time in the hotline's time zone.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from launcher.config import HotlineConfig
from launcher.core.errors import LauncherError

if TYPE_CHECKING:
    from holidays import HolidayBase

log = logging.getLogger(__name__)

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
_SEARCH_DAYS = 31  # how far ahead to look for the next opening

_WEEKDAY_PL = ("w poniedziałek", "we wtorek", "w środę", "w czwartek", "w piątek", "w sobotę", "w niedzielę")
_WEEKDAY_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTH_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class HotlineStatus:
    open: bool
    next_open: datetime | None  # when closed: the next opening (aware, hotline time zone)
    closes_at: datetime | None  # when open: the end of the current opening hours


def _fold(text: str) -> str:
    """Lower case without Polish diacritics, NBSPs as spaces: `Śr–Pt` -> `sr–pt`."""
    import unicodedata

    text = text.replace("ł", "l").replace("Ł", "L").replace("\u00a0", " ").replace("\u202f", " ")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower().strip()


def _day_range(spec: str, raw: str) -> list[int]:
    names = [n.rstrip(".") for n in re.split(_DASH, spec) if n]
    try:
        first, last = _DAY_INDEX[names[0]], _DAY_INDEX[names[-1]]
    except KeyError as exc:
        raise LauncherError("CFG-INVALID", f"hotline.hours: unknown day in {raw!r}") from exc
    return list(range(first, last + 1)) if first <= last else [*range(first, 7), *range(0, last + 1)]


def _time_of_day(text: str, raw: str) -> time:
    text = text.replace("a.m.", "am").replace("p.m.", "pm")
    meridiem = text[-2:] if text.endswith(("am", "pm")) else ""
    hour, _, minute = text.removesuffix(meridiem).rstrip("h ").replace(".", ":").partition(":")
    h, m = int(hour), int(minute or 0)
    if meridiem and not 1 <= h <= 12:
        raise LauncherError("CFG-INVALID", f"hotline.hours: {raw!r}: {text} is not a 12-hour time")
    if meridiem:
        h = h % 12 + (12 if meridiem == "pm" else 0)
    if (h, m) == (24, 0):
        return time.max
    try:
        return time(h, m)
    except ValueError as exc:
        raise LauncherError("CFG-INVALID", f"hotline.hours: {raw!r}: {exc}") from exc


@lru_cache(maxsize=16)
def parse_hours(hours: str) -> dict[int, tuple[tuple[time, time], ...]]:
    """{weekday (Mon=0): ((start, end), ...)}; CFG-INVALID naming the part it cannot read.

    Parts are joined with "," or ";"; each is `DAYS HOURS`, days alone (they carry on to the next part:
    "Mon, Wed 8-16") or hours alone (for the days before: "Mon-Fri 8-12, 13-16"). Days in English or
    Polish ("Mon-Fri", "Mo-Fr", "pn-pt", "Śr"); hours as "8", "08:00", "08.00", "8h" or "8 am"; ranges with
    "-", an en or em dash, "to" or "do"; 24:00 ends the day; "Sat closed" / "nd nieczynne" names a closed
    day; "24/7", "nonstop", "całą dobę" (after days or alone) mean all day.
    """
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
            raise LauncherError("CFG-INVALID", f"hotline.hours: cannot read {raw.strip()!r}")
        if m["days"]:
            days = pending + _day_range(m["days"], raw.strip())
        elif pending:
            days = pending
        elif not days:
            raise LauncherError("CFG-INVALID", f"hotline.hours: {raw.strip()!r} says no day")
        pending = []
        start, end = _time_of_day(m["t1"], raw.strip()), _time_of_day(m["t2"], raw.strip())
        if end <= start:
            raise LauncherError("CFG-INVALID", f"hotline.hours: {raw.strip()!r} ends before it starts")
        for day in days:
            table.setdefault(day, []).append((start, end))
    if pending:
        raise LauncherError("CFG-INVALID", f"hotline.hours: days without hours at the end of {hours.strip()!r}")
    return {day: tuple(sorted(set(spans))) for day, spans in table.items()}


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise LauncherError("CFG-INVALID", f"hotline.timezone: unknown time zone {name!r}") from exc


@lru_cache(maxsize=8)
def _holidays(year: int) -> HolidayBase:
    """Poland's public holidays for `year` and the next (the search for the next opening may cross into it).

    Importing holidays takes a noticeable moment: the GUI asks off its own thread (main_window)."""
    import holidays

    return holidays.country_holidays("PL", years=[year, year + 1])


def is_holiday(day: date) -> bool:
    """True on a Polish public holiday."""
    return day in _holidays(day.year)


def _windows(day: date, table: dict[int, tuple[tuple[time, time], ...]], zone: ZoneInfo):
    if is_holiday(day):
        return
    for start, end in table.get(day.weekday(), ()):
        yield datetime.combine(day, start, zone), datetime.combine(day, end, zone)


def hotline_status(config: HotlineConfig, now: datetime | None = None) -> HotlineStatus:
    zone = _zone(config.timezone)
    table = parse_hours(config.hours)
    if now is None:
        moment = datetime.now(zone)
    elif now.tzinfo is None:
        moment = now.replace(tzinfo=zone)
    else:
        moment = now.astimezone(zone)
    today = moment.date()
    for offset in range(_SEARCH_DAYS + 1):
        for start, end in _windows(today + timedelta(days=offset), table, zone):
            if start <= moment < end:
                return HotlineStatus(True, None, end)
            if start > moment:
                return HotlineStatus(False, start, None)
    return HotlineStatus(False, None, None)


def _clock(moment: datetime) -> str:
    return f"{moment.hour}:{moment.minute:02d}"


def describe_status(status: HotlineStatus, lang: str = "pl", now: datetime | None = None) -> str:
    """One sentence for the footer: open until when, or when it opens ("jutro", "w poniedziałek", a date)."""
    en = lang == "en"
    if status.open:
        until = _clock(status.closes_at) if status.closes_at else ""
        if en:
            return f"Hotline open now (until {until})" if until else "Hotline open now"
        return f"Infolinia czynna teraz (do {until})" if until else "Infolinia czynna teraz"
    if status.next_open is None:
        return "Hotline closed" if en else "Infolinia nieczynna"
    opens = status.next_open
    zone = opens.tzinfo
    if now is None:
        today = datetime.now(zone).date()
    elif now.tzinfo is None:
        today = now.date()
    else:
        today = now.astimezone(zone).date()
    days = (opens.date() - today).days
    at = _clock(opens)
    if en:
        if days <= 0:
            when = f"today at {at}"
        elif days == 1:
            when = f"tomorrow at {at}"
        elif days < 7:
            when = f"on {_WEEKDAY_EN[opens.weekday()]} at {at}"
        else:
            when = f"on {opens.day} {_MONTH_EN[opens.month - 1]} at {at}"
        return f"Hotline closed, opens {when}"
    if days <= 0:
        when = f"dziś o {at}"
    elif days == 1:
        when = f"jutro o {at}"
    elif days < 7:
        when = f"{_WEEKDAY_PL[opens.weekday()]} o {at}"
    else:
        when = f"{opens.day}.{opens.month:02d} o {at}"
    return f"Infolinia nieczynna, zostanie otwarta {when}"
