"""DESIGN.md's manifest as the vendor's tooling makes it: its example document, signed by a detached base64
Ed25519 signature of the exact bytes made with PyNaCl directly (not with the launcher's own signing helper),
fetched from `manifest.url` and `manifest.url + ".sig"`; the platform keys; the optional roster,
`min_launcher`/`launcher_url` (compared by `packaging`) and per-artifact `min_version`; serial and expiry."""

from __future__ import annotations

import base64
import json
from dataclasses import replace
from datetime import UTC, datetime

import nacl.signing
import pytest

from launcher.config import load_config
from launcher.core.errors import LauncherError
from launcher.core.fetch import fetch_manifest
from launcher.core.manifest import PLATFORM_KEYS, SerialStore, check_launcher_version, verify_and_parse
from launcher.core.paths import app_paths
from tests.support.loopback_http import LoopbackServer

SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
DESIGN_EXAMPLE = {
    "schema": 1, "product": "teamviewer-quicksupport", "serial": 7, "expires": "2027-01-31T00:00:00Z",
    "artifacts": {
        "windows-x86_64": {"url": "https://dl.teamviewer.com/download/TeamViewerQS_x64.exe", "size": 32498992,
                           "sha256": SHA, "version": "15.61.3", "kind": "exe",
                           "publisher": "TeamViewer Germany GmbH"},
        "macos-universal": {"url": "https://dl.teamviewer.com/download/TeamViewerQS.dmg", "size": 51234567,
                            "sha256": SHA, "version": "15.61.3", "kind": "dmg", "team_id": "H7UGFBUGV6"},
        "linux-x86_64": {"url": "https://dl.teamviewer.com/download/teamviewer_qs.tar.gz", "size": 18234567,
                         "sha256": SHA, "version": "15.61.3", "kind": "tar.gz", "entry": "teamviewerqs/teamviewer"},
    },
}
BEFORE_EXPIRY = datetime(2027, 1, 30, tzinfo=UTC)
KEY = nacl.signing.SigningKey.generate()
PUBLIC = base64.b64encode(bytes(KEY.verify_key)).decode()  # a raw 32-byte Ed25519 public key, base64


def signed(doc: dict) -> tuple[bytes, bytes]:
    data = json.dumps(doc, indent=1, ensure_ascii=False).encode("utf-8")
    return data, base64.b64encode(KEY.sign(data).signature)


def code_of(data: bytes, sig: bytes, **kw) -> str:
    with pytest.raises(LauncherError) as err:
        verify_and_parse(data, sig, [PUBLIC], now=BEFORE_EXPIRY, **kw)
    return err.value.code


def test_the_platform_keys_are_the_design_ones():
    assert PLATFORM_KEYS == ("windows-x86_64", "windows-arm64", "macos-universal", "linux-x86_64")


def test_the_design_example_signed_with_pynacl_is_accepted_field_by_field():
    manifest = verify_and_parse(*signed(DESIGN_EXAMPLE), [PUBLIC], now=BEFORE_EXPIRY)
    assert (manifest.schema, manifest.product, manifest.serial) == (1, "teamviewer-quicksupport", 7)
    assert manifest.expires == datetime(2027, 1, 31, tzinfo=UTC)
    assert manifest.consultants is None and manifest.min_launcher == "" and manifest.launcher_url == ""
    win = manifest.artifact_for("windows-x86_64")
    assert (win.size, win.sha256, win.version, win.kind, win.publisher) == (
        32498992, SHA, "15.61.3", "exe", "TeamViewer Germany GmbH")
    assert manifest.artifact_for("macos-universal").team_id == "H7UGFBUGV6"
    assert manifest.artifact_for("linux-x86_64").entry == "teamviewerqs/teamviewer"


def test_the_signature_covers_the_exact_bytes():
    data, sig = signed(DESIGN_EXAMPLE)
    for changed in (data + b"\n", data.replace(b'"serial": 7', b'"serial":  7'), json.dumps(DESIGN_EXAMPLE).encode()):
        assert code_of(changed, sig) == "MAN-SIG"
    assert code_of(data, base64.b64encode(bytes(64))) == "MAN-SIG"
    assert code_of(data, KEY.sign(data).signature) == "MAN-SIG"  # raw, not base64


def test_the_optional_top_level_and_artifact_keys():
    doc = json.loads(json.dumps(DESIGN_EXAMPLE))
    doc["consultants"] = [{"tv_id": "1660360496", "name": "Anna Nowak"}]
    doc["min_launcher"] = "0.2.0"
    doc["launcher_url"] = "https://www.ov.overmax.eu/pomoc-zdalna"
    doc["artifacts"]["windows-x86_64"]["min_version"] = "15.50.0"
    manifest = verify_and_parse(*signed(doc), [PUBLIC], now=BEFORE_EXPIRY)
    assert manifest.consultant("1660360496").name == "Anna Nowak" and manifest.consultant("1555000111") is None
    assert manifest.artifact_for("windows-x86_64").min_version == "15.50.0"
    assert code_of(*signed(doc), launcher_version="0.1.0") == "APP-OUTDATED"
    with pytest.raises(LauncherError) as err:
        check_launcher_version(manifest, "0.1.9")
    assert err.value.url == "https://www.ov.overmax.eu/pomoc-zdalna"  # says where the new one is


@pytest.mark.parametrize(("mine", "needed", "outdated"), [
    ("0.2.0", "0.2.0", False), ("0.10.0", "0.9.0", False), ("0.2.0rc1", "0.2.0", True), ("0.2.0", "0.2.0.post1", True),
    ("1.0", "0.2.0", False),
])
def test_min_launcher_is_compared_as_packaging_compares_versions(mine, needed, outdated):
    doc = {**json.loads(json.dumps(DESIGN_EXAMPLE)), "min_launcher": needed}
    manifest = verify_and_parse(*signed(doc), [PUBLIC], now=BEFORE_EXPIRY)
    if outdated:
        with pytest.raises(LauncherError) as err:
            check_launcher_version(manifest, mine)
        assert err.value.code == "APP-OUTDATED"
    else:
        check_launcher_version(manifest, mine)


def test_serial_never_goes_down_and_expires_in_the_past_is_refused(tmp_path):
    store = SerialStore(tmp_path / "manifest_state.json")
    for serial in (7, 7, 8):
        store.accept(verify_and_parse(*signed({**DESIGN_EXAMPLE, "serial": serial}), [PUBLIC], now=BEFORE_EXPIRY))
    with pytest.raises(LauncherError) as err:
        SerialStore(store.path).accept(verify_and_parse(*signed(DESIGN_EXAMPLE), [PUBLIC], now=BEFORE_EXPIRY))
    assert err.value.code == "MAN-ROLLBACK"
    assert code_of(*signed({**DESIGN_EXAMPLE, "expires": "2027-01-29T23:59:59Z"})) == "MAN-EXPIRED"


def test_the_signature_is_fetched_from_the_manifest_url_plus_sig(tmp_path):
    doc = {**DESIGN_EXAMPLE, "expires": "2099-01-01T00:00:00Z"}
    data, sig = signed(doc)
    with LoopbackServer() as server:
        url = server.serve("/pomoc-zdalna/quicksupport.json", data)
        server.serve("/pomoc-zdalna/quicksupport.json.sig", sig)
        base = load_config()
        config = replace(base, manifest=replace(base.manifest, url=url, public_keys=(PUBLIC,)),
                         download=replace(base.download, allowed_hosts=("127.0.0.1",)))
        assert fetch_manifest(config, app_paths(str(tmp_path / "data"))).serial == 7
        assert len(server.hits("/pomoc-zdalna/quicksupport.json.sig")) == 1
        server.remove("/pomoc-zdalna/quicksupport.json.sig")
        with pytest.raises(LauncherError) as err:
            fetch_manifest(config, app_paths(str(tmp_path / "data")))
        assert err.value.code == "MAN-SIG"  # no signature: never trusted


def test_without_a_release_key_nothing_is_downloaded(tmp_path):
    with LoopbackServer() as server:
        url = server.serve("/q.json", signed(DESIGN_EXAMPLE)[0])
        base = load_config()
        config = replace(base, manifest=replace(base.manifest, url=url),
                         download=replace(base.download, allowed_hosts=("127.0.0.1",)))
        with pytest.raises(LauncherError) as err:
            fetch_manifest(config, app_paths(str(tmp_path / "data")))
        assert err.value.code == "MAN-NOKEY" and server.requests == []
