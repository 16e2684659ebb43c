"""A font that really is monospace, on every Qt platform.

A generic family ("monospace", the theme's fixed font) and the TypeWriter style hint are only wishes:
fontconfig (Linux) and the Windows font database turn them into a fixed-pitch face, but Qt's plain
FreeType database (the offscreen platform on Windows: the self-test, the test suite) knows no aliases
and gives the first family it has, a proportional one. `monospace()` checks what Qt actually chose.
"""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase, QFontInfo

# Fixed-pitch families that keep 0/O and 1/l apart, tried first (Windows' own, then the common free ones);
# resources/style.qss names the same ones for the error code
PREFERRED = ("Consolas", "Cascadia Mono", "DejaVu Sans Mono", "Liberation Mono", "Courier New")


def fixed_pitch_families() -> list[str]:
    """Installed fixed-pitch families that write Latin (Polish letters included), PREFERRED first."""
    found = [family for family in QFontDatabase.families(QFontDatabase.WritingSystem.Latin)
             if QFontDatabase.isFixedPitch(family) and not QFontDatabase.isPrivateFamily(family)]
    preferred = [family for family in PREFERRED if family in found]
    return preferred + [family for family in found if family not in preferred]


def monospace(font: QFont) -> QFont:
    """`font` where Qt resolves it to a fixed-pitch face; else a copy (size, weight and style kept) naming
    the first of `fixed_pitch_families()`; `font` unchanged where none is installed. Needs a QGuiApplication."""
    if QFontInfo(font).fixedPitch():
        return font
    for family in fixed_pitch_families():
        candidate = QFont(font)
        candidate.setFamilies([family])
        if QFontInfo(candidate).fixedPitch():
            return candidate
    return font
