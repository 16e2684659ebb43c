"""Config files as Windows editors save them: UTF-8 with a BOM, CRLF, UTF-16 (Notepad's "Unicode", with or
without a BOM), the ANSI code page; a broken file is refused naming its line."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from launcher.config import load_config
from launcher.core.errors import LauncherError
from launcher.core.hotline import parse_hours
from launcher.core.textfiles import ansi_code_page, decode_text

TEXT = (
    "# Konfiguracja zapisana w Notatniku: łączność, godziny infolinii\n"
    "[hotline]\n"
    'hours = "pn–pt 8:00–16:00"\n'
    'email = "pomoc@overmax.pl"\n'
    "\n"
    "[connectivity]\n"
    "timeout_s = 7\n"
)

SAVED_AS = {
    "utf-8": lambda t: t.encode("utf-8"),
    "utf-8-bom": lambda t: codecs.BOM_UTF8 + t.encode("utf-8"),
    "utf-8-bom-crlf": lambda t: codecs.BOM_UTF8 + t.replace("\n", "\r\n").encode("utf-8"),
    "crlf": lambda t: t.replace("\n", "\r\n").encode("utf-8"),
    "cr": lambda t: t.replace("\n", "\r").encode("utf-8"),
    "utf-16-le-bom": lambda t: codecs.BOM_UTF16_LE + t.replace("\n", "\r\n").encode("utf-16-le"),
    "utf-16-be-bom": lambda t: codecs.BOM_UTF16_BE + t.replace("\n", "\r\n").encode("utf-16-be"),
    "utf-16-le": lambda t: t.replace("\n", "\r\n").encode("utf-16-le"),
    "ansi-cp1250": lambda t: t.replace("\n", "\r\n").encode("cp1250"),
}


@pytest.mark.parametrize("saved_as", sorted(SAVED_AS))
def test_editor_encodings_and_line_ends_are_read(tmp_path: Path, saved_as: str):
    path = tmp_path / "config.toml"
    path.write_bytes(SAVED_AS[saved_as](TEXT))
    config = load_config(path)
    assert config.hotline.hours == "pn–pt 8:00–16:00"
    assert parse_hours(config.hotline.hours)[4]  # Friday is open
    assert config.connectivity.timeout_s == 7
    assert decode_text(path.read_bytes()).startswith("# Konfiguracja zapisana w Notatniku: łączność")


@pytest.mark.parametrize("saved_as", ["utf-8-bom", "utf-16-le-bom"])
def test_broken_file_names_the_line(tmp_path: Path, saved_as: str):
    path = tmp_path / "config.toml"
    path.write_bytes(SAVED_AS[saved_as](TEXT + "timeout_s = = 3\n"))
    with pytest.raises(LauncherError) as err:
        load_config(path)
    assert err.value.code == "CFG-INVALID" and "line 8" in err.value.detail


def test_truncated_utf16_is_refused_not_misread(tmp_path: Path):
    path = tmp_path / "config.toml"
    path.write_bytes(SAVED_AS["utf-16-le-bom"](TEXT)[:-1])  # half a character at the end
    with pytest.raises(LauncherError) as err:
        load_config(path)
    assert err.value.code == "CFG-INVALID"
    assert "not a text file" in err.value.detail and "utf-16-le" in err.value.detail


@pytest.mark.parametrize(("data", "byte", "offset"), [
    (b'[hotline]\nphone = "\x81\x90"\n', "0x81", 19),  # neither UTF-8 nor any character of cp1250
    (bytes(range(0x80, 0x100)) * 4, "0x81", 1),  # a binary file picked by mistake
])
def test_a_file_that_is_no_text_says_so_not_the_codecs_words(tmp_path: Path, data: bytes, byte: str, offset: int):
    """It said "'charmap' codec can't decode byte 0x90 in position 6: character maps to <undefined>"."""
    path = tmp_path / "config.toml"
    path.write_bytes(data)
    with pytest.raises(LauncherError) as err:
        load_config(path)
    assert err.value.code == "CFG-INVALID"
    assert err.value.detail == (f"{path}: not a text file (byte {byte} at offset {offset} is no character in UTF-8 "
                                f"or {ansi_code_page()})")
