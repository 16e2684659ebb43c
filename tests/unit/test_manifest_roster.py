"""Manifest extensions of issue 15: the signed roster, min_launcher/launcher_url, a newer schema, min_version."""

from __future__ import annotations

import json

import pytest

from launcher.core.errors import LauncherError
from launcher.core.manifest import Consultant, verify_and_parse
from launcher.core.manifest_signing import generate_keypair, sign

PRIV, PUB = generate_keypair()
FUTURE = "2099-01-01T00:00:00Z"
ROSTER = [{"tv_id": "1660360496", "name": "Anna Nowak"}, {"tv_id": "987654321", "name": "Jan Kowalski"}]


def _doc(art_over: dict | None = None, **over: object) -> dict:
    art = {"url": "https://dl.example/qs.tar.gz", "size": 100, "sha256": "a" * 64, "version": "15.61.3",
           "kind": "tar.gz", "entry": "teamviewerqs/teamviewer", **(art_over or {})}
    doc = {"schema": 1, "product": "teamviewer-quicksupport", "serial": 5, "expires": FUTURE,
           "artifacts": {"linux-x86_64": art}}
    doc.update(over)
    return doc


def _parse(doc: dict, **kw: object):
    data = json.dumps(doc).encode()
    return verify_and_parse(data, sign(data, PRIV), [PUB], **kw)  # type: ignore[arg-type]


def _error(doc: dict, **kw: object) -> LauncherError:
    with pytest.raises(LauncherError) as info:
        _parse(doc, **kw)
    return info.value


def test_roster_is_parsed_and_looked_up() -> None:
    manifest = _parse(_doc(consultants=ROSTER))
    assert manifest.consultants == (Consultant("1660360496", "Anna Nowak"), Consultant("987654321", "Jan Kowalski"))
    assert manifest.consultant("1660360496") == Consultant("1660360496", "Anna Nowak")
    assert manifest.consultant("1111111111") is None and manifest.consultant(None) is None


def test_no_roster_is_none_and_empty_roster_lets_nobody_in() -> None:
    assert _parse(_doc()).consultants is None
    empty = _parse(_doc(consultants=[]))
    assert empty.consultants == () and empty.consultant("1660360496") is None


@pytest.mark.parametrize("bad", [
    "1660360496",
    [{"tv_id": 1660360496, "name": "Anna"}],
    [{"tv_id": "12345", "name": "Anna"}],
    [{"tv_id": "0660360496", "name": "Anna"}],
    [{"tv_id": "1660360496", "name": ""}],
    [{"tv_id": "1660360496", "name": "Anna\nNowak"}],
    [{"tv_id": "1660360496"}],
    [{"tv_id": "1660360496", "name": "Anna", "admin": True}],
    [{"tv_id": "1660360496", "name": "Anna"}, {"tv_id": "1660360496", "name": "Ewa"}],
])
def test_malformed_roster_is_man_format(bad: object) -> None:
    assert _error(_doc(consultants=bad)).code == "MAN-FORMAT"


def test_roster_is_covered_by_the_signature() -> None:
    data = json.dumps(_doc(consultants=ROSTER)).encode()
    sig = sign(data, PRIV)
    forged = data.replace(b"987654321", b"123456789")
    with pytest.raises(LauncherError) as info:
        verify_and_parse(forged, sig, [PUB])
    assert info.value.code == "MAN-SIG"


@pytest.mark.parametrize(("mine", "needed", "outdated"), [
    ("0.1.0", "0.2.0", True),
    ("0.2.0", "0.2.0", False),
    ("0.3.0", "0.2.0", False),
    ("0.2.0rc1", "0.2.0", True),  # packaging's rules: a pre-release is older than the release
    ("0.10.0", "0.9.0", False),  # not string order
    ("not-a-version", "0.0.1", True),
])
def test_min_launcher(mine: str, needed: str, outdated: bool) -> None:
    doc = _doc(min_launcher=needed, launcher_url="https://www.ov.overmax.eu/pomoc-zdalna/")
    if outdated:
        exc = _error(doc, launcher_version=mine)
        assert exc.code == "APP-OUTDATED" and exc.url == "https://www.ov.overmax.eu/pomoc-zdalna/"
    else:
        assert _parse(doc, launcher_version=mine).min_launcher == needed


def test_min_launcher_malformed_or_bad_url() -> None:
    assert _error(_doc(min_launcher="soon")).code == "MAN-FORMAT"
    assert _error(_doc(min_launcher=2)).code == "MAN-FORMAT"
    assert _error(_doc(min_launcher="0.2.0", launcher_url="ftp://x/")).code == "MAN-FORMAT"


def test_newer_schema_is_app_outdated_never_man_format() -> None:
    # a later schema may hold keys this launcher has never heard of: still APP-OUTDATED
    exc = _error(_doc(schema=2, somethingnew={"x": 1}, launcher_url="https://www.ov.overmax.eu/new"))
    assert exc.code == "APP-OUTDATED" and exc.url == "https://www.ov.overmax.eu/new"
    assert _error({"schema": 3}).code == "APP-OUTDATED"
    assert _error(_doc(schema=0)).code == "MAN-FORMAT"
    assert _error(_doc(schema="2")).code == "MAN-FORMAT"
    assert _error(_doc(schema=True)).code == "MAN-FORMAT"


def test_newer_schema_still_needs_the_signature() -> None:
    data = json.dumps({"schema": 9}).encode()
    with pytest.raises(LauncherError) as info:
        verify_and_parse(data, sign(b"other", PRIV), [PUB])
    assert info.value.code == "MAN-SIG"


def test_artifact_min_version() -> None:
    art = _parse(_doc({"min_version": "15.50"})).artifact_for("linux-x86_64")
    assert art.min_version == "15.50"
    assert _parse(_doc({"min_version": "15.61.3"})).artifact_for("linux-x86_64").version == "15.61.3"
    assert _error(_doc({"min_version": "15.62"})).code == "MAN-FORMAT"  # the listed build is too old
    assert _error(_doc({"min_version": "15.100.0"})).code == "MAN-FORMAT"
    assert _error(_doc({"min_version": "x y"})).code == "MAN-FORMAT"
    assert _parse(_doc()).artifact_for("linux-x86_64").min_version == ""
