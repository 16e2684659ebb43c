"""Opening hours the way people write them (English, Polish, OpenStreetMap style; dashes from word
processors; 8, 08:00, 08.00), and what is really wrong refused naming the part."""

from __future__ import annotations

from datetime import time

import pytest

from launcher.core.errors import LauncherError
from launcher.core.hotline import parse_hours

WEEKDAYS_8_16 = {day: ((time(8), time(16)),) for day in range(5)}


@pytest.mark.parametrize("hours", [
    "Mon-Fri 08:00-16:00", "Mon-Fri 8-16", "mon-fri 8:00-16:00", "Mon–Fri 8:00–16:00", "Mon - Fri 08.00 - 16.00",
    "pn-pt 8:00–16:00", "Pn.–Pt. 08.00—16.00", "PON-PT 8-16", "poniedziałek–piątek 8:00 do 16:00",
    "Mo-Fr 08:00-16:00", "Monday to Friday 8 to 16", "Mon-Fri: 8h-16h", "Mon-Fri\u00a08:00\u201316:00",
    "Mon, Tue, Wed, Thu, Fri 8-16", "Mon-Wed 8-16; Thu-Fri 08:00-16:00",
])
def test_weekdays_eight_to_four(hours: str):
    assert parse_hours(hours) == WEEKDAYS_8_16


@pytest.mark.parametrize(("hours", "expected"), [
    ("Mon-Fri 8-12, 13-16", {d: ((time(8), time(12)), (time(13), time(16))) for d in range(5)}),
    ("śr 10-12; Sob 9:30-13", {2: ((time(10), time(12)),), 5: ((time(9, 30), time(13)),)}),
    ("Sa-Su 0-24", {5: ((time(0), time.max),), 6: ((time(0), time.max),)}),
    ("Fri-Mon 20:00-24:00", {d: ((time(20), time.max),) for d in (4, 5, 6, 0)}),
    ("nd 9-11", {6: ((time(9), time(11)),)}),
])
def test_other_shapes(hours: str, expected):
    assert parse_hours(hours) == expected


@pytest.mark.parametrize(("hours", "named"), [
    ("Mon-Fri 08:00-16:00, Xyz 9-10", "Xyz 9-10"),
    ("Mon 16:00-08:00", "Mon 16:00-08:00"),
    ("pn 25-26", "pn 25-26"),
    ("Mon-Fri 8:75-16", "Mon-Fri 8:75-16"),
    ("8-16", "8-16"),
    ("Mon-Fri 8-16; Sat", "Sat"),
    ("Mon-Fri from 8", "Mon-Fri from 8"),
])
def test_really_wrong_is_refused_naming_the_part(hours: str, named: str):
    with pytest.raises(LauncherError) as err:
        parse_hours(hours)
    assert err.value.code == "CFG-INVALID" and named in err.value.detail


@pytest.mark.parametrize(("hours", "expected"), [
    ("Mon-Fri 8am-4pm", WEEKDAYS_8_16),
    ("Mon-Fri 8:00 a.m. - 4:00 p.m.", WEEKDAYS_8_16),
    ("Mon-Fri 8-16, Sat closed, Sun closed", WEEKDAYS_8_16),
    ("pn-pt 8-16; sob nieczynne; nd -", WEEKDAYS_8_16),
    ("24/7", {d: ((time(0), time.max),) for d in range(7)}),
    ("pn-pt całą dobę", {d: ((time(0), time.max),) for d in range(5)}),
    ("Sat-Sun nonstop; Mon-Fri 12pm-1pm", {**{d: ((time(0), time.max),) for d in (5, 6)},
                                           **{d: ((time(12), time(13)),) for d in range(5)}}),
])
def test_closed_days_all_day_and_12_hour_clocks(hours: str, expected):
    assert parse_hours(hours) == expected


@pytest.mark.parametrize("hours", ["Mon 13pm-4pm", "Xyz closed", "Mon-Fri 0am-4pm"])
def test_impossible_12_hour_times_and_unknown_closed_days_are_refused(hours: str):
    with pytest.raises(LauncherError) as err:
        parse_hours(hours)
    assert err.value.code == "CFG-INVALID"


@pytest.mark.parametrize("hours", ["toto", "todo 8-16", "to-do 8-16", "", "Sat closed, Sun closed"])
def test_no_day_or_no_opening_at_all_is_refused_not_crashed(hours: str):
    """Day names made only of the words that are dashes ("to", "do") once raised IndexError (APP-INTERNAL);
    hours that open on no day at all said "closed" for ever."""
    with pytest.raises(LauncherError) as err:
        parse_hours(hours)
    assert err.value.code == "CFG-INVALID" and err.value.detail.startswith("hotline.hours: ")
