"""How numbers are shown to a customer who reads them aloud."""

from __future__ import annotations


def group_id(tv_id: str) -> str:
    """Group a TeamViewer ID in threes from the right, as TeamViewer does: 1660388656 -> 1 660 388 656."""
    digits = "".join(ch for ch in tv_id if ch.isdigit())
    if not digits:
        return tv_id
    head = len(digits) % 3
    groups = [digits[:head]] if head else []
    groups += [digits[i : i + 3] for i in range(head, len(digits), 3)]
    return " ".join(groups)


def format_size(size: int | None, lang: str = "pl") -> str:
    """Bytes in the unit a customer knows, with the decimal mark of `lang` ("pl": comma, else a point):
    340 -> '340 B', 57 426 -> '56,1 kB', 12 345 678 -> '11,8 MB' ('11.8 MB' in English); None -> ''."""
    if size is None:
        return ""
    value, unit = float(size), "B"
    for next_unit in ("kB", "MB", "GB"):
        if value < 1024:
            break
        value, unit = value / 1024, next_unit
    text = f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
    return text.replace(".", ",") if lang == "pl" else text


def format_duration(seconds: float) -> str:
    """m:ss or h:mm:ss for the session timer."""
    total = max(0, int(seconds))
    h, rem = divmod(total, 3600)
    m, s = divmod(rem, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"
