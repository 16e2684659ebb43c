"""`pip install .` gives a launcher that runs on every Python the project promises: the wheel carries the
resources and the compiled .qm, and nothing in it needs a particular 3.x.

Builds the wheel from this checkout once (pip, isolated build: setuptools and PySide6 from the package
registry or pip's cache), then, for each version pyproject's classifiers name (3.11, 3.12, 3.13: see
tests/support/pythons.py) whose interpreter is on this machine (PATH, pyenv's versions, /usr/bin; skipped with
the reason where it is not), installs it with its dependencies into a fresh venv of that Python and runs the
installed script's `--self-test` (Polish and English) and `--self-test --demo --walk-session` (the whole
flow offline: manifest signature, download, tar extraction, a session ended by Rozłącz) from a folder where the
checkout cannot be imported. Deprecation warnings are errors there: what a Python deprecates today, the next
one removes.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from launcher.core.quicksupport.session import running_teamviewers
from tests.packaging.conftest import ROOT, offscreen_env
from tests.support.polling import wait_until
from tests.support.pythons import find_python, promised_versions

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="venv layout and scripts differ on Windows")

VERSIONS = promised_versions()


def _clean_env() -> dict[str, str]:
    """Without PYTHONPATH: a checkout on it would make pip think the package is installed already."""
    return {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}


def _pip(*args: str, cwd: Path) -> None:
    done = subprocess.run([*args], capture_output=True, text=True, cwd=cwd, env=_clean_env(), timeout=900)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel built from this checkout (once for all the Pythons below: it is pure Python)."""
    work = tmp_path_factory.mktemp("wheel")
    _pip(sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "-q", "-w", str(work / "dist"), cwd=work)
    (built,) = (work / "dist").glob("overmax_pomoc_zdalna-*.whl")
    assert built.name.endswith("-py3-none-any.whl"), built.name  # one wheel for every 3.x
    return built


@pytest.fixture(scope="module", params=VERSIONS)
def installed(request, wheel: Path, tmp_path_factory) -> Path:
    """A fresh venv of the Python version in the parameter, with the wheel and its dependencies installed."""
    version: str = request.param
    python = find_python(version)
    if python is None:
        pytest.skip(f"no Python {version} on this machine (looked on PATH, in pyenv's versions and /usr/bin)")
    work = tmp_path_factory.mktemp(f"py{version}")
    venv = work / "venv"
    _pip(str(python), "-m", "venv", str(venv), cwd=work)
    _pip(str(venv / "bin" / "python"), "-m", "pip", "install", "-q", str(wheel), cwd=work)
    return venv


def _installed_env(home: Path) -> dict[str, str]:
    env = offscreen_env(HOME=str(home), PYTHONWARNINGS="error::DeprecationWarning,error::PendingDeprecationWarning")
    env.pop("PYTHONPATH", None)
    for var in ("XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME"):
        env[var] = str(home / var.lower())
    return env


def _self_test(venv: Path, home: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(venv / "bin" / "overmax-pomoc-zdalna-cli"), "--self-test", *args],
                          capture_output=True, text=True, cwd=home, env=_installed_env(home), timeout=300)


@pytest.mark.parametrize("lang", ["pl", "en"])
def test_the_installed_launcher_passes_its_self_test(installed: Path, tmp_path: Path, lang: str):
    done = _self_test(installed, tmp_path, "--lang", lang)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "SELFTEST OK" in done.stdout
    if lang == "en":
        assert "ok translations launcher_en" in done.stdout


def _teamviewers() -> list[str]:
    return [p.info["name"] for p in running_teamviewers()]


def _walk_when_no_teamviewer_runs(venv: Path, home: Path) -> subprocess.CompletedProcess:
    """The demo walk, run while no other program's TeamViewer does: the launcher refuses to start beside one
    (QS-ALREADY, by design), and on a shared machine another user's (Wine's TeamViewer.exe) comes and goes.
    Run again when one started during the walk and it was refused for that."""
    for _ in range(3):
        if not wait_until(lambda: not _teamviewers(), 300):
            pytest.skip(f"another TeamViewer keeps running here ({', '.join(_teamviewers())}): the launcher "
                        "refuses to start beside one (QS-ALREADY)")
        done = _self_test(venv, home, "--demo", "--walk-session")
        if done.returncode == 0 or "QS-ALREADY" not in done.stdout + done.stderr:
            return done
    return done


def test_the_installed_launcher_walks_the_whole_demo_flow(installed: Path, tmp_path: Path):
    done = _walk_when_no_teamviewer_runs(installed, tmp_path)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "SELFTEST OK" in done.stdout and "session_peak_rss_kib=" in done.stdout


def test_the_venv_runs_the_python_it_was_made_for(installed: Path, request):
    version = request.node.callspec.params["installed"]
    code = "import sys; print('%d.%d' % sys.version_info[:2])"
    done = subprocess.run([str(installed / "bin" / "python"), "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == version


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
