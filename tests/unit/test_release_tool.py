"""installer/release_tool.py end to end: keygen, build (with the Authenticode gate), verify."""

from __future__ import annotations

import os
import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest

from installer import release_tool
from launcher.core.manifest import verify_and_parse
from tests.support.authenticode import Pki, make_pki

TV = "TeamViewer Germany GmbH"


def _keygen(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[Path, str]:
    assert release_tool.main(["keygen", "--out", str(tmp_path / "keys")]) == 0
    out = capsys.readouterr().out
    public = out.split("public key:", 1)[1].split()[0]
    (key,) = (tmp_path / "keys").glob("*.key")
    assert f'public_keys = ["{public}"]' in out
    return key, public


def test_keygen_private_key_is_0600(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    key, _ = _keygen(tmp_path, capsys)
    if os.name == "posix":
        assert stat.S_IMODE(key.stat().st_mode) == 0o600


def test_keygen_refuses_the_repo(capsys: pytest.CaptureFixture[str]) -> None:
    assert release_tool.main(["keygen", "--out", str(release_tool.REPO / "resources")]) == 2
    assert not list((release_tool.REPO / "resources").glob("*.key"))


def test_artifact_argument_parsing() -> None:
    assert release_tool.parse_artifact_arg("linux-x86_64=/a/b.tar.gz:https://h:8443/x.tar.gz:15.61.3") == (
        "linux-x86_64", Path("/a/b.tar.gz"), "https://h:8443/x.tar.gz", "15.61.3")
    with pytest.raises(Exception, match="unknown platform"):
        release_tool.parse_artifact_arg("beos-x86=/a:https://h/x:1")


def test_build_and_verify_linux(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    key, public = _keygen(tmp_path, capsys)
    art = tmp_path / "teamviewer_qs.tar.gz"
    art.write_bytes(b"tarball bytes")
    out = tmp_path / "out"
    rc = release_tool.main(["build", "--artifact", f"linux-x86_64={art}:https://dl.example/qs.tar.gz:15.61.3",
                            "--serial", "7", "--expires", "30d", "--key", str(key), "--out", str(out)])
    assert rc == 0
    data, sig = (out / "manifest.json").read_bytes(), (out / "manifest.json.sig").read_bytes()
    manifest = verify_and_parse(data, sig, [public])
    assert manifest.serial == 7 and manifest.artifact_for("linux-x86_64").size == len(b"tarball bytes")
    assert manifest.expires > datetime.now(UTC)
    args = ["verify", "--manifest", str(out / "manifest.json"), "--sig", str(out / "manifest.json.sig")]
    assert release_tool.main([*args, "--pubkey", public]) == 0
    _, other = release_tool.generate_keypair()
    assert release_tool.main([*args, "--pubkey", other]) == 1
    assert "MAN-SIG" in capsys.readouterr().err


def test_build_says_the_name_launchers_ask_for_and_writes_it_with_name(tmp_path: Path,
                                                                       capsys: pytest.CaptureFixture[str]) -> None:
    """The built-in manifest.url ends in quicksupport.json: a manifest uploaded as the tool wrote it
    (manifest.json) was a 404 for every launcher (contracts review). The build now says so, and --name writes
    the name the launchers ask for; its serial check reads that file."""
    key, public = _keygen(tmp_path, capsys)
    art = tmp_path / "teamviewer_qs.tar.gz"
    art.write_bytes(b"tarball bytes")
    out = tmp_path / "out"
    base = ["build", "--artifact", f"linux-x86_64={art}:https://dl.example/qs.tar.gz:15.61.3", "--expires", "30d",
            "--key", str(key), "--out", str(out)]
    assert release_tool.main([*base, "--serial", "1"]) == 0
    said = capsys.readouterr().out
    assert "upload manifest.json as quicksupport.json and manifest.json.sig as quicksupport.json.sig" in said
    assert release_tool.main([*base, "--serial", "2", "--name", "quicksupport.json"]) == 0
    assert "upload" not in capsys.readouterr().out
    data, sig = (out / "quicksupport.json").read_bytes(), (out / "quicksupport.json.sig").read_bytes()
    assert verify_and_parse(data, sig, [public]).serial == 2
    assert release_tool.main([*base, "--serial", "2", "--name", "quicksupport.json"]) == 2  # not higher
    assert "not higher than serial 2" in capsys.readouterr().err
    for bad in ("", "a/b.json", ".."):
        assert release_tool.main([*base, "--serial", "3", "--name", bad]) == 2


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    made = make_pki(tmp_path_factory.mktemp("pki"))
    if made is None:
        pytest.skip("openssl and osslsigncode are needed")
    return made


def _build_windows(tmp_path: Path, key: Path, exe: Path, pki: Pki) -> int:
    return release_tool.main(["build", "--artifact", f"windows-x86_64={exe}:https://dl.example/qs.exe:15.61.3",
                              "--serial", "3", "--expires", "2099-01-01T00:00:00Z", "--key", str(key),
                              "--out", str(tmp_path / "out"), "--ca-file", str(pki.ca_pem)])


def test_build_checks_authenticode_signer(tmp_path: Path, pki: Pki, capsys: pytest.CaptureFixture[str]) -> None:
    key, public = _keygen(tmp_path, capsys)
    good = pki.signed_pe(tmp_path / "good.exe", *pki.signer("tv", f"/O={TV}/CN={TV}"))
    assert _build_windows(tmp_path, key, good, pki) == 0
    manifest = verify_and_parse((tmp_path / "out/manifest.json").read_bytes(),
                                (tmp_path / "out/manifest.json.sig").read_bytes(), [public])
    assert manifest.artifact_for("windows-x86_64").publisher == TV


def test_build_refuses_wrong_signer(tmp_path: Path, pki: Pki, capsys: pytest.CaptureFixture[str]) -> None:
    key, _ = _keygen(tmp_path, capsys)
    bad = pki.signed_pe(tmp_path / "bad.exe", *pki.signer("evil", "/O=Evil Ltd/CN=Evil Ltd"))
    assert _build_windows(tmp_path, key, bad, pki) == 1
    assert "refusing to sign" in capsys.readouterr().err
    assert not (tmp_path / "out" / "manifest.json").exists()


def test_build_with_roster_and_min_launcher(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    key, public = _keygen(tmp_path, capsys)
    art = tmp_path / "teamviewer_qs.tar.gz"
    art.write_bytes(b"tarball bytes")
    roster = tmp_path / "roster.tsv"
    roster.write_text("# Overmax consultants\n1660360496\tAnna Nowak\n\n987 654 321; Jan Kowalski \n", "utf-8")
    out = tmp_path / "out"
    rc = release_tool.main(["build", "--artifact", f"linux-x86_64={art}:https://dl.example/qs.tar.gz:15.61.3",
                            "--serial", "7", "--expires", "30d", "--key", str(key), "--out", str(out),
                            "--consultants", str(roster), "--min-launcher", "0.2.0",
                            "--launcher-url", "https://www.ov.overmax.eu/pomoc-zdalna/",
                            "--min-version", "linux-x86_64=15.50"])
    assert rc == 0
    manifest = verify_and_parse((out / "manifest.json").read_bytes(), (out / "manifest.json.sig").read_bytes(),
                                [public])
    assert [(c.tv_id, c.name) for c in manifest.consultants or ()] == [
        ("1660360496", "Anna Nowak"), ("987654321", "Jan Kowalski")]
    assert manifest.min_launcher == "0.2.0" and manifest.artifact_for("linux-x86_64").min_version == "15.50"
    assert release_tool.main(["verify", "--manifest", str(out / "manifest.json"), "--sig",
                              str(out / "manifest.json.sig"), "--pubkey", public]) == 0
    assert "Anna Nowak" in capsys.readouterr().out


def test_bad_roster_file_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    key, _ = _keygen(tmp_path, capsys)
    art = tmp_path / "qs.tar.gz"
    art.write_bytes(b"x")
    roster = tmp_path / "roster.tsv"
    roster.write_text("1660360496\tAnna Nowak\n12345\tShort Id\n", "utf-8")
    rc = release_tool.main(["build", "--artifact", f"linux-x86_64={art}:https://dl.example/qs.tar.gz:15.61.3",
                            "--serial", "7", "--expires", "30d", "--key", str(key), "--out", str(tmp_path / "o"),
                            "--consultants", str(roster)])
    assert rc == 2 and ":2:" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_build_refuses_a_serial_not_higher_than_the_last_published(tmp_path: Path,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    """Re-signing serial 7 (a consultant taken off the roster) would leave the first serial-7 manifest, with
    that consultant, accepted beside it until it expires: launchers accept the serial they already hold."""
    key, public = _keygen(tmp_path, capsys)
    art = tmp_path / "teamviewer_qs.tar.gz"
    art.write_bytes(b"tarball bytes")
    out = tmp_path / "out"

    def build(serial: int, *extra: str) -> int:
        return release_tool.main(["build", "--artifact", f"linux-x86_64={art}:https://dl.example/qs.tar.gz:1",
                                  "--serial", str(serial), "--expires", "30d", "--key", str(key),
                                  "--out", str(out), *extra])

    assert build(7) == 0
    published = (out / "manifest.json").read_bytes()
    capsys.readouterr()
    assert build(7) == 2 and build(6) == 2
    assert "not higher than serial 7" in capsys.readouterr().err
    assert (out / "manifest.json").read_bytes() == published  # nothing written over
    assert build(8) == 0
    elsewhere = tmp_path / "last" / "manifest.json"
    elsewhere.parent.mkdir()
    elsewhere.write_bytes((out / "manifest.json").read_bytes())
    out = tmp_path / "fresh"
    assert build(8, "--previous", str(elsewhere)) == 2
    assert build(9, "--previous", str(elsewhere)) == 0
    elsewhere.write_text("not json")
    assert build(10, "--previous", str(elsewhere)) == 2
    assert "not a readable manifest" in capsys.readouterr().err
