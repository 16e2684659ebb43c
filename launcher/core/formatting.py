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


def format_bytes(n: int) -> str:
    """Megabytes with one decimal, Polish decimal comma: 12 345 678 -> '11,8 MB'."""
    return f"{n / (1024 * 1024):.1f} MB".replace(".", ",")


def format_duration(seconds: float) -> str:
    """m:ss or h:mm:ss for the session timer."""
    total = max(0, int(seconds))
    h, rem = divmod(total, 3600)
    m, s = divmod(rem, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"
