"""`pip install .` gives a launcher that runs: the wheel carries the resources and the compiled .qm.

Builds the wheel from this checkout (pip, isolated build: setuptools and PySide6 from the package
registry or pip's cache), installs it into a fresh venv and runs the installed script's `--self-test`
(Polish and English) from a folder where the checkout cannot be imported.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.packaging.conftest import ROOT, offscreen_env

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="venv layout and scripts differ on Windows")


def _clean_env() -> dict[str, str]:
    """Without PYTHONPATH: a checkout on it would make pip think the package is installed already."""
    return {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}


def _pip(*args: str, cwd: Path) -> None:
    done = subprocess.run([*args], capture_output=True, text=True, cwd=cwd, env=_clean_env(), timeout=900)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The venv the wheel was installed into."""
    work = tmp_path_factory.mktemp("wheel")
    _pip(sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "-q", "-w", str(work / "dist"), cwd=work)
    (wheel,) = (work / "dist").glob("overmax_pomoc_zdalna-*.whl")
    venv = work / "venv"
    _pip(sys.executable, "-m", "venv", str(venv), cwd=work)
    _pip(str(venv / "bin" / "python"), "-m", "pip", "install", "-q", str(wheel), cwd=work)
    return venv


def _installed_env(home: Path) -> dict[str, str]:
    env = offscreen_env(HOME=str(home))
    env.pop("PYTHONPATH", None)
    for var in ("XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME"):
        env[var] = str(home / var.lower())
    return env


@pytest.mark.parametrize("lang", ["pl", "en"])
def test_the_installed_launcher_passes_its_self_test(installed: Path, tmp_path: Path, lang: str):
    done = subprocess.run([str(installed / "bin" / "overmax-pomoc-zdalna-cli"), "--self-test", "--lang", lang],
                          capture_output=True, text=True, cwd=tmp_path, env=_installed_env(tmp_path), timeout=300)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "SELFTEST OK" in done.stdout
    if lang == "en":
        assert "ok translations launcher_en" in done.stdout


def test_the_resources_come_from_the_installed_package(installed: Path, tmp_path: Path):
    code = ("import launcher, launcher.resources as r; print(launcher.__file__); print(r.resources_dir());"
            "print(sorted(p.name for p in r.resource_path('translations').iterdir()))")
    done = subprocess.run([str(installed / "bin" / "python"), "-c", code], capture_output=True, text=True,
                          cwd=tmp_path, env=_installed_env(tmp_path), timeout=120)
    assert done.returncode == 0, done.stderr
    package, folder, translations = done.stdout.splitlines()
    site = Path(package).parent
    assert Path(os.path.commonpath([site, installed])) == installed  # not the checkout
    assert Path(folder) == site / "_resources"
    assert translations == "['launcher_en.qm']"  # compiled at build time; the .ts source stays out
