"""Every UI string is translated, and no translation is left over for a string the code no longer has."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET

import pytest
from PySide6.QtCore import QCoreApplication, QTranslator

from scripts import translations


@pytest.mark.parametrize("lang", translations.LANGUAGES)
def test_ts_is_complete_and_has_no_unused_strings(tmp_path, lang):
    fresh = tmp_path / f"launcher_{lang}.ts"
    shutil.copy(translations.ts_path(lang), fresh)
    translations.update(lang, ts=fresh, no_obsolete=False)  # what the code has now, merged with what we have
    untranslated, unused = [], []
    for message in ET.parse(fresh).getroot().iter("message"):
        source = message.find("source").text
        tr = message.find("translation")
        kind = tr.get("type")
        if kind in ("obsolete", "vanished"):
            unused.append(source)
        elif kind == "unfinished" or not (tr.text or "").strip():
            untranslated.append(source)
    assert not untranslated, f"untranslated strings (run scripts/translations.py update, translate): {untranslated}"
    assert not unused, f"strings no longer in the code (run scripts/translations.py update): {unused}"


@pytest.mark.parametrize("lang", translations.LANGUAGES)
def test_placeholders_survive_translation(lang):
    import re

    for message in ET.parse(translations.ts_path(lang)).getroot().iter("message"):
        source = message.find("source").text
        target = message.find("translation").text or ""
        assert set(re.findall(r"{\w+}", source)) == set(re.findall(r"{\w+}", target)), source


def test_qm_builds_and_translates(tmp_path, qapp):
    qm = translations.build("en", out_dir=tmp_path)
    translator = QTranslator()
    assert translator.load(str(qm))
    QCoreApplication.installTranslator(translator)
    try:
        assert QCoreApplication.translate("TermsPage", "Dalej") == "Next"
        assert QCoreApplication.translate("SessionPage", "Rozłącz") == "Disconnect"
    finally:
        QCoreApplication.removeTranslator(translator)
