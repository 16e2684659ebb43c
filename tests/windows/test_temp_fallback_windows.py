"""A read-only %TEMP%/%TMP%: Python's tempfile.gettempdir() silently takes another folder (the profile's
AppData\\Local\\Temp, C:\\temp, C:\\tmp, \\temp, \\tmp, at last the current folder), so `--demo`'s and `--self-test`'s
folders and the single-instance fallback lock went there, behind the customer's back. The launcher now takes the
folder Windows names (launcher.core.paths.temp_folder, GetTempPathW) and says APP-DATA-DIR naming it when it cannot
be written. A tmpfs remounted read-only, seen through Wine's Z: (as tests/windows/test_unwritable_folders_windows.py
makes it). The same on Linux: tests/unit/test_temp_folder.py."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(sys.platform != "win32", reason="the Windows suite: scripts/windows-lane.sh test")

LIMIT_S = 180  # a Windows Python with PySide6 under Wine on a busy machine; an answer comes in seconds
REPO = Path(__file__).resolve().parents[2]
DATA_DIR_EN = "ERROR APP-DATA-DIR: The program cannot save its files on this computer."
PREFIXES = ("overmax-demo-", "overmax-selftest-")


def _fallbacks(cwd: Path) -> list[Path]:
    """The folders tempfile.gettempdir() falls back to on Windows, in its order, that exist here."""
    home = Path(os.path.expanduser("~"))
    system_root = os.environ.get("SYSTEMROOT", r"C:\windows")
    candidates = [home / "AppData" / "Local" / "Temp", Path(system_root) / "Temp", Path(r"C:\temp"), Path(r"C:\tmp"),
                  Path("\\temp"), Path("\\tmp"), cwd]
    return [folder for folder in candidates if folder.is_dir()]


def _ours(folders: list[Path]) -> set[Path]:
    return {entry for folder in folders for entry in folder.iterdir() if entry.name.startswith(PREFIXES)}


@pytest.fixture
def read_only_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # noqa: ANN201 - a generator fixture
    from tests.windows.unix_tmpfs import mounted_tmpfs, remount

    with mounted_tmpfs(256 * 1024) as temp:
        remount(temp, read_only=True)
        for var in ("TEMP", "TMP"):
            monkeypatch.setenv(var, str(temp))
        monkeypatch.delenv("TMPDIR", raising=False)
        yield temp


def _run(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env.update(PYTHONUTF8="1", QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(REPO))
    return subprocess.run([sys.executable, "-m", "launcher", "--lang", "en", *args], stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, encoding="utf-8", cwd=cwd, env=env, timeout=LIMIT_S)


@pytest.mark.parametrize("args", [["doctor", "--demo"], ["--self-test"]], ids=["demo", "self-test"])
def test_a_read_only_temp_folder_is_app_data_dir_and_nothing_goes_elsewhere(read_only_temp, tmp_path, args):
    cwd = tmp_path / "started from here"
    cwd.mkdir()
    before = _ours(_fallbacks(cwd))
    proc = _run(cwd, *args)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert proc.stderr.startswith(DATA_DIR_EN), proc.stderr
    assert str(read_only_temp) in proc.stderr and "Traceback" not in proc.stderr
    assert _ours(_fallbacks(cwd)) == before  # no demo or self-test folder made (or left) in another folder
    assert list(cwd.iterdir()) == [] and list(read_only_temp.iterdir()) == []


def test_the_single_instance_fallback_lock_is_not_taken_elsewhere(read_only_temp, tmp_path, monkeypatch):
    from launcher.core.paths import temp_folder
    from launcher.ui.single_instance import _private_temp_folder

    monkeypatch.chdir(tmp_path)
    assert temp_folder() == read_only_temp  # as Windows names it (GetTempPathW sees the variables set here)
    folder = _private_temp_folder("overmax-test-instance")
    assert folder.is_relative_to(read_only_temp), folder  # unusable: the lock runs unguarded, and says so
    assert list(read_only_temp.iterdir()) == [] and list(tmp_path.iterdir()) == []
