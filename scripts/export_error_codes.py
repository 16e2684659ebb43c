"""Write docs/error-codes.md from the one catalogue in launcher/core/errors.py (a test checks it is current)."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from launcher.core.errors import CATALOGUE  # noqa: E402

TARGET = ROOT / "docs" / "error-codes.md"
STEPS = {"app": "program", "terms": "1 Regulamin", "check": "2 Połączenie", "download": "3 Pobieranie",
         "session": "4 Pomoc zdalna"}


def render() -> str:
    lines = [
        "# Kody błędów / Error codes",
        "",
        "Generated from `launcher/core/errors.py` by `scripts/export_error_codes.py`; do not edit by hand.",
        "Klient widzi kod pod napisem „KOD BŁĘDU” i czyta go konsultantowi.",
        "",
        "| kod | krok | co się stało | co zrobić | what happened | what to do |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for code in sorted(CATALOGUE):
        s = CATALOGUE[code]
        cells = [f"`{code}`", STEPS.get(s.step, s.step), s.what_pl, s.todo_pl, s.what_en, s.todo_en]
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines) + "\n"


def main() -> int:
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    TARGET.write_text(render(), encoding="utf-8")
    print(TARGET.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
