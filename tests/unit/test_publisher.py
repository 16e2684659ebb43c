"""Publisher checks: pure parsers on every OS; Authenticode logic with PE files signed here by a test CA."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from launcher.core.errors import LauncherError
from launcher.core.manifest import Artifact
from launcher.core.publisher import (
    check_publisher,
    osslsigncode_check,
    parse_codesign_display,
    parse_dn,
    parse_osslsigncode_verify,
    subject_matches,
    team_id_matches,
)
from tests.support.authenticode import Pki, make_pki

TV = "TeamViewer Germany GmbH"
TV_DN = f"/C=DE/L=Goeppingen/O={TV}/CN={TV}"


def test_parse_dn_both_styles() -> None:
    assert parse_dn(TV_DN)["CN"] == TV
    assert parse_dn(f"CN={TV}, O={TV}, C=DE") == {"CN": TV, "O": TV, "C": "DE"}


@pytest.mark.parametrize(("cn", "ok"), [(TV, True), (f" {TV} ", True), ("TeamViewer Germany GmbH Evil", False),
                                        ("TeamViewer", False), ("teamviewer germany gmbh", False), ("", False)])
def test_subject_match_is_exact(cn: str, ok: bool) -> None:
    assert subject_matches(cn, TV) is ok


def test_empty_expected_publisher_never_matches() -> None:
    assert not subject_matches("", "")


CODESIGN = """Executable=/x/TeamViewerQS.app/Contents/MacOS/TeamViewerQS
Identifier=com.teamviewer.TeamViewerQS
Format=app bundle with Mach-O universal (x86_64 arm64)
Authority=Developer ID Application: TeamViewer Germany GmbH (H7UGFBUGV6)
Authority=Developer ID Certification Authority
Authority=Apple Root CA
TeamIdentifier=H7UGFBUGV6
"""


def test_codesign_display_parsing() -> None:
    fields = parse_codesign_display(CODESIGN)
    assert fields["TeamIdentifier"] == "H7UGFBUGV6"
    assert fields["Authority"].startswith("Developer ID Application: TeamViewer")
    assert team_id_matches(fields, "H7UGFBUGV6")
    assert not team_id_matches(fields, "ABCDEFGHIJ")
    assert not team_id_matches({"TeamIdentifier": "not set"}, "not set")


def test_osslsigncode_output_parsing() -> None:
    good = ("Signer's certificate:\n\t------------------\n\tSigner #0:\n\t\tSubject: " + TV_DN +
            "\n\t\tIssuer : /CN=X\nSignature verification: ok\n\nNumber of verified signatures: 1\nSucceeded\n")
    assert parse_osslsigncode_verify(good, 0).signer_cn == TV
    assert parse_osslsigncode_verify(good, 0).ok
    bad = good.replace("verification: ok", "verification: failed").replace("Succeeded", "Failed")
    assert not parse_osslsigncode_verify(bad, 1).ok
    assert "MISMATCH" not in good and not parse_osslsigncode_verify(good + "MISMATCH!!!", 0).ok


def _art(kind: str, **kw: str) -> Artifact:
    return Artifact(platform="x", url="https://h/x", size=1, sha256="0" * 64, version="1", kind=kind, **kw)


def test_linux_says_the_hash_is_the_check(tmp_path: Path) -> None:
    f = tmp_path / "qs.tar.gz"
    f.write_bytes(b"x")
    line = check_publisher(f, _art("tar.gz", entry="a/b"))
    assert "sha256" in line and f.exists()


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="on this OS the real check runs")
def test_uncheckable_kind_is_refused_and_deleted(tmp_path: Path) -> None:
    f = tmp_path / "qs.exe"
    f.write_bytes(b"MZ")
    with pytest.raises(LauncherError) as info:
        check_publisher(f, _art("exe", publisher=TV))
    assert info.value.code == "DL-PUBLISHER" and not f.exists()
    f.write_bytes(b"MZ")
    with pytest.raises(LauncherError):
        check_publisher(f, _art("exe", publisher=TV), delete_on_failure=False)
    assert f.exists()


# --- Authenticode with osslsigncode and a test CA


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    made = make_pki(tmp_path_factory.mktemp("pki"))
    if made is None:
        pytest.skip("openssl and osslsigncode are needed for Authenticode tests")
    return made


def test_signed_by_trusted_ca_with_right_subject(pki: Pki, tmp_path: Path) -> None:
    exe = pki.signed_pe(tmp_path / "good.exe", *pki.signer("tv", f"/C=DE/O={TV}/CN={TV}"))
    assert TV in osslsigncode_check(exe, TV, ca_file=pki.ca_pem)


def test_untrusted_signer(pki: Pki, tmp_path: Path) -> None:
    exe = pki.signed_pe(tmp_path / "rogue.exe", *pki.signer("rogue-tv", f"/O={TV}/CN={TV}", ca="rogue"))
    with pytest.raises(LauncherError) as info:
        osslsigncode_check(exe, TV, ca_file=pki.ca_pem)
    assert info.value.code == "DL-PUBLISHER"


def test_wrong_subject(pki: Pki, tmp_path: Path) -> None:
    exe = pki.signed_pe(tmp_path / "other.exe", *pki.signer("other", "/O=Other Vendor/CN=Other Vendor"))
    with pytest.raises(LauncherError) as info:
        osslsigncode_check(exe, TV, ca_file=pki.ca_pem)
    assert "Other Vendor" in info.value.detail


def test_flipped_byte(pki: Pki, tmp_path: Path) -> None:
    exe = pki.signed_pe(tmp_path / "flip.exe", *pki.signer("tv2", f"/O={TV}/CN={TV}"))
    data = bytearray(exe.read_bytes())
    data[0x200] ^= 0x01  # inside .text, covered by the Authenticode digest
    exe.write_bytes(bytes(data))
    with pytest.raises(LauncherError) as info:
        osslsigncode_check(exe, TV, ca_file=pki.ca_pem)
    assert "mismatch" in info.value.detail


def test_unsigned(pki: Pki, tmp_path: Path) -> None:
    from tests.support.authenticode import tiny_pe

    exe = tmp_path / "plain.exe"
    exe.write_bytes(tiny_pe())
    with pytest.raises(LauncherError):
        osslsigncode_check(exe, TV, ca_file=pki.ca_pem)
