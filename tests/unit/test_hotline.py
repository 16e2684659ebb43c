from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from launcher.config import HotlineConfig
from launcher.core.errors import LauncherError
from launcher.core.hotline import HotlineStatus, describe_status, hotline_status, is_holiday, parse_hours

WAW = ZoneInfo("Europe/Warsaw")
CFG = HotlineConfig(phone="61 653 12 93", email="", hours="Mon-Fri 08:00-16:00", timezone="Europe/Warsaw")


def at(y: int, mo: int, d: int, h: int, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=WAW)


def say(now: datetime, lang: str = "pl", config: HotlineConfig = CFG) -> str:
    return describe_status(hotline_status(config, now), lang, now=now)


def test_polish_holidays_premise():
    assert is_holiday(date(2026, 11, 11))  # Narodowe Święto Niepodległości
    assert is_holiday(date(2026, 12, 24))  # Wigilia: a public holiday in Poland from 2025
    assert is_holiday(date(2026, 4, 6))  # Easter Monday
    assert not is_holiday(date(2026, 11, 10)) and not is_holiday(date(2026, 12, 23))


def test_open_on_a_working_day():
    status = hotline_status(CFG, at(2026, 3, 2, 10, 0))  # Monday
    assert status.open and status.next_open is None
    assert status.closes_at == at(2026, 3, 2, 16, 0)
    assert describe_status(status) == "Infolinia czynna teraz (do 16:00)"
    assert describe_status(status, "en") == "Hotline open now (until 16:00)"


def test_opening_and_closing_edges():
    assert hotline_status(CFG, at(2026, 3, 2, 8, 0)).open
    assert not hotline_status(CFG, at(2026, 3, 2, 16, 0)).open
    assert say(at(2026, 3, 2, 7, 59)) == "Infolinia nieczynna, zostanie otwarta dziś o 8:00"
    assert say(at(2026, 3, 2, 7, 59), "en") == "Hotline closed, opens today at 8:00"


def test_evening_opens_tomorrow():
    status = hotline_status(CFG, at(2026, 3, 3, 17, 30))  # Tuesday
    assert not status.open and status.closes_at is None
    assert status.next_open == at(2026, 3, 4, 8, 0)
    assert say(at(2026, 3, 3, 17, 30)) == "Infolinia nieczynna, zostanie otwarta jutro o 8:00"
    assert say(at(2026, 3, 3, 17, 30), "en") == "Hotline closed, opens tomorrow at 8:00"


def test_friday_after_four_opens_monday():
    now = at(2026, 3, 6, 16, 5)  # Friday
    assert hotline_status(CFG, now).next_open == at(2026, 3, 9, 8, 0)
    assert say(now) == "Infolinia nieczynna, zostanie otwarta w poniedziałek o 8:00"
    assert say(now, "en") == "Hotline closed, opens on Monday at 8:00"


@pytest.mark.parametrize("now", [at(2026, 3, 7, 12, 0), at(2026, 3, 8, 23, 59)])
def test_weekend_is_closed(now: datetime):
    status = hotline_status(CFG, now)
    assert not status.open and status.next_open == at(2026, 3, 9, 8, 0)


def test_sunday_evening_says_tomorrow():
    assert say(at(2026, 3, 8, 20, 0)) == "Infolinia nieczynna, zostanie otwarta jutro o 8:00"


def test_public_holiday_is_closed():
    now = at(2026, 11, 11, 10, 0)  # a Wednesday, Independence Day
    status = hotline_status(CFG, now)
    assert not status.open and status.next_open == at(2026, 11, 12, 8, 0)
    assert say(now) == "Infolinia nieczynna, zostanie otwarta jutro o 8:00"


def test_day_before_a_holiday_skips_it():
    assert hotline_status(CFG, at(2026, 11, 10, 12, 0)).open
    now = at(2026, 11, 10, 16, 30)  # Tuesday; Wednesday is a holiday
    assert hotline_status(CFG, now).next_open == at(2026, 11, 12, 8, 0)
    assert say(now) == "Infolinia nieczynna, zostanie otwarta w czwartek o 8:00"
    assert say(now, "en") == "Hotline closed, opens on Thursday at 8:00"


def test_christmas_eve_and_christmas():
    assert not hotline_status(CFG, at(2026, 12, 24, 10, 0)).open
    now = at(2026, 12, 23, 16, 30)  # Wednesday; 24-26 holidays, 27 Sunday
    assert hotline_status(CFG, now).next_open == at(2026, 12, 28, 8, 0)
    assert say(now) == "Infolinia nieczynna, zostanie otwarta w poniedziałek o 8:00"


def test_far_opening_gives_a_date():
    weekly = HotlineConfig(phone="", email="", hours="Mon 08:00-12:00", timezone="Europe/Warsaw")
    now = at(2026, 3, 31, 9, 0)  # Tuesday; next Monday 6 April is Easter Monday
    assert hotline_status(weekly, now).next_open == at(2026, 4, 13, 8, 0)
    assert say(now, config=weekly) == "Infolinia nieczynna, zostanie otwarta 13.04 o 8:00"
    assert say(now, "en", config=weekly) == "Hotline closed, opens on 13 Apr at 8:00"


def test_time_zone_and_daylight_saving():
    # Monday after the switch to summer time: 08:00 in Warsaw is 06:00 UTC
    assert hotline_status(CFG, datetime(2026, 3, 30, 6, 0, tzinfo=UTC)).open
    assert not hotline_status(CFG, datetime(2026, 3, 30, 5, 59, tzinfo=UTC)).open
    # Friday before it: 08:00 in Warsaw is 07:00 UTC
    assert hotline_status(CFG, datetime(2026, 3, 27, 7, 0, tzinfo=UTC)).open
    # naive means local time at the hotline
    assert hotline_status(CFG, datetime(2026, 3, 30, 8, 0)).open


def test_default_now_gives_a_consistent_answer():
    status = hotline_status(CFG)
    assert (status.closes_at is not None) == status.open
    assert (status.next_open is not None) == (not status.open)
    assert describe_status(status).startswith("Infolinia")


def test_parse_hours_several_parts():
    table = parse_hours("Mon-Fri 08:00-16:00; Sat 9:00-13:30")
    assert table[0] == table[4] == ((time(8, 0), time(16, 0)),)
    assert table[5] == ((time(9, 0), time(13, 30)),)
    assert 6 not in table
    saturday = HotlineConfig(phone="", email="", hours="Mon-Fri 08:00-16:00, Sat 09:00-13:30",
                             timezone="Europe/Warsaw")
    assert hotline_status(saturday, at(2026, 3, 7, 13, 0)).closes_at == at(2026, 3, 7, 13, 30)
    assert say(at(2026, 3, 6, 18, 0), config=saturday) == "Infolinia nieczynna, zostanie otwarta jutro o 9:00"


@pytest.mark.parametrize(
    "hours", ["Xyz 08:00-16:00", "Mon 16:00-08:00", "Mon 25:00-26:00", "x"]
)
def test_bad_hours_are_a_config_error(hours: str):
    with pytest.raises(LauncherError) as info:
        parse_hours(hours)
    assert info.value.code == "CFG-INVALID"


def test_bad_time_zone_is_a_config_error():
    bad = HotlineConfig(phone="", email="", hours="Mon-Fri 08:00-16:00", timezone="Europe/Nowhere")
    with pytest.raises(LauncherError) as info:
        hotline_status(bad, at(2026, 3, 2, 10))
    assert info.value.code == "CFG-INVALID"


def test_no_hours_at_all_is_refused_and_a_closed_status_without_a_next_opening_still_reads():
    never = HotlineConfig(phone="", email="", hours="", timezone="Europe/Warsaw")
    with pytest.raises(LauncherError) as info:
        hotline_status(never, at(2026, 3, 2, 10))
    assert info.value.code == "CFG-INVALID" and "hotline.hours" in info.value.detail
    status = HotlineStatus(False, None, None)  # nothing opens within the search (31 days of holidays)
    assert describe_status(status) == "Infolinia nieczynna"
    assert describe_status(status, "en") == "Hotline closed"


def test_any_year_is_answered_by_the_holidays_package():
    assert is_holiday(date(2060, 11, 11)) and is_holiday(date(2020, 5, 3))
    assert not is_holiday(date(2060, 11, 12))
    assert is_holiday(date(2025, 12, 24)) and not is_holiday(date(2024, 12, 24))  # Wigilia from 2025
