import pytest

from launcher.core.formatting import format_bytes, format_duration, group_id


@pytest.mark.parametrize(
    ("raw", "shown"),
    [("1660388656", "1 660 388 656"), ("123456789", "123 456 789"), ("12345", "12 345"), ("", "")],
)
def test_id_grouped_from_the_right_like_teamviewer(raw, shown):
    assert group_id(raw) == shown


def test_bytes_use_polish_decimal_comma():
    assert format_bytes(32498992) == "31,0 MB"


def test_duration():
    assert format_duration(5) == "0:05"
    assert format_duration(3725) == "1:02:05"
