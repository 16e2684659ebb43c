"""Qt's offscreen platform on Windows is pointed at %WINDIR%\\Fonts, and only there (launcher/ui/offscreen_fonts.py)."""

from __future__ import annotations

import pytest

from launcher.ui.offscreen_fonts import use_windows_fonts_offscreen, windows_font_dir


@pytest.mark.parametrize("platform", ["offscreen", "offscreen:configfile=C:\\qt\\screens.json"])
def test_offscreen_on_windows_reads_the_windows_font_folder(platform):
    env = {"QT_QPA_PLATFORM": platform, "WINDIR": "C:\\Windows"}
    assert use_windows_fonts_offscreen(env, "win32") == "C:\\Windows\\Fonts"
    assert env["QT_QPA_FONTDIR"] == "C:\\Windows\\Fonts"


def test_a_font_folder_already_chosen_is_kept():
    env = {"QT_QPA_PLATFORM": "offscreen", "WINDIR": "C:\\Windows", "QT_QPA_FONTDIR": "D:\\fonts"}
    assert use_windows_fonts_offscreen(env, "win32") == "D:\\fonts"
    assert env["QT_QPA_FONTDIR"] == "D:\\fonts"


@pytest.mark.parametrize(("env", "platform"), [
    ({"QT_QPA_PLATFORM": "offscreen"}, "linux"),  # fontconfig finds the fonts
    ({"QT_QPA_PLATFORM": "offscreen"}, "darwin"),  # Core Text does
    ({"QT_QPA_PLATFORM": "windows"}, "win32"),  # the windows plugin reads %WINDIR%\Fonts itself
    ({}, "win32"),
])
def test_nothing_changes_where_qt_finds_fonts_itself(env, platform):
    before = dict(env)
    assert use_windows_fonts_offscreen(env, platform) is None
    assert env == before


@pytest.mark.parametrize(("env", "folder"), [
    ({"WINDIR": "C:\\WINDOWS\\"}, "C:\\WINDOWS\\Fonts"),
    ({"SystemRoot": "D:\\Win"}, "D:\\Win\\Fonts"),  # WINDIR unset (a service's environment)
    ({}, "C:\\Windows\\Fonts"),
])
def test_the_windows_font_folder(env, folder):
    assert windows_font_dir(env) == folder
