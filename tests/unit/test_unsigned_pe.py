"""installer/windows/unsigned_pe.py: which of the app's PE files the Windows build must sign (Smart App Control
loads no unsigned DLL or extension module into a signed program). Real PE images, signed with osslsigncode by a
test CA; and, where the Windows lane has built it, the real frozen Windows app."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.authenticode import make_pki, tiny_pe

ROOT = Path(__file__).resolve().parents[2]
TOOL = ROOT / "installer" / "windows" / "unsigned_pe.py"
WINDOWS_APP = ROOT / "dist" / "windows" / "OvermaxPomocZdalna"


def _listed(folder: Path, *options: str) -> list[str]:
    done = subprocess.run([sys.executable, str(TOOL), *options, str(folder)], capture_output=True, text=True,
                          timeout=120, check=True)
    return done.stdout


def test_only_pe_images_without_a_signature_are_listed(tmp_path: Path) -> None:
    pki = make_pki(tmp_path / "pki")
    if pki is None:
        pytest.skip("openssl and osslsigncode are needed to sign a PE image")
    app = tmp_path / "app"
    (app / "_internal" / "nacl").mkdir(parents=True)
    (app / "OvermaxPomocZdalna.exe").write_bytes(tiny_pe())
    (app / "_internal" / "nacl" / "_sodium.pyd").write_bytes(tiny_pe())
    (app / "_internal" / "UPPER.DLL").write_bytes(tiny_pe())
    pki.signed_pe(app / "_internal" / "python311.dll", *pki.signer("psf", "/O=Python Software Foundation/CN=PSF"))
    (app / "_internal" / "not-a-pe.dll").write_bytes(b"MZ but nothing after it")
    (app / "_internal" / "base_library.zip").write_bytes(tiny_pe())  # not a PE suffix
    listed = _listed(app).splitlines()
    assert listed == [str(app / "OvermaxPomocZdalna.exe"), str(app / "_internal" / "UPPER.DLL"),
                      str(app / "_internal" / "nacl" / "_sodium.pyd")]
    assert _listed(app, "-0").split("\0")[:-1] == listed  # for xargs -0


def test_usage() -> None:
    done = subprocess.run([sys.executable, str(TOOL)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "usage" in done.stderr


@pytest.mark.skipif(not (WINDOWS_APP / "OvermaxPomocZdalna.exe").is_file(),
                    reason="the frozen Windows app: scripts/windows-lane.sh build")
def test_the_frozen_windows_apps_unsigned_extension_modules_are_found() -> None:
    """The real build: its Python runtime comes signed by the PSF, its own exes and several extension modules
    (PyNaCl's, psutil's) do not. The build signs those (installer/windows/build.sh) before the setup is made."""
    listed = [Path(p) for p in _listed(WINDOWS_APP).splitlines()]
    names = {p.name for p in listed}
    assert {"OvermaxPomocZdalna.exe", "OvermaxPomocZdalna-cli.exe", "_sodium.pyd"} <= names, sorted(names)
    assert "python311.dll" not in names  # signed by its vendor: kept as it is
