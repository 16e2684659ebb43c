"""Generated documentation is current: error codes from the catalogue, screens from the UI sources."""

from __future__ import annotations

import json
import re

from PySide6.QtGui import QImage

from scripts import export_error_codes, render_screens


def test_error_codes_doc_is_current():
    assert export_error_codes.TARGET.read_text(encoding="utf-8") == export_error_codes.render(), (
        "docs/error-codes.md is stale: run scripts/export_error_codes.py"
    )


def test_committed_screens_were_made_from_the_current_ui():
    index = json.loads((render_screens.OUT / "index.json").read_text(encoding="utf-8"))
    assert index["sources_sha256"] == render_screens.sources_digest(), (
        "docs/screens is stale: run .venv/bin/python scripts/render_screens.py"
    )
    for name in index["files"]:
        assert (render_screens.OUT / name).is_file(), name


def test_every_page_and_error_renders_in_both_languages_at_the_default_size(tmp_path, qapp):
    from launcher.core.errors import CATALOGUE

    files = render_screens.render(tmp_path)
    for lang in ("pl", "en"):
        for page in ("1-terms", "2-check", "3-download", "4-starting", "4-session-waiting",
                     "4-session-connected", "5-ended"):
            assert f"{lang}-{page}.png" in files
        for code in CATALOGUE:
            assert f"{lang}-error-{code}.png" in files
    image = QImage(str(tmp_path / "pl-1-terms.png"))
    assert (image.width(), image.height()) == render_screens.SIZE


def test_consultant_guide_pictures_exist():
    guide = (render_screens.ROOT / "docs" / "consultant-guide.md").read_text(encoding="utf-8")
    pictures = re.findall(r"\]\((screens/[^)]+\.png)\)", guide)
    assert len(pictures) >= 7
    for picture in pictures:
        assert (render_screens.ROOT / "docs" / picture).is_file(), picture
