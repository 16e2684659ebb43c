"""DESIGN.md's config contract, key by key: the built-in default of every key it names, its type (a value of
another type is CFG-INVALID naming `section.key`), unknown keys named, a missing file CFG-NOT-FOUND, and the
"non-standard configuration" banner for a changed key or URL."""

from __future__ import annotations

from pathlib import Path

import pytest

from launcher.config import load_config
from launcher.core.errors import LauncherError

# (section, key, the built-in value as load_config gives it, a TOML value of the wrong type)
DESIGN_KEYS = [
    ("manifest", "url", "https://www.ov.overmax.eu/pomoc-zdalna/quicksupport.json", "7"),
    ("manifest", "public_keys", (), '"one key"'),
    ("download", "allowed_hosts", ("www.ov.overmax.eu", "dl.teamviewer.com", "download.teamviewer.com"),
     '"dl.teamviewer.com"'),
    ("connectivity", "timeout_s", 3, '"3"'),
    ("quicksupport", "log_dirs", (), '"C:/Logs"'),
    ("hotline", "phone", "61 653 12 93", "61653129"),
    ("hotline", "email", "", "[]"),
    ("hotline", "hours", "Mon-Fri 08:00-16:00", "8"),
    ("hotline", "timezone", "Europe/Warsaw", "1"),
    ("paths", "data_dir", "", "false"),
    ("session", "unknown_supporter", "disconnect", "true"),
    ("session", "confirm_minutes", 30, '"30"'),
]


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "override.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(("section", "key", "default", "_wrong"), DESIGN_KEYS)
def test_every_design_key_has_its_builtin_default(section, key, default, _wrong):
    assert getattr(getattr(load_config(), section), key) == default


def test_the_design_probes_are_built_in():
    download, teamviewer = load_config().connectivity.probes
    assert (download.name, download.kind, download.url) == (
        "download", "https", "https://www.ov.overmax.eu/pomoc-zdalna/quicksupport.json")
    assert (teamviewer.name, teamviewer.kind, teamviewer.host, teamviewer.ports) == (
        "teamviewer", "tcp", "router1.teamviewer.com", (5938, 443, 80))


@pytest.mark.parametrize(("section", "key", "_default", "wrong"), DESIGN_KEYS)
def test_a_value_of_the_wrong_type_is_cfg_invalid_naming_the_key(tmp_path, section, key, _default, wrong):
    with pytest.raises(LauncherError) as err:
        load_config(write(tmp_path, f"[{section}]\n{key} = {wrong}\n"))
    assert err.value.code == "CFG-INVALID"
    assert f"{section}.{key}" in err.value.detail


@pytest.mark.parametrize(("probe", "named"), [
    ('name = "d"\nurl = 5\n', "connectivity.probes[0].url"),
    ('name = "t"\nhost = "h"\nports = "5938"\n', "connectivity.probes[0].ports"),
    ('name = "t"\nhost = "h"\nports = [5938]\ntimeout = 1\n', "connectivity.probes[0].timeout"),
])
def test_a_bad_probe_is_cfg_invalid_naming_it(tmp_path, probe, named):
    with pytest.raises(LauncherError) as err:
        load_config(write(tmp_path, f"[[connectivity.probes]]\n{probe}"))
    assert err.value.code == "CFG-INVALID" and named in err.value.detail


def test_unknown_keys_are_an_error_that_names_every_one(tmp_path):
    with pytest.raises(LauncherError) as err:
        load_config(write(tmp_path, 'top = 1\n[hotline]\nfax = "1"\n[session]\nconfirm_minute = 3\n[extra]\n'))
    assert err.value.code == "CFG-INVALID"
    for name in ("top", "hotline.fax", "session.confirm_minute", "extra"):
        assert name in err.value.detail


def test_merged_section_by_section_over_the_builtin_file(tmp_path):
    config = load_config(write(tmp_path, '[hotline]\nemail = "pomoc@overmax.pl"\n'
                                         '[[connectivity.probes]]\nname = "only"\nhost = "h.example"\nports = [443]\n'))
    assert (config.hotline.email, config.hotline.phone) == ("pomoc@overmax.pl", "61 653 12 93")  # section merged
    assert [p.name for p in config.connectivity.probes] == ["only"]  # a key's value replaced whole
    assert config.connectivity.timeout_s == 3


def test_a_missing_config_file_is_cfg_not_found(tmp_path):
    with pytest.raises(LauncherError) as err:
        load_config(tmp_path / "brak.toml")
    assert err.value.code == "CFG-NOT-FOUND"


@pytest.mark.parametrize("text", [
    '[manifest]\nurl = "https://mirror.example.com/quicksupport.json"\n',
    f'[manifest]\npublic_keys = ["{"A" * 43}="]\n',
    '[download]\nallowed_hosts = ["dl.teamviewer.com"]\n',
    '[[connectivity.probes]]\nname = "download"\nurl = "https://mirror.example.com/quicksupport.json"\n',
    '[hotline]\nphone = "22 000 00 00"\n',
])
def test_changed_keys_or_urls_show_the_non_standard_banner(tmp_path, text):
    assert load_config(write(tmp_path, text)).non_standard


def test_unknown_keys_are_named_also_beside_a_value_of_the_wrong_type(tmp_path):
    with pytest.raises(LauncherError) as err:
        load_config(write(tmp_path, '[session]\nconfirm_minute = 5\nunknown_supporter = true\n[hotline]\nfax = "1"\n'))
    assert err.value.code == "CFG-INVALID"
    assert err.value.detail.endswith(": unknown keys: hotline.fax, session.confirm_minute; "
                                     "session.unknown_supporter has the wrong type"), err.value.detail
