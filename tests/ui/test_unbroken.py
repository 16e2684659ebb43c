"""A number a customer reads aloud is never broken over two lines: its spaces become no-break ones."""

from __future__ import annotations

from launcher.ui.unbroken import NO_BREAK_SPACE, keep_numbers_whole


def test_the_hotline_number_and_a_grouped_id_are_kept_whole():
    assert keep_numbers_whole("Infolinia techniczna Overmax: 61 653 12 93. Infolinia nieczynna") == \
        f"Infolinia techniczna Overmax: 61{NO_BREAK_SPACE}653{NO_BREAK_SPACE}12{NO_BREAK_SPACE}93. Infolinia nieczynna"
    assert keep_numbers_whole("ID 1 660 388 656: czekamy na konsultanta") == \
        "ID 1\u00a0660\u00a0388\u00a0656: czekamy na konsultanta"


def test_words_and_lone_numbers_still_break_where_they_did():
    for text in ("Krok 4 z 5: Pomoc zdalna", "Próba nr 2 o 02:53:43", "12,4 MB z 31,0 MB, około 8 s",
                 "małe a jak Adam, 1, 2, małe c"):
        assert keep_numbers_whole(text) == text
