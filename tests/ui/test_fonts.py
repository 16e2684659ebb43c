"""Qt finds real fonts (on Windows offscreen: %WINDIR%\\Fonts), and the ID and password get a fixed-pitch
face even where Qt cannot resolve the generic "monospace" (launcher/ui/monospace.py)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QFont, QFontDatabase, QFontInfo
from PySide6.QtWidgets import QLabel

from launcher.ui.monospace import PREFERRED, fixed_pitch_families, monospace
from launcher.ui.pages.session_page import CREDENTIAL_POINT_SIZE, credential_font


def test_qt_finds_fonts_and_a_fixed_pitch_one(qapp):
    assert QFontDatabase.families(), "Qt found no fonts (scripts/system-deps.sh installs them)"
    found = fixed_pitch_families()
    assert found and all(QFontDatabase.isFixedPitch(family) for family in found)
    known = [family for family in found if family in PREFERRED]
    assert found[:len(known)] == [family for family in PREFERRED if family in known]  # preferred ones first


@pytest.mark.skipif(sys.platform != "win32", reason="Qt's offscreen platform reads a font folder on Windows only")
def test_offscreen_qt_on_windows_reads_the_windows_font_folder(qapp):
    folder = Path(os.environ["QT_QPA_FONTDIR"])
    assert folder == Path(os.environ["WINDIR"]) / "Fonts"
    assert any(folder.glob("*.ttf")), f"no fonts in {folder}"


def test_a_fixed_pitch_font_is_kept(qapp):
    font = QFont(fixed_pitch_families()[0], 21)
    assert monospace(font) is font


def test_a_proportional_font_becomes_fixed_pitch_keeping_size_weight_and_style(qapp):
    proportional = next(family for family in QFontDatabase.families(QFontDatabase.WritingSystem.Latin)
                        if not QFontDatabase.isFixedPitch(family))
    font = QFont(proportional, 30)
    font.setBold(True)
    font.setItalic(True)
    assert not QFontInfo(font).fixedPitch()
    chosen = monospace(font)
    assert QFontInfo(chosen).fixedPitch()
    assert chosen.family() in fixed_pitch_families()
    assert (chosen.pointSize(), chosen.bold(), chosen.italic()) == (30, True, True)


def test_the_credential_font_is_large_bold_and_fixed_pitch(qapp):
    font = credential_font()
    info = QFontInfo(font)
    assert info.fixedPitch(), info.family()
    assert font.pointSize() == CREDENTIAL_POINT_SIZE and font.bold()


def test_the_error_code_is_shown_in_a_fixed_pitch_face(window):
    """style.qss names fixed-pitch families before the generic "monospace", which not every font database
    resolves (Qt's FreeType one, offscreen on Windows, gives its first family)."""
    window.build_all_pages()
    label = window.findChild(QLabel, "errorCode")
    label.ensurePolished()
    info = QFontInfo(label.font())
    assert info.fixedPitch(), info.family()
