"""Text files as Windows and other editors save them: UTF-8 with or without a BOM, UTF-16 (Notepad's
"Unicode", LE or BE, with a BOM or without), or the ANSI code page (older Notepad's default). Line ends
CRLF, LF or CR alike. Standard library only, so the config can use it before anything heavy is loaded."""

from __future__ import annotations

import codecs
import contextlib
import sys

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def ansi_code_page() -> str:
    """Windows' ANSI code page (cp1250 on Polish Windows); elsewhere cp1250, since our customers are Polish."""
    if sys.platform == "win32":
        import locale

        with contextlib.suppress(Exception):
            name = locale.getencoding()
            codecs.lookup(name)
            return name
    return "cp1250"


def detect_encoding(data: bytes) -> tuple[str | None, int]:
    """(encoding, BOM length) from a BOM or UTF-16's NUL bytes; (None, 0) for an 8-bit text."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name, len(bom)
    sample = data[:400]
    if len(sample) >= 4:
        even, odd = sample[0::2].count(0), sample[1::2].count(0)
        if odd >= len(sample) // 4 and odd > 2 * even:
            return "utf-16-le", 0
        if even >= len(sample) // 4 and even > 2 * odd:
            return "utf-16-be", 0
    return None, 0


def decode_text(data: bytes, ansi: str | None = None) -> str:
    """`data` as text, line ends as "\\n". UnicodeDecodeError only for a broken UTF-16/32 file; an 8-bit
    file that is not UTF-8 is read in `ansi` (default ansi_code_page())."""
    encoding, skip = detect_encoding(data)
    if encoding is not None:
        text = data[skip:].decode(encoding)
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode(ansi or ansi_code_page())
    return text.replace("\r\n", "\n").replace("\r", "\n")
