"""A customer with only a keyboard, on the real window (Qt's xcb platform on an Xvfb screen with openbox),
real key presses sent through the X server with xdotool, through the whole --demo flow (the loopback demo
server, the QuickSupport stand-in): tests/support/keyboard_walk.py.

Tab from where a page leaves the focus reaches the page's own controls and only named, visible ones (the
page's scroll area was an invisible Tab stop, and Tab went to the footer before the page); Space ticks the
boxes and Enter presses Dalej; the always-on-top panel appears without taking the keyboard; Enter, keypad
Enter and Esc never end a session, also with Rozłącz focused, and Space on it does; a minimised window comes
back to the front on a second start, still on the session page.
"""

from __future__ import annotations

import pytest

from tests.support.xserver import missing_for_real_keys, run_walker

_missing = missing_for_real_keys()
pytestmark = pytest.mark.skipif(bool(_missing), reason=f"needs {', '.join(_missing)} (scripts/system-deps.sh)")


@pytest.mark.parametrize(("size", "scale", "lang"), [((1366, 768), "1", "pl"), ((1024, 600), "1.25", "en")],
                         ids=["1366x768-100pct-pl", "1024x600-125pct-en"])
def test_the_whole_flow_from_the_keyboard(size, scale, lang, tmp_path):
    result = run_walker("tests.support.keyboard_walk", ["--lang", lang], tmp_path, size, scale)
    assert result["problems"] == []
    terms = result["stops"]["terms"]
    assert terms[0] in ("termsView", "originalTermsButton")  # English: "Show the Polish text" comes first
    assert {"termsView", "acceptTerms", "confirmHotline", "consentButton"} <= set(terms)
    assert "disconnectButton" in result["stops"]["session"]
