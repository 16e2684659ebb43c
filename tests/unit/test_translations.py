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


@pytest.mark.parametrize("lang", translations.LANGUAGES)
def test_a_label_named_in_quotes_is_translated_as_the_label_itself_reads(lang):
    """A sentence that names a button or field in quotes („Pokaż okno TeamViewer”) must name it in the other
    language exactly as that label's own translation reads: the English hint said “Show TeamViewer window” for
    a button that reads “Show the TeamViewer window”, and a customer looks for the words they are told."""
    import re

    from launcher.core.errors import CATALOGUE

    pairs = [(m.find("source").text, m.find("translation").text or "")
             for m in ET.parse(translations.ts_path(lang)).getroot().iter("message")]
    pairs += [(spec.what_pl + " " + spec.todo_pl, spec.what_en + " " + spec.todo_en) for spec in CATALOGUE.values()]
    labels = {source: target for source, target in pairs if "„" not in source}
    checked = 0
    for source, target in pairs:
        named = [name for name in re.findall(r"„([^”]+)”", source) if name in labels]
        for name in named:
            checked += 1
            assert f"“{labels[name]}”" in target, (name, labels[name], target)
    assert checked >= 3  # the check has something to check: these sentences name labels today
