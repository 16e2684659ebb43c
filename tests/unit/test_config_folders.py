"""Folders in the config (`paths.data_dir`, `quicksupport.log_dirs`) as people write them: `~` and environment
variables are expanded; a folder that is then not a full path, or names a variable that is not set, is
CFG-INVALID naming the key (a relative one meant another data folder for every folder the launcher was started
from, and with it another manifest serial store). Windows spellings: tests/windows/test_config_folders_windows.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from launcher.config import load_config
from launcher.core.errors import LauncherError
from launcher.core.paths import app_paths


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "override.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_data_folder_named_with_a_variable_is_that_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("POMOC_DANE", str(tmp_path / "Łukasz Żółć"))
    config = load_config(write(tmp_path, '[paths]\ndata_dir = "${POMOC_DANE}/pomoc"\n'))
    assert config.paths.data_dir == "${POMOC_DANE}/pomoc"  # as written: the banner compares what was written
    assert app_paths(config.paths.data_dir).data == tmp_path / "Łukasz Żółć" / "pomoc"


def test_a_data_folder_under_home_is_expanded(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    config = load_config(write(tmp_path, '[paths]\ndata_dir = "~/pomoc"\n'))
    assert app_paths(config.paths.data_dir).cache == tmp_path / "pomoc" / "cache"


@pytest.mark.parametrize("key, value, said", [
    ("paths.data_dir", '"dane"', "paths.data_dir must be a full path"),
    ("paths.data_dir", '"./dane"', "paths.data_dir must be a full path"),
    ("paths.data_dir", '"%LOCALAPPDATA%/Pomoc"', "paths.data_dir must be a full path"),  # a Windows config here
    ("paths.data_dir", '"$NIE_MA_TAKIEJ_ZMIENNEJ/pomoc"', "$NIE_MA_TAKIEJ_ZMIENNEJ, which is not set"),
    ("quicksupport.log_dirs", '["logi"]', "quicksupport.log_dirs must be a full path"),
    ("quicksupport.log_dirs", '["/var/log", "${NIE_MA_LOGOW}/tv"]', "${NIE_MA_LOGOW}, which is not set"),
])
def test_a_folder_that_is_not_a_full_path_is_cfg_invalid_naming_the_key(tmp_path, monkeypatch, key, value, said):
    monkeypatch.chdir(tmp_path)
    section, name = key.split(".")
    with pytest.raises(LauncherError) as err:
        load_config(write(tmp_path, f"[{section}]\n{name} = {value}\n"))
    assert err.value.code == "CFG-INVALID"
    assert said in err.value.detail
    assert sorted(p.name for p in tmp_path.iterdir()) == ["override.toml"]


def test_empty_folders_keep_their_meaning(tmp_path):
    config = load_config(write(tmp_path, '[paths]\ndata_dir = ""\n[quicksupport]\nlog_dirs = ["", "/var/log"]\n'))
    assert config.paths.data_dir == "" and config.quicksupport.log_dirs == ("", "/var/log")
