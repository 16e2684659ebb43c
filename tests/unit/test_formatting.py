import pytest

from launcher.core.formatting import format_duration, format_size, group_id


@pytest.mark.parametrize(
    ("raw", "shown"),
    [("1660388656", "1 660 388 656"), ("123456789", "123 456 789"), ("12345", "12 345"), ("", "")],
)
def test_id_grouped_from_the_right_like_teamviewer(raw, shown):
    assert group_id(raw) == shown


def test_sizes_use_the_decimal_mark_of_the_language():
    assert format_size(32498992) == "31,0 MB"
    assert format_size(32498992, "en") == "31.0 MB"
    assert format_size(3 * 1024**3, "pl") == "3,0 GB"
    assert format_size(1023, "en") == "1023 B"


def test_duration():
    assert format_duration(5) == "0:05"
    assert format_duration(3725) == "1:02:05"
