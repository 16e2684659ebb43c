"""Where the launcher keeps its files (DESIGN.md `[paths] data_dir`: empty means the platform's per-user
folders through platformdirs): the data folder (consent record `consent.jsonl`, the manifest's serial,
`receipts/`), the private cache (verified downloads, and `run/` for the unpacked QuickSupport), the log folder
(`launcher.log`); a `data_dir` holds all of them. Linux here; Windows in tests/windows/test_paths_windows.py
(%LOCALAPPDATA%, and the NSIS uninstaller removing that very folder)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from launcher.core.applog import LOG_NAME
from launcher.core.paths import app_paths
from launcher.core.receipt import RECEIPTS_DIR
from launcher.resources import resource_path


def test_a_data_dir_holds_every_file_of_the_launcher(tmp_path):
    root = tmp_path / "dane ż"
    paths = app_paths(str(root))
    assert (paths.data, paths.cache, paths.logs, paths.runtime) == (root, root / "cache", root / "logs", root / "run")
    assert paths.consent_file == root / "consent.jsonl"
    assert paths.manifest_state_file == root / "manifest_state.json"
    assert (LOG_NAME, RECEIPTS_DIR) == ("launcher.log", "receipts")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the XDG folders of Linux")
def test_on_linux_the_xdg_per_user_folders(tmp_path, monkeypatch):
    for var, sub in (("XDG_DATA_HOME", "data"), ("XDG_CACHE_HOME", "cache"), ("XDG_STATE_HOME", "state")):
        monkeypatch.setenv(var, str(tmp_path / sub))
    paths = app_paths("")
    assert paths.data == tmp_path / "data" / "OvermaxPomocZdalna"
    assert paths.cache == tmp_path / "cache" / "OvermaxPomocZdalna"
    assert paths.logs == tmp_path / "state" / "OvermaxPomocZdalna" / "log"
    assert paths.runtime == paths.cache / "run"
    assert paths.consent_file == tmp_path / "data" / "OvermaxPomocZdalna" / "consent.jsonl"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the XDG folders of Linux")
def test_on_linux_without_xdg_variables_under_home(tmp_path, monkeypatch):
    for var in ("XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    paths = app_paths("")
    assert paths.data == tmp_path / ".local" / "share" / "OvermaxPomocZdalna"
    assert paths.cache == tmp_path / ".cache" / "OvermaxPomocZdalna"
    assert paths.logs == tmp_path / ".local" / "state" / "OvermaxPomocZdalna" / "log"


def test_the_built_in_config_is_the_resources_config_toml():
    assert resource_path("config.toml").is_file()
    assert Path(resource_path("config.toml")).name == "config.toml"


@pytest.mark.skipif(sys.platform == "win32", reason="~ is not HOME on Windows")
def test_on_macos_the_library_folders(tmp_path, monkeypatch):
    """platformdirs' macOS answer, taken on any POSIX system (its MacOS class reads HOME): Application
    Support, Caches and Logs under ~/Library."""
    import platformdirs.macos

    from launcher.core import paths as paths_module

    monkeypatch.setattr(paths_module.platformdirs, "PlatformDirs", platformdirs.macos.MacOS)
    monkeypatch.setenv("HOME", str(tmp_path))
    for var in ("XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        monkeypatch.delenv(var, raising=False)
    paths = app_paths("")
    library = tmp_path / "Library"
    assert paths.data == library / "Application Support" / "OvermaxPomocZdalna"
    assert paths.cache == library / "Caches" / "OvermaxPomocZdalna"
    assert paths.logs == library / "Logs" / "OvermaxPomocZdalna"
    assert paths.runtime == paths.cache / "run"
