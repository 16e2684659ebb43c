"""The real window's layout where a customer guided by phone meets it: Qt's xcb platform on an Xvfb screen with
openbox, the window at the size it opens at, real clicks and wheel turns (tests/support/layout_walk.py).

- The session page's ID, password, their Kopiuj buttons and Rozłącz keep their place and size while the
  customer reads them out: the consultant joining (the intro under them goes), Kopiuj („Skopiowano ID.”),
  Przeliteruj, the consultant leaving. They moved by 30-69 px when a consultant joined or when „Skopiowano
  ID.” appeared (the title above them went on a short window), and sideways when the page's scroll bar came.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.xserver import missing_for_real_keys, run_walker

_missing = missing_for_real_keys()
pytestmark = pytest.mark.skipif(bool(_missing), reason=f"needs {', '.join(_missing)} (scripts/system-deps.sh)")


def _walk(check: str, lang: str, tmp_path: Path, size=(1366, 768), scale="1") -> dict:
    return run_walker("tests.support.layout_walk", [check, "--lang", lang], tmp_path, size, scale)


# the window's own 860x640 (1366x768), a short window (1024x600, 1280x720 at 125 %: the title gives its
# room there) and a short wide one (1366x768 at 150 %), where the page's scroll bar comes and goes
STEADY = [((1366, 768), "1", "pl"), ((1024, 600), "1", "en"), ((1280, 720), "1.25", "pl"), ((1366, 768), "1.5", "en")]


@pytest.mark.parametrize(("size", "scale", "lang"), STEADY,
                         ids=[f"{w}x{h}-{round(float(s) * 100)}pct-{lang}" for (w, h), s, lang in STEADY])
def test_the_id_password_and_rozlacz_stay_where_they_are(size, scale, lang, tmp_path):
    result = _walk("steady", lang, tmp_path, size, scale)
    assert result["problems"] == []
    assert list(result["stages"]) == ["password read", "consultant joined", "ID copied", "password copied",
                                      "password spelled", "consultant left"]


# short screens, where the Regulamin's box starts below the fold and the boxes and Dalej's hint under it too
WHEEL = [((1024, 600), "1.5", "pl"), ((1366, 768), "2", "en")]


@pytest.mark.parametrize(("size", "scale", "lang"), WHEEL,
                         ids=[f"{w}x{h}-{round(float(s) * 100)}pct-{lang}" for (w, h), s, lang in WHEEL])
def test_the_wheel_over_the_regulamin_reaches_the_boxes_under_it(size, scale, lang, tmp_path):
    """Real wheel turns (xdotool's buttons 4 and 5): the page the wheel is scrolling goes on to its end when
    the Regulamin's box comes under the pointer (it stopped there, the wheel scrolling the text instead, tens
    of turns before the boxes came); the text itself scrolls to its end once the pointer moves over it; turned
    back, the text and the page go back up."""
    result = _walk("wheel", lang, tmp_path, size, scale)
    assert result["problems"] == []
    assert result["start"]["page"][1] > 0  # the page does scroll on this screen
    assert result["down"]["page"][0] == result["down"]["page"][1] and result["up"]["page"] == 0


@pytest.mark.parametrize("lang", ["pl", "en"])
def test_the_panel_is_as_compact_in_english_with_no_text_cut_off(lang, tmp_path):
    """The always-on-top panel, in each state (waiting, a verified consultant with a long name and a file sent,
    the question, someone outside Overmax, ending), stays at its minimum width, 340 px (CompactPanel: room for
    „Pokaż okno” and Rozłącz side by side and a status of a few words a line): its texts wrap rather than
    widen it, in English too; every label and button shows all its text (no wrapped line cut off)."""
    result = _walk("panel", lang, tmp_path)
    assert result["problems"] == []
    assert all(width <= 340 for width, _height in result["sizes"].values()), result["sizes"]
