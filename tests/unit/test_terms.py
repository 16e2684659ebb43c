from __future__ import annotations

import hashlib
import json
import os
import sys
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from launcher.core.errors import LauncherError
from launcher.core.terms import (
    EMAIL_FALLBACK,
    REGULAMIN_VERSION,
    last_consent,
    load_regulamin,
    record_consent,
)
from launcher.resources import resource_path


def test_regulamin_points_title_and_email():
    reg = load_regulamin("pomoc@example.pl")
    assert reg.version == REGULAMIN_VERSION == "01.09.2018"
    assert reg.title == "REGULAMIN POMOCY ZDALNEJ"
    numbered = [p for p in reg.points if p[0]]
    assert [n for n, _ in numbered] == [str(i) for i in range(1, 17)]
    assert numbered[0][1].startswith("Warunkiem koniecznym")
    assert "61 653 12 93" in numbered[8][1]  # point 9: the hotline number
    closing = reg.points[-1]
    assert closing[0] == ""
    assert "pod adresem pomoc@example.pl. Zastrzegamy" in closing[1]
    assert closing[1].endswith("Data utworzenia: 01.09.2018")
    assert "{email}" not in reg.text


def test_sha256_is_of_the_exact_text_shown():
    reg = load_regulamin("pomoc@example.pl")
    assert reg.sha256 == hashlib.sha256(reg.text.encode("utf-8")).hexdigest()
    shipped = resource_path("regulamin.txt").read_text(encoding="utf-8")
    assert reg.text == shipped.replace("{email}", "pomoc@example.pl.")
    # a different e-mail is different text shown, so a different hash
    assert load_regulamin("inny@example.pl").sha256 != reg.sha256


def test_empty_email_points_at_the_website():
    reg = load_regulamin("  ")
    assert EMAIL_FALLBACK in reg.text
    assert "https://www.ov.overmax.eu/pomoc-zdalna" in reg.points[-1][1]


@pytest.mark.parametrize("language", ["pl", "en"])
@pytest.mark.parametrize("email", ["pomoc@example.pl", ""])
def test_the_contact_sentence_reads_right_with_and_without_an_email(language, email):
    """Without an e-mail it once read "pod adresem adres podany na stronie ...": now a sentence either way."""
    closing = load_regulamin(email, language=language).points[-1][1]
    first, rest = closing.split(". ", 1)
    words = {"pl": ("Wszelkie zapytania bądź zastrzeżenia należy zgłaszać ", "Zastrzegamy"),
             "en": ("All questions or complaints should be ", "We reserve")}[language]
    assert first.startswith(words[0]) and rest.startswith(words[1])
    if email:
        assert first.endswith(("pod adresem " if language == "pl" else "sent to ") + email)
        assert f"{email}. {words[1]}" in closing
    else:
        assert first.endswith(("za pośrednictwem strony " if language == "pl" else "submitted through the page ")
                              + "https://www.ov.overmax.eu/pomoc-zdalna")
        assert "adres" not in closing and "sent to" not in closing
        assert closing.count("https://www.ov.overmax.eu/pomoc-zdalna. ") == 1
    assert "{email}" not in closing


def test_english_is_a_translation_naming_the_binding_polish_text():
    polish = load_regulamin("pomoc@example.pl")
    english = load_regulamin("pomoc@example.pl", language="en")
    assert not polish.is_translation and english.is_translation
    assert english.binding_sha256 == polish.sha256 != english.sha256
    assert "translation" in english.title and "Polish text is binding" in english.title
    assert [n for n, _ in english.points if n] == [n for n, _ in polish.points if n]  # point for point
    assert "61 653 12 93" in english.points[8][1] and "BrandLineGroup" in english.points[1][1]
    assert "Warunkiem" not in english.text


def test_consent_record_names_the_text_shown_and_the_binding_one(data_dir: Path):
    english = load_regulamin("", language="en")
    record = record_consent(data_dir / "consent.jsonl", english, app_version="0.1.0", language="en",
                            accepted_terms=True, confirmed_hotline=True)
    assert record["regulamin_sha256"] == english.sha256
    assert record["regulamin_language"] == "en"
    assert record["regulamin_binding_sha256"] == load_regulamin("").sha256
    polish = record_consent(data_dir / "consent.jsonl", load_regulamin(""), app_version="0.1.0", language="en",
                            accepted_terms=True, confirmed_hotline=True)
    assert polish["regulamin_language"] == "pl" and "regulamin_binding_sha256" not in polish


def test_missing_regulamin_is_terms_missing(tmp_path: Path):
    with pytest.raises(LauncherError) as info:
        load_regulamin("a@b.pl", path=tmp_path / "nope.txt")
    assert info.value.code == "TERMS-MISSING"
    empty = tmp_path / "empty.txt"
    empty.write_text("\n", encoding="utf-8")
    with pytest.raises(LauncherError) as info:
        load_regulamin("a@b.pl", path=empty)
    assert info.value.code == "TERMS-MISSING"


def test_record_consent_appends_json_lines(data_dir: Path):
    reg = load_regulamin("pomoc@example.pl")
    path = data_dir / "consent.jsonl"
    when = datetime(2026, 3, 2, 10, 15, 30, tzinfo=timezone(timedelta(hours=1)))
    first = record_consent(path, reg, app_version="0.1.0", language="pl", accepted_terms=True,
                           confirmed_hotline=True, now=when)
    assert first == {
        "time": "2026-03-02T09:15:30Z",
        "regulamin_version": "01.09.2018",
        "regulamin_sha256": reg.sha256,
        "regulamin_language": "pl",
        "app_version": "0.1.0",
        "language": "pl",
        "accepted_terms": True,
        "confirmed_hotline": True,
    }
    second = record_consent(path, reg, app_version="0.1.0", language="en", accepted_terms=True,
                            confirmed_hotline=True)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == [first, second]
    assert second["time"].endswith("Z")
    assert datetime.fromisoformat(second["time"].replace("Z", "+00:00")) <= datetime.now(UTC)
    assert last_consent(path) == second
    if sys.platform != "win32":
        assert (path.stat().st_mode & 0o777) == 0o600


@pytest.mark.parametrize("accepted,confirmed", [(True, False), (False, True), (False, False)])
def test_record_consent_refuses_without_both(data_dir: Path, accepted: bool, confirmed: bool):
    path = data_dir / "consent.jsonl"
    with pytest.raises(ValueError):
        record_consent(path, load_regulamin(""), app_version="0.1.0", language="pl",
                       accepted_terms=accepted, confirmed_hotline=confirmed)
    assert not path.exists()


def test_record_consent_write_failure_is_terms_record(tmp_path: Path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(LauncherError) as info:
        record_consent(blocker / "consent.jsonl", load_regulamin(""), app_version="0.1.0", language="pl",
                       accepted_terms=True, confirmed_hotline=True)
    assert info.value.code == "TERMS-RECORD"


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0, reason="needs POSIX permissions, not root")
def test_record_consent_read_only_folder_is_terms_record(tmp_path: Path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(LauncherError) as info:
            record_consent(folder / "consent.jsonl", load_regulamin(""), app_version="0.1.0", language="pl",
                           accepted_terms=True, confirmed_hotline=True)
        assert info.value.code == "TERMS-RECORD"
    finally:
        folder.chmod(0o700)


def test_last_consent_tolerates_torn_and_garbage_lines(data_dir: Path):
    path = data_dir / "consent.jsonl"
    assert last_consent(path) is None
    reg = load_regulamin("")
    good = record_consent(path, reg, app_version="0.1.0", language="pl", accepted_terms=True,
                          confirmed_hotline=True, now=datetime(2026, 1, 5, 9, 0, tzinfo=UTC))
    with open(path, "ab") as fh:
        fh.write(b"\xff\xfegarbage\n[1, 2]\n{\"time\": \"x\", \"accepted_terms\": false}\n")
        fh.write(b"[" * 100_000 + b"]" * 100_000 + b"\n")  # nested too deeply for json: skipped as garbage
        fh.write(b'{"time": "2026-01-06T09:00:00Z", "regulamin_ver')  # torn: a crash mid-write
    assert last_consent(path) == good
    # the next record closes off the torn tail and becomes the newest
    newer = record_consent(path, reg, app_version="0.2.0", language="pl", accepted_terms=True,
                           confirmed_hotline=True, now=datetime(2026, 1, 7, 9, 0, tzinfo=UTC))
    assert last_consent(path) == newer


def test_last_consent_only_garbage_is_none(data_dir: Path):
    path = data_dir / "consent.jsonl"
    path.write_bytes(b"\x00\x01\nnot json\n")
    assert last_consent(path) is None
