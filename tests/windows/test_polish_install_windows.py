"""The frozen Windows app installed where a Polish customer puts it: the setup downloaded into Pobrane and run
from there, an install folder chosen with Polish letters and spaces (`/D=`), a profile C:\\Users\\Łukasz Żółć
with %TEMP% in 8.3 short form and the Desktop in OneDrive\\Pulpit; the installed app run from another
folder (its console twin for the commands); then uninstalled, with nothing of it left.

The setup is the one `scripts/windows-lane.sh build` made (`scripts/windows-lane.sh test` builds it first
when OVERMAX_PACKAGING_TESTS=1). The profile is simulated as in test_polish_paths_windows: the registry's
User Shell Folders (read by NSIS, platformdirs and Qt alike) and the environment a logon sets.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from launcher import APP_ID, APP_NAME, ORG_NAME, __version__
from tests.support.demo_config import write_config
from tests.support.loopback_http import LoopbackServer
from tests.windows.built_setup import SETUP, SETUP_MARKS, setup_of_this_checkout  # noqa: F401 (autouse)
from tests.windows.polish_profile import (
    DOWNLOADS_GUID,
    PROFILE_NAME,
    make_profile_folders,
    redirected_shell_folders,
    standin_processes,
)
from tests.windows.registry import hkcu_key_exists
from tests.windows.served import serve_exe
from tests.windows.standin_session import DEMO_OPTIONS, answer_q_after

ROOT = Path(__file__).resolve().parents[2]
UNINST_KEY = rf"Software\Microsoft\Windows\CurrentVersion\Uninstall\{APP_ID}"
APP_KEY = rf"Software\Overmax\{APP_ID}"
UNINSTALL_DEADLINE_S = 120  # a silent uninstaller copies itself to %TEMP% and finishes in the background
CONSULTANT = ("1987654320", "Łukasz Żółć")

pytestmark = SETUP_MARKS


def _value(path: str, name: str) -> object:
    import winreg

    with winreg.OpenKey(winreg.HKEY_CURRENT_USER, path) as key:
        return winreg.QueryValueEx(key, name)[0]


@dataclass
class Install:
    profile: Path
    temp: Path  # long form; %TEMP% is its short form
    downloads: Path  # Pobrane, where the setup was downloaded to
    chosen: Path  # the folder the customer picked in the setup (it existed before)
    install_dir: Path
    desktop: Path  # OneDrive\Pulpit
    start_menu: Path
    user_data: Path  # Local AppData\Overmax\OvermaxPomocZdalna
    env: dict[str, str]

    @property
    def exe(self) -> Path:
        return self.install_dir / f"{APP_ID}.exe"

    @property
    def cli_exe(self) -> Path:
        return self.install_dir / f"{APP_ID}-cli.exe"

    def left(self) -> list[str]:
        paths = [self.install_dir, self.desktop / f"{APP_NAME}.lnk", self.start_menu / f"{APP_NAME}.lnk",
                 self.user_data.parent, self.temp / "TeamViewer"]
        found = [str(p) for p in paths if p.exists()]
        found += [f"HKCU\\{k}" for k in (UNINST_KEY, APP_KEY, r"Software\Overmax") if hkcu_key_exists(k)]
        return found

    def run(self, args: list[str] | str, cwd: Path | None = None, timeout: float = 300,
            **extra: str) -> subprocess.CompletedProcess[bytes]:
        """Pipes, never files (a frozen Python program under Wine fails at start with a file as stdout)."""
        return subprocess.run(args, cwd=cwd or self.downloads, env=dict(self.env, **extra), capture_output=True,
                              stdin=subprocess.DEVNULL, timeout=timeout)


@pytest.fixture(scope="module")
def install(tmp_path_factory) -> Iterator[Install]:
    root = tmp_path_factory.mktemp("profil") / "Users" / PROFILE_NAME
    folders, temp, temp_short = make_profile_folders(root)
    chosen = root / "Moje programy" / "Żółta łódź Łukasza"
    chosen.mkdir(parents=True)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONUTF8", "PYTHONIOENCODING")}
    env.update(USERPROFILE=str(root), USERNAME=PROFILE_NAME, HOMEPATH=str(root)[2:], APPDATA=str(folders["AppData"]),
               LOCALAPPDATA=str(folders["Local AppData"]), TEMP=temp_short, TMP=temp_short, **DEMO_OPTIONS)
    found = Install(profile=root, temp=temp, downloads=folders[DOWNLOADS_GUID], chosen=chosen,
                    install_dir=chosen / APP_NAME, desktop=folders["Desktop"], start_menu=folders["Programs"],
                    user_data=folders["Local AppData"] / ORG_NAME / APP_ID, env=env)
    with redirected_shell_folders({name: str(folder) for name, folder in folders.items()}):
        if hkcu_key_exists(UNINST_KEY):  # a run that died half-way, or someone's own installation
            pytest.fail(f"HKCU\\{UNINST_KEY} exists before installing: the prefix is not clean")
        setup = Path(shutil.copy2(SETUP, found.downloads / SETUP.name))  # downloaded into Pobrane
        try:
            # /D= last and unquoted, spaces and all, as NSIS reads it (a list would have it quoted): a string
            proc = found.run(f'"{setup}" /S /D={found.install_dir}')
            assert proc.returncode == 0, proc.stdout + proc.stderr
            yield found
        finally:
            installed = found.install_dir
            with contextlib.suppress(OSError):  # wherever the setup put it, if not where it was told
                installed = Path(str(_value(UNINST_KEY, "InstallLocation")))
            if (installed / "uninstall.exe").exists():  # whatever a failed test left
                found.run([str(installed / "uninstall.exe"), "/S"])
                _wait_until_gone(found)
            for path in (found.install_dir, found.user_data.parent, temp / "TeamViewer"):
                shutil.rmtree(path, ignore_errors=True)
            for proc_left in standin_processes(temp, found.user_data):
                proc_left.kill()


def _wait_until_gone(install: Install) -> list[str]:
    deadline = time.monotonic() + UNINSTALL_DEADLINE_S
    while (left := install.left()) and time.monotonic() < deadline:
        time.sleep(0.2)
    return left


def test_the_setup_from_pobrane_installs_into_the_chosen_polish_folder(install: Install) -> None:
    assert install.exe.is_file() and install.cli_exe.is_file()
    assert (install.install_dir / "_internal" / "launcher" / "_resources" / "config.toml").is_file()
    assert (install.desktop / f"{APP_NAME}.lnk").is_file()  # on the OneDrive desktop
    assert (install.start_menu / f"{APP_NAME}.lnk").is_file()
    assert Path(str(_value(UNINST_KEY, "InstallLocation"))) == install.install_dir
    assert _value(UNINST_KEY, "QuietUninstallString") == f'"{install.install_dir / "uninstall.exe"}" /S'


def test_the_installed_app_runs_from_another_folder(install: Install) -> None:
    for exe in (install.exe, install.cli_exe):
        proc = install.run([str(exe), "version"], cwd=install.profile)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        assert proc.stdout.decode("utf-8").strip() == f"{APP_NAME} {__version__}"


def test_the_installed_app_says_an_error_naming_a_polish_path_on_a_pipe(install: Install) -> None:
    missing = install.downloads / "TeamViewerQS Łukasza Олександр.exe"
    proc = install.run([str(install.cli_exe), "--lang", "pl", "verify", missing.name])
    assert proc.returncode == 1, proc.stdout + proc.stderr
    err = proc.stderr.decode("utf-8")
    assert err.startswith("ERROR APP-NO-FILE: ") and missing.name in err, err
    assert "Traceback" not in err


def test_the_installed_app_walks_the_demo_in_the_polish_profile(install: Install) -> None:
    """--self-test --demo of the window program: the bundled stand-in unpacked in the demo's folder under the
    short %TEMP%, its ID shown, Rozłącz, nothing left; the demo's own folder removed."""
    proc = install.run([str(install.exe), "--lang", "pl", "--self-test", "--demo"], QT_QPA_PLATFORM="offscreen",
                       OVERMAX_DEMO_JOIN_AFTER="0.5")
    out = (proc.stdout + proc.stderr).decode("utf-8", "replace")
    assert proc.returncode == 0, out
    assert "SELFTEST OK" in out and "nothing left running" in out, out
    assert standin_processes(install.temp, install.user_data) == []
    assert not list(install.temp.glob("overmax-demo-*"))


@pytest.fixture
def signed_standin(lane_dir: Path) -> bytes:
    exe = lane_dir / "standin" / "TeamViewerQS.exe"
    if not exe.is_file():
        pytest.skip("the signed stand-in was not built: run the suite with scripts/windows-lane.sh test")
    return exe.read_bytes()


def test_the_installed_app_runs_a_session_in_the_polish_profile(install: Install, signed_standin: bytes) -> None:
    """`session` of the console twin, from Pobrane, in the app's own per-user folders under the profile:
    download, verify, QuickSupport unpacked into its own temporary folder in the app's data folder (never the short
    %TEMP%) with the frozen watchdog, q, nothing left."""
    with LoopbackServer() as server:
        overrides = serve_exe(server, signed_standin, Path("unused")).overrides()
        del overrides["paths"]
        config = write_config(install.downloads / "sesja Łukasza.toml", overrides)
        proc = subprocess.Popen([str(install.cli_exe), "--lang", "pl", "session", "--config", config.name],
                                cwd=install.downloads, env=install.env, stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8")
        lines, out, err = answer_q_after(proc, lambda line: line.startswith("JOINED "))
    lines += out.splitlines()
    assert proc.returncode == 0, "\n".join(lines) + err
    assert "ID 1 660 388 656" in lines and f"JOINED {CONSULTANT[0]} {CONSULTANT[1]}" in lines, lines
    assert "STOPPING q" in lines and lines[-1].startswith("STOPPED "), lines
    assert standin_processes(install.temp, install.user_data) == []
    assert not (install.temp / "TeamViewer").exists()  # QuickSupport never unpacked itself into the user's Temp
    assert len(list((install.user_data / "Cache").glob("*.exe"))) == 1
    assert (install.user_data / "Logs" / "launcher.log").is_file()


def test_uninstall_leaves_nothing_but_the_folder_the_customer_chose(install: Install) -> None:
    assert install.user_data.is_dir(), "the app left no data for the uninstaller to remove"
    proc = install.run([str(install.install_dir / "uninstall.exe"), "/S"], cwd=install.profile)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert _wait_until_gone(install) == []
    assert install.chosen.is_dir()  # the customer's own folder, made before the setup ran
