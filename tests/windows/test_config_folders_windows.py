"""Folders in a config as Windows admins write them: `paths.data_dir = "%LOCALAPPDATA%\\Pomoc"`, as in every
batch file, shortcut and group policy. Taken literally it was a relative path: `fetch` wrote the downloaded
QuickSupport, the logs and the manifest's serial (the rollback guard) into a folder called `%LOCALAPPDATA%`
inside whatever folder the launcher was started from (from the Start menu: the install folder, which the
uninstaller then could not remove). Now the variables are expanded, and a folder that is still not a full path
(relative, `\\Dane`, `C:Dane`, an unset variable) is CFG-INVALID naming the key, with nothing written.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.demo_config import write_config
from tests.support.loopback_http import LoopbackServer
from tests.windows.served import serve_exe

pytestmark = pytest.mark.skipif(sys.platform != "win32", reason="the Windows suite: scripts/windows-lane.sh test")


@pytest.fixture
def server():
    with LoopbackServer() as srv:
        yield srv


@pytest.fixture
def profile(tmp_path: Path) -> dict[str, Path]:
    """A Polish profile's %LOCALAPPDATA%, %APPDATA% and %TEMP%, and Pobrane (the folder the launcher is
    started from), all with Polish letters and spaces."""
    base = tmp_path / "Zażółć Gęślą"
    places = {"LOCALAPPDATA": base / "AppData" / "Local", "APPDATA": base / "AppData" / "Roaming",
              "TEMP": base / "Temp", "TMP": base / "Temp", "cwd": base / "Pobrane"}
    for folder in places.values():
        folder.mkdir(parents=True, exist_ok=True)
    return places


def run_cli(args: list[str], profile: dict[str, Path]) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONUTF8="1", PYTHONIOENCODING="utf-8",
               **{k: str(v) for k, v in profile.items() if k != "cwd"})
    return subprocess.run([sys.executable, "-m", "launcher", *args], cwd=profile["cwd"], env=env,
                          capture_output=True, text=True, encoding="utf-8", stdin=subprocess.DEVNULL, timeout=180)


def everything_under(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


@pytest.mark.parametrize("data_dir", ["%LOCALAPPDATA%\\Pomoc Overmax ż", "%localappdata%\\Pomoc Overmax ż"])
def test_a_data_folder_named_with_an_environment_variable_is_that_folder(server, signed_dir, profile, tmp_path,
                                                                        data_dir):
    exe = (signed_dir / "tv-signed.exe").read_bytes()
    served = serve_exe(server, exe, tmp_path / "unused")
    overrides = served.overrides()
    overrides["paths"]["data_dir"] = data_dir
    config = write_config(tmp_path / "konfiguracja.toml", overrides)
    proc = run_cli(["--lang", "en", "--config", str(config), "fetch"], profile)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    fetched = Path(proc.stdout.strip().splitlines()[-1])
    assert fetched.read_bytes() == exe
    assert profile["LOCALAPPDATA"] / "Pomoc Overmax ż" in fetched.parents
    assert everything_under(profile["cwd"]) == []  # no folder called %LOCALAPPDATA% where it was started


@pytest.mark.parametrize("data_dir, said", [
    ("dane", "must be a full path"),
    ("Pomoc\\Overmax ż", "must be a full path"),
    ("\\Dane", "must be a full path"),  # the current drive's root: another folder on another drive
    ("C:Dane", "must be a full path"),  # relative to drive C:'s current folder
    ("%NIE_MA_TAKIEJ_ZMIENNEJ%\\Pomoc", "%NIE_MA_TAKIEJ_ZMIENNEJ%, which is not set"),
])
@pytest.mark.parametrize("command", ["version", "fetch"])
def test_a_data_folder_that_is_not_a_full_path_is_cfg_invalid_and_nothing_is_written(profile, tmp_path, data_dir,
                                                                                     said, command):
    config = write_config(tmp_path / "konfiguracja.toml", {"paths": {"data_dir": data_dir}})
    proc = run_cli(["--lang", "pl", "--config", str(config), command], profile)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert proc.stderr.startswith("ERROR CFG-INVALID: Plik konfiguracji programu jest nieprawidłowy."), proc.stderr
    assert "paths.data_dir" in proc.stderr and said in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr
    assert everything_under(profile["cwd"]) == []


def test_a_log_folder_with_an_unset_variable_is_cfg_invalid(profile, tmp_path):
    """`%APPDATA%\\TeamViewer` is found (the variable is expanded where the logs are looked for); a variable that
    is not set would have been looked in, in silence, for ever."""
    good = write_config(tmp_path / "dobra.toml", {"quicksupport": {"log_dirs": ["%APPDATA%\\TeamViewer"]}})
    assert run_cli(["--lang", "en", "--config", str(good), "version"], profile).returncode == 0
    bad = write_config(tmp_path / "zla.toml", {"quicksupport": {"log_dirs": ["%TEAMVIEWER_LOGI%"]}})
    proc = run_cli(["--lang", "en", "--config", str(bad), "version"], profile)
    assert proc.returncode == 1 and proc.stderr.startswith("ERROR CFG-INVALID: "), proc.stderr
    assert "quicksupport.log_dirs names the environment variable %TEAMVIEWER_LOGI%" in proc.stderr
