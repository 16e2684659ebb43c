"""Text that the person on the other end controls, made safe to show and to print on one line.

The supporter's display name and the names and folders of transferred files come from TeamViewer's log,
and the supporter chose them. Shown as they are they can mislead a customer or break what reads them:
`faktura\\u202efdp.exe` reads "fakturaexe.pdf" (the right-to-left override spoof), a U+2028 or `\\r` fakes a
second line in the activity list, the receipt, the log or the `session` command's line-based output (a
fake `LEFT` for a script), an ESC starts a terminal escape sequence, a lone surrogate cannot even be
printed, and a name of 10 000 characters or of stacked combining marks covers the window.

Where the rule applies: where the text enters. `tvlog` passes every text field a log line gives (name,
folder) through `one_line` / `file_name` / `folder_name`, so every display (the session page, the panel,
the activity list, the receipt in text and JSON, the diagnostics report, the log file, the CLI) gets
clean text. The `session` command applies `one_line` again where its lines leave (idempotent), because
its one-line-per-event contract must not rest on every producer of an event. Display-side, `quoted`
sets an unverified name apart from the program's own words. No Qt here; Qt's rich-text interpretation
is the widgets' business (they show this text as plain text).

The rule, by Unicode general category (`unicodedata.category`):
- Cc (C0/C1 controls: NUL, TAB, CR, LF, ESC, NEL...), Zl, Zp and every Zs space, and the "invisible
  letters" used to fake blank names (Hangul fillers, Braille blank): a space. Runs of spaces become one
  (`"raport.pdf      .exe"` shows its real end), ends are trimmed.
- bidi controls (ALM, LRM, RLM, LRE/RLE/PDF/LRO/RLO, LRI/RLI/FSI/PDI): U+FFFD, visibly: something was there.
- other Cf (zero-width space/joiners, soft hyphen, BOM, word joiner, tags...): dropped.
- Cs (lone surrogates), Co (private use), Cn (unassigned, noncharacters): U+FFFD.
- Mn/Me combining marks: at most MAX_MARKS in a row (Polish and Vietnamese need no more; "Zalgo" does).
- NFC-normalised; every other character (letters of any script, digits, punctuation, emoji) kept.
- Longer than `limit` characters: cut, with "…" where the cut is (`tail` characters kept after it: a file
  name keeps its extension in view, as browsers' download lists do).
Applying it twice gives the same text as once.

What real programs do, which this follows (none of their code): Chromium's filename_generation truncates a
file name's body and keeps its extension; Proton's file name display elides in the middle after sanitising
right-to-left characters; MinIO's object browser (PR #2828) replaces U+202E with something visible rather than
hide it; Nextcloud (PR #10030) and CIRCL's PyCIRCLean (issue #11) treat U+202E in a file name as hostile; the
bidi controls are UAX #9's explicit formatting characters and marks.
"""

from __future__ import annotations

import unicodedata

ELLIPSIS = "…"
REPLACEMENT = "\ufffd"
MAX_MARKS = 2  # combining marks in a row after one base character
NAME_LIMIT = 64  # a supporter's display name
FILE_NAME_LIMIT = 80
FOLDER_LIMIT = 120
EXTENSION_KEPT = 12  # at most this many characters of a file name's end stay in view after the cut

# Unicode's explicit directional formatting characters (UAX #9, table 1) and the implicit marks
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# letters (Lo) and symbols that draw nothing: used to fake empty or look-alike names
INVISIBLE_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")
# quote marks an untrusted name could use to step out of the quotes `quoted` puts around it
QUOTE_MARKS = frozenset("\"\u201c\u201d\u201e\u201f\u00ab\u00bb\u2039\u203a\u300c\u300d\u301d\u301e\u301f\uff02")
_QUOTES = {"pl": ("\u201e", "\u201d"), "en": ("\u201c", "\u201d")}


def _char(ch: str) -> str:
    """One character under the rule: itself, " ", REPLACEMENT or ""."""
    if ch in BIDI_CONTROLS:
        return REPLACEMENT
    if ch in INVISIBLE_LETTERS:
        return " "
    category = unicodedata.category(ch)
    if category == "Cc" or category[0] == "Z":
        return " "
    if category == "Cf":
        return ""
    if category in ("Cs", "Co", "Cn"):
        return REPLACEMENT
    return ch


def _cap_marks(text: str) -> str:
    out: list[str] = []
    run = 0
    for ch in text:
        if unicodedata.category(ch) in ("Mn", "Me"):
            run += 1
            if run > MAX_MARKS:
                continue
        else:
            run = 0
        out.append(ch)
    return "".join(out)


def _cut(text: str, limit: int, tail: int) -> str:
    """`text` in at most `limit` characters: head + "…" + the last `tail` characters."""
    if len(text) <= limit:
        return text
    tail = max(0, min(tail, limit // 2))
    head = text[: limit - 1 - tail].rstrip()
    # a cut between a letter and its combining marks would leave the marks on the ellipsis
    end = text[len(text) - tail:].lstrip() if tail else ""
    while end and unicodedata.category(end[0]) in ("Mn", "Me"):
        end = end[1:]
    return f"{head}{ELLIPSIS}{end}"


def _clean(text: str) -> str:
    """The rule without the length cap."""
    text = "".join(_char(ch) for ch in text)
    text = unicodedata.normalize("NFC", text)
    text = unicodedata.normalize("NFC", _cap_marks(text))
    return " ".join(text.split())  # every space is " " by now: runs become one, ends go


def one_line(text: str | None, limit: int = NAME_LIMIT, *, tail: int = 0) -> str:
    """`text` under the module's rule: one line, nothing invisible or direction-changing, at most `limit`
    characters (`tail` of them from its end after an ellipsis). None or nothing left gives ""."""
    return _cut(_clean(text), limit, tail) if text else ""


def file_name(text: str | None, limit: int = FILE_NAME_LIMIT) -> str:
    """A file's name under the rule; cut in the middle so that its extension (up to EXTENSION_KEPT
    characters of its end) always shows: "bardzo-dlugi…faktura.pdf.exe"."""
    clean = _clean(text) if text else ""
    dot = clean.rfind(".")
    extension = len(clean) - dot if dot > 0 else 0
    return _cut(clean, limit, min(max(extension + 4, 8), EXTENSION_KEPT))


def folder_name(text: str | None, limit: int = FOLDER_LIMIT) -> str:
    """A folder's path under the rule; cut in the middle: its drive and its last folders show."""
    return one_line(text, limit, tail=limit // 2)


def quoted(text: str, lang: str = "pl") -> str:
    """`text` (already under the rule) in the language's quotes, its own quote marks turned into `'` so that
    it cannot close the quotes early and put words of its own outside them: „Jan” (zweryfikowany) „x”."""
    opening, closing = _QUOTES.get(lang, _QUOTES["pl"])
    inner = "".join("'" if ch in QUOTE_MARKS else ch for ch in text)
    return f"{opening}{inner}{closing}"
