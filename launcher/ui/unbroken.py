"""Numbers a customer reads aloud over the phone never broken over two lines of a word-wrapped label.

"Infolinia techniczna Overmax: 61 653 12" / "93" and "ID 1 660" / "388 656" were seen on a 800x600 screen at
150 %: a customer reading the second line alone says a wrong number. The spaces inside a number grouped
with spaces (the hotline's phone number, a TeamViewer ID as TeamViewer groups it) become no-break spaces
(U+00A0); the text reads and copies the same, a screen reader says the same, only a line never breaks there.
"""

from __future__ import annotations

import re

NO_BREAK_SPACE = "\u00a0"
_GROUPED_NUMBER = re.compile(r"\d+(?: \d+)+")


def keep_numbers_whole(text: str) -> str:
    """`text` with every run of space-separated digit groups ("61 653 12 93", "1 660 388 656") joined by
    no-break spaces; everything else as it was."""
    return _GROUPED_NUMBER.sub(lambda match: match.group(0).replace(" ", NO_BREAK_SPACE), text)
