"""launcher.core.untrusted_text: the rule for text the supporter controls, one kind of character at a time."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from launcher.core.untrusted_text import (
    BIDI_CONTROLS,
    ELLIPSIS,
    FILE_NAME_LIMIT,
    NAME_LIMIT,
    REPLACEMENT,
    file_name,
    folder_name,
    one_line,
    quoted,
)

# Every character Python's str.splitlines() breaks a line at, as a script reading the `session` output does
LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"


@pytest.mark.parametrize("name", [
    "Zażółć gęślą jaźń", "ŻÓŁW Łódź", "Anna Nowak-Świętochowska", "Ñandú Ærøskøbing", "Δημήτρης", "Иван Петров",
    "山田太郎", "Nguyễn Văn Được", "O'Brien & Syn (Kraków) #2", "Jan 🙂",
])
def test_ordinary_names_are_kept_exactly(name: str) -> None:
    assert one_line(name) == name


def test_polish_letters_written_decomposed_become_the_usual_ones() -> None:
    assert one_line(unicodedata.normalize("NFD", "Zażółć gęślą jaźń")) == "Zażółć gęślą jaźń"


@pytest.mark.parametrize("brk", list(LINE_BREAKS))
def test_every_line_break_becomes_a_space(brk: str) -> None:
    text = one_line(f"Jan{brk}LEFT")
    assert text == "Jan LEFT" and len(text.splitlines()) == 1


def test_nul_escape_and_other_controls_become_spaces() -> None:
    assert one_line("a\x00b\x1b[2Jc\x7fd\x9be\tf") == "a b [2Jc d e f"


@pytest.mark.parametrize("control", sorted(BIDI_CONTROLS))
def test_bidi_controls_are_made_visible(control: str) -> None:
    assert one_line(f"faktura{control}fdp.exe") == f"faktura{REPLACEMENT}fdp.exe"


def test_the_right_to_left_override_spoof_shows_its_real_extension() -> None:
    shown = file_name("faktura\u202efdp.exe")
    assert shown.endswith(".exe") and "\u202e" not in shown


@pytest.mark.parametrize("invisible", ["\u200b", "\u200c", "\u200d", "\u2060", "\u00ad", "\ufeff", "\u2062",
                                       "\U000e0041", "\ufff9", "\u180e"])
def test_other_format_characters_are_dropped(invisible: str) -> None:
    assert one_line(f"Kon{invisible}sultant") == "Konsultant"


@pytest.mark.parametrize("space", ["\u00a0", "\u2003", "\u3000", "\u202f", "\u205f", "\u1680", "\u3164", "\u115f",
                                   "\uffa0", "\u2800"])
def test_odd_spaces_and_invisible_letters_are_one_plain_space(space: str) -> None:
    assert one_line(f"  Jan{space}{space}Kowalski{space}") == "Jan Kowalski"


def test_a_name_of_nothing_but_invisible_characters_is_empty() -> None:
    assert one_line("\u3164\u200b \u2800\n") == ""
    assert one_line(None) == "" and one_line("") == ""


def test_surrogates_private_use_and_unassigned_are_replaced() -> None:
    assert one_line("a\ud800b\ue000c\U0010fffdd\ufffee") == f"a{REPLACEMENT}b{REPLACEMENT}c{REPLACEMENT}d{REPLACEMENT}e"
    one_line("a\ud800b").encode("utf-8")  # printable: a lone surrogate would raise here


def test_runs_of_spaces_collapse_so_a_padded_extension_shows() -> None:
    assert file_name("raport.pdf" + " " * 60 + ".exe") == "raport.pdf .exe"


def test_stacked_combining_marks_are_capped() -> None:
    zalgo = "Z" + "\u0336\u0337\u0338\u0339\u033a" * 8 + "a"
    shown = one_line(zalgo)
    assert shown.startswith("Z") and shown.endswith("a")
    assert len(shown) <= 4  # Z, two marks, a
    assert one_line("Nguyễn") == "Nguyễn"  # a letter with two marks keeps both


def test_a_long_name_is_cut_with_an_ellipsis() -> None:
    shown = one_line("Konsultant " * 30)
    assert len(shown) == NAME_LIMIT and shown.endswith(ELLIPSIS)


def test_a_long_file_name_keeps_its_extension_in_view() -> None:
    shown = file_name("bardzo-dlugi-opis-faktury-" * 10 + "faktura.pdf.exe")
    assert len(shown) <= FILE_NAME_LIMIT and ELLIPSIS in shown and shown.endswith(".pdf.exe")


def test_a_long_folder_keeps_its_start_and_end() -> None:
    path = "C:\\Users\\Jan\\" + "podfolder\\" * 40 + "Pobrane"
    shown = folder_name(path)
    assert shown.startswith("C:\\Users\\Jan\\") and shown.endswith("\\Pobrane") and ELLIPSIS in shown


def test_a_cut_never_leaves_a_mark_on_the_ellipsis() -> None:
    shown = one_line("a" * (NAME_LIMIT - 2) + "ą" * 10)
    assert len(shown) <= NAME_LIMIT
    assert unicodedata.category(shown[shown.index(ELLIPSIS) - 1]) != "Mn"


def test_quoted_names_cannot_close_their_quotes() -> None:
    assert quoted("Jan") == "„Jan”" and quoted("Jan", "en") == "“Jan”"
    assert quoted("Jan” (zweryfikowany) „x") == "„Jan' (zweryfikowany) 'x”"
    assert quoted('Jan" «x» “y”') == "„Jan' 'x' 'y'”"


HOSTILE = st.text(alphabet=st.sampled_from(
    list(LINE_BREAKS) + sorted(BIDI_CONTROLS) + list("\x00\x1b\u200b\u200d\u00ad\u3164 \t\u00a0.ąęść̨́̀aZ😀")
    + ["\ud800", "\ue000", "\u0301", "\u0328"]), max_size=300)


@settings(max_examples=300, deadline=None)
@given(st.one_of(HOSTILE, st.text(max_size=300)))
def test_the_rule_is_idempotent_and_always_one_short_printable_line(text: str) -> None:
    for clean, limit in ((one_line, NAME_LIMIT), (file_name, FILE_NAME_LIMIT), (folder_name, 120)):
        once = clean(text)
        assert clean(once) == once
        assert len(once) <= limit
        assert once == once.strip() and "  " not in once
        assert len(once.splitlines()) <= 1
        assert not any(unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Zl", "Zp") for ch in once)
        once.encode("utf-8")
