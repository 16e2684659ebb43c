"""Is the Overmax hotline open now? Hours from config, in its time zone, closed on Polish public holidays
(the holidays package's calendar for Poland).

Remote help does not need the hotline to be open, but a customer should know when nobody can answer.
`hours` is "Mon-Fri 08:00-16:00"; several parts may be joined with "," or ";" ("Mon-Fri 08:00-16:00, Sat
09:00-13:00"), read by `launcher.core.opening_hours`, which the config uses to check it when it loads. Naive
datetimes passed as `now` are taken as local time in the hotline's time zone.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING

from launcher.config import HotlineConfig
from launcher.core.opening_hours import hotline_zone, parse_hours

__all__ = ["HotlineStatus", "describe_status", "hotline_status", "is_holiday", "parse_hours"]

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from holidays import HolidayBase

log = logging.getLogger(__name__)

CALENDAR_PACKAGE = "holidays"  # what _holidays() imports: the window loads it ahead, off its own thread
_SEARCH_DAYS = 31  # how far ahead to look for the next opening

_WEEKDAY_PL = ("w poniedziałek", "we wtorek", "w środę", "w czwartek", "w piątek", "w sobotę", "w niedzielę")
_WEEKDAY_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTH_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class HotlineStatus:
    open: bool
    next_open: datetime | None  # when closed: the next opening (aware, hotline time zone)
    closes_at: datetime | None  # when open: the end of the current opening hours


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
    zone = hotline_zone(config.timezone)
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
