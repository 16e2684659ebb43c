"""The release tool on Windows: without osslsigncode it checks the exe's signer with WinVerifyTrust, as
the launcher does, before the exe goes into a signed manifest."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from launcher.core.manifest_signing import generate_keypair

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def key(tmp_path: Path) -> Path:
    private, _public = generate_keypair()
    path = tmp_path / "keys" / "manifest-signing.key"
    path.parent.mkdir()
    path.write_text(private)
    return path


def build(tmp_path: Path, key: Path, exe: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    assert shutil.which("osslsigncode") is None  # on Windows the tool falls back to WinVerifyTrust
    argv = [sys.executable, str(REPO / "installer" / "release_tool.py"), "build", "--artifact",
            f"windows-x86_64={exe}:https://www.ov.overmax.eu/pomoc-zdalna/TeamViewerQS-15.99.exe:15.99.0",
            "--serial", "7", "--expires", "30d", "--key", str(key), "--out", str(tmp_path / "out"), *extra]
    return subprocess.run(argv, capture_output=True, text=True, encoding="utf-8", timeout=120,
                          stdin=subprocess.DEVNULL)


def test_a_correctly_signed_exe_goes_into_the_manifest(tmp_path, key, signed_dir):
    proc = build(tmp_path, key, signed_dir / "tv-signed.exe")
    assert proc.returncode == 0, proc.stderr
    assert "authenticode (WinVerifyTrust): trusted signature by 'TeamViewer Germany GmbH'" in proc.stdout
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert manifest["artifacts"]["windows-x86_64"]["publisher"] == "TeamViewer Germany GmbH"


@pytest.mark.parametrize(("name", "why"), [
    ("wrong-signed.exe", "signer 'Someone Else GmbH' is not"),
    ("unsigned.exe", "WinVerifyTrust 0x800B0100"),
    ("tv-tampered.exe", "WinVerifyTrust 0x80096010"),
    ("rogue-root.exe", "root that is not trusted"),
])
def test_a_badly_signed_exe_is_refused_and_nothing_is_written(tmp_path, key, signed_dir, name, why):
    source = signed_dir / name
    before = source.read_bytes()
    proc = build(tmp_path, key, source)
    assert proc.returncode == 1
    assert "refusing to sign" in proc.stderr and why in proc.stderr
    assert not (tmp_path / "out").exists()
    assert source.read_bytes() == before  # the operator's file is never deleted
