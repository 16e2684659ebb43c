"""Where the keyboard focus goes and how small the window gets, on the real window (Qt's xcb platform on an
Xvfb screen with openbox), with real key presses and a real window-manager resize: tests/support/focus_walk.py.

- An answered question („Czy nadal czekasz na konsultanta?”, „Czy konsultant nadal Ci pomaga?”, on the page
  and on the always-on-top panel) never hands the focus to a Rozłącz: a stray Space (or a consultant's key
  during remote control) ended the session after „Tak, czekam”. Rozłącz is still reached with Tab.
- The error page's focus starts on the button Enter presses (it was on „Kopiuj raport” while Enter pressed
  „Spróbuj ponownie”); an error with no retry has Zamknij, which Enter presses and which closes the window.
- Enter on the focused „Co zaakceptowałem(-am)?” opens it (only Space did).
- The window dragged to 200x150 stops at a minimum (it went down to 390x250, the green button a clipped
  sliver) that still fits the smallest supported screen, every page's main button whole there.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.xserver import missing_for_real_keys, run_walker

_missing = missing_for_real_keys()
pytestmark = pytest.mark.skipif(bool(_missing), reason=f"needs {', '.join(_missing)} (scripts/system-deps.sh)")


def _walk(check: str, lang: str, tmp_path: Path, size=(1366, 768), scale="1") -> dict:
    return run_walker("tests.support.focus_walk", [check, "--lang", lang], tmp_path, size, scale)


@pytest.mark.parametrize("lang", ["pl", "en"])
def test_an_answered_question_never_hands_the_focus_to_rozlacz(lang, tmp_path):
    result = _walk("focus", lang, tmp_path)
    assert result["problems"] == []
    seen = result["seen"]
    assert seen["idle"] == seen["confirm"] == seen["window_again"] == "copyIdButton"
    assert seen["panel"] == "restoreButton"
    assert seen["NET-HTTPS"] == "retryButton"
    assert seen["SEC-UNKNOWN-SUPPORTER"] == "closeButton"
    assert seen["consent"]


@pytest.mark.parametrize(("size", "scale", "lang"), [((1366, 768), "1", "pl"), ((800, 600), "1.5", "en")],
                         ids=["1366x768-100pct-pl", "800x600-150pct-en"])
def test_the_window_stops_at_a_minimum_that_keeps_every_page_readable(size, scale, lang, tmp_path):
    result = _walk("minimum", lang, tmp_path, size, scale)
    assert result["problems"] == []
    width, height = result["smallest"]["size"]
    assert width >= 400 and height >= 300
