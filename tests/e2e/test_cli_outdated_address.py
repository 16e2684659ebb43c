"""DESIGN.md: "an older launcher stops with APP-OUTDATED and says where the new one is". The catalogue's sentence
says "(address below)", so an address must follow it also when the signed manifest names none: `min_launcher`
without `launcher_url` (the release tool allows it) or a later schema without a usable one. `fetch` is run as a
real subprocess against a loopback server holding a manifest signed with PyNaCl."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from pathlib import Path

import nacl.signing
import pytest

from launcher.core.terms import CONTACT_PAGE
from tests.support.demo_config import write_config
from tests.support.loopback_http import LoopbackServer

REPO = Path(__file__).resolve().parents[2]
KEY = nacl.signing.SigningKey.generate()
PUBLIC = base64.b64encode(bytes(KEY.verify_key)).decode()
ARTIFACT = {"url": "http://127.0.0.1:9/teamviewer_qs.tar.gz", "size": 1, "sha256": "0" * 64, "version": "15.61.3",
            "kind": "tar.gz", "entry": "teamviewerqs/teamviewer"}
MANIFEST = {"schema": 1, "product": "teamviewer-quicksupport", "serial": 7, "expires": "2099-01-31T00:00:00Z",
            "artifacts": {"linux-x86_64": ARTIFACT, "windows-x86_64": {**ARTIFACT, "kind": "exe",
                                                                       "publisher": "TeamViewer Germany GmbH"}}}


def fetch(tmp_path: Path, doc: dict, lang: str) -> subprocess.CompletedProcess:
    data = json.dumps(doc).encode()
    with LoopbackServer() as server:
        url = server.serve("/pomoc-zdalna/quicksupport.json", data)
        server.serve("/pomoc-zdalna/quicksupport.json.sig", base64.b64encode(KEY.sign(data).signature))
        config = write_config(tmp_path / "c.toml", {
            "manifest": {"url": url, "public_keys": [PUBLIC]},
            "download": {"allowed_hosts": ["127.0.0.1"]},
            "paths": {"data_dir": str(tmp_path / "data")},
        })
        env = {**os.environ, "PYTHONPATH": str(REPO), "QT_QPA_PLATFORM": "offscreen"}
        return subprocess.run([sys.executable, "-m", "launcher", "fetch", "--config", str(config), "--lang", lang],
                              capture_output=True, text=True, timeout=60, env=env, cwd=tmp_path)


@pytest.mark.parametrize("lang", ["pl", "en"])
@pytest.mark.parametrize("doc", [
    {**MANIFEST, "min_launcher": "999.0.0"},  # no launcher_url
    {"schema": 2, "new_field": 1},  # a later schema, no launcher_url
    {"schema": 2, "launcher_url": "ftp://www.ov.overmax.eu/pomoc-zdalna"},  # one that is not https
], ids=["min-launcher-alone", "newer-schema", "newer-schema-bad-url"])
def test_app_outdated_says_where_the_new_launcher_is_even_when_the_manifest_does_not(tmp_path, doc, lang):
    done = fetch(tmp_path, doc, lang)
    assert done.returncode == 1 and done.stdout == "", done.stderr
    first, second, *_ = done.stderr.splitlines()
    below = {"pl": "(adres poniżej)", "en": "(address below)"}[lang]
    assert first.startswith("ERROR APP-OUTDATED: ") and below in first, done.stderr
    assert second == f"  {CONTACT_PAGE}", done.stderr
    assert CONTACT_PAGE == "https://www.ov.overmax.eu/pomoc-zdalna"


def test_the_manifests_own_launcher_url_comes_first(tmp_path):
    done = fetch(tmp_path, {**MANIFEST, "min_launcher": "999.0.0",
                            "launcher_url": "https://www.ov.overmax.eu/pomoc-zdalna/nowa"}, "pl")
    assert done.returncode == 1 and done.stderr.splitlines()[1] == "  https://www.ov.overmax.eu/pomoc-zdalna/nowa"
