import os
from pathlib import Path

import pytest

from launcher.config import load_config
from launcher.core.errors import LauncherError


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "override.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_builtin_config_is_standard_and_has_contract_keys():
    config = load_config()
    assert not config.non_standard
    assert config.manifest.url.startswith("https://")
    assert config.manifest.public_keys == ()  # no release key committed yet: downloads refuse with MAN-NOKEY
    assert config.connectivity.timeout_s == 3
    names = [p.name for p in config.connectivity.probes]
    assert names == ["download", "teamviewer"]
    tv = config.connectivity.probes[1]
    assert tv.kind == "tcp" and tv.ports == (5938, 443, 80)
    assert config.hotline.phone == "61 653 12 93"
    assert config.hotline.timezone == "Europe/Warsaw"


def test_override_merges_section_by_section_and_reports_changes(tmp_path):
    path = write(tmp_path, '[manifest]\nurl = "http://127.0.0.1:8080/q.json"\n[hotline]\nemail = "a@b.pl"\n')
    config = load_config(path)
    assert config.manifest.url == "http://127.0.0.1:8080/q.json"
    assert config.manifest.public_keys == ()  # kept from the built-in section
    assert config.hotline.phone == "61 653 12 93"
    assert config.hotline.email == "a@b.pl"
    assert config.changed_keys == ("hotline.email", "manifest.url")
    assert config.non_standard


def test_same_values_as_builtin_are_not_non_standard(tmp_path):
    path = write(tmp_path, '[hotline]\nphone = "61 653 12 93"\n')
    assert not load_config(path).non_standard


def test_unknown_keys_are_named(tmp_path):
    path = write(tmp_path, '[manifest]\nurll = "x"\n[bogus]\na = 1\n')
    with pytest.raises(LauncherError) as err:
        load_config(path)
    assert err.value.code == "CFG-INVALID"
    assert "manifest.urll" in err.value.detail and "bogus" in err.value.detail


def test_unknown_probe_key_is_named(tmp_path):
    path = write(tmp_path, '[[connectivity.probes]]\nname = "x"\nhost = "h"\nports = [1]\nfoo = 2\n')
    with pytest.raises(LauncherError) as err:
        load_config(path)
    assert "connectivity.probes[0].foo" in err.value.detail


@pytest.mark.parametrize(
    "text",
    [
        "[manifest\n",  # broken TOML
        '[connectivity]\ntimeout_s = "3"\n',  # wrong type
        "[connectivity]\ntimeout_s = 0\n",  # out of range
        '[[connectivity.probes]]\nname = "x"\n',  # neither url nor host
        '[[connectivity.probes]]\nname = "x"\nhost = "h"\nports = [70000]\n',
        "[download]\nallowed_hosts = [1]\n",
        "[session]\nmax_minutes = 0\n",
    ],
)
def test_invalid_configs_are_refused_with_a_code(tmp_path, text):
    with pytest.raises(LauncherError) as err:
        load_config(write(tmp_path, text))
    assert err.value.code == "CFG-INVALID"


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(LauncherError) as err:
        load_config(tmp_path / "nope.toml")
    assert err.value.code == "CFG-NOT-FOUND" and "not found" in err.value.detail


def test_an_empty_path_is_not_found_rather_than_the_current_folder():
    with pytest.raises(LauncherError) as err:
        load_config("")
    assert err.value.code == "CFG-NOT-FOUND" and "empty" in err.value.detail


@pytest.mark.parametrize("url", [
    "http://www.ov.overmax.eu/pomoc-zdalna/quicksupport.json",  # plain http to a real host
    "http://10.0.0.5/q.json",  # a private address is not loopback
    "http://localhost.example.com/q.json",
    "ftp://www.ov.overmax.eu/q.json",
    "file:///tmp/q.json",
    "https:///q.json",  # no host
    "quicksupport.json",
])
def test_an_insecure_manifest_url_is_refused_when_the_config_loads(tmp_path, url):
    with pytest.raises(LauncherError) as err:
        load_config(write(tmp_path, f'[manifest]\nurl = "{url}"\n'))
    assert err.value.code == "CFG-INVALID" and "manifest.url" in err.value.detail


@pytest.mark.parametrize("url", [
    "https://[::1/q.json",  # an unclosed IPv6 address: was APP-INTERNAL (ValueError out of urlsplit)
    "https://mirror.example.com:99999/q.json",  # no such port: every download failed later as NET-INSECURE
    "https://mirror.example.com:abc/q.json",
    "https://mirror.example.com:0/q.json",
    "https://user:secret@mirror.example.com/q.json",  # every download refuses credentials in the URL
])
@pytest.mark.parametrize("section", ["manifest", "probe"])
def test_a_url_no_download_could_use_is_refused_when_the_config_loads(tmp_path, url, section):
    text = (f'[manifest]\nurl = "{url}"\n' if section == "manifest" else
            f'[[connectivity.probes]]\nname = "download"\nurl = "{url}"\n')
    with pytest.raises(LauncherError) as err:
        load_config(write(tmp_path, text))
    assert err.value.code == "CFG-INVALID" and ".url" in err.value.detail, err.value.detail
    assert "secret" not in err.value.detail


@pytest.mark.parametrize("text", [
    "a = " + "[" * 100_000 + "]" * 100_000 + "\n",  # tomllib recurses per level: RecursionError
    "a = " + "{b = " * 5_000 + "1" + "}" * 5_000 + "\n",
])
def test_a_config_nested_too_deeply_is_cfg_invalid_not_an_internal_error(tmp_path, text):
    with pytest.raises(LauncherError) as err:
        load_config(write(tmp_path, text))
    assert err.value.code == "CFG-INVALID" and "nested too deeply" in err.value.detail


@pytest.mark.parametrize("url", ["http://127.0.0.1:8080/q.json", "http://[::1]:8080/q.json",
                                 "https://mirror.example.com:8443/q.json", "https://mirror.example.com:/q.json",
                                 "http://localhost:8080/q.json", "https://mirror.example.com/q.json"])
def test_https_and_loopback_http_manifest_urls_load(tmp_path, url):
    assert load_config(write(tmp_path, f'[manifest]\nurl = "{url}"\n')).manifest.url == url


def test_a_manifest_url_of_the_wrong_type_is_refused(tmp_path):
    with pytest.raises(LauncherError) as err:
        load_config(write(tmp_path, '[manifest]\nurl = 7\n'))
    assert err.value.code == "CFG-INVALID"


def test_overrides_apply_after_file(tmp_path):
    path = write(tmp_path, '[paths]\ndata_dir = "/a"\n')
    config = load_config(path, overrides={"paths": {"data_dir": "/b"}})
    assert config.paths.data_dir == "/b"


@pytest.mark.parametrize("text", [
    "[connectivity]\ntimeout_s = 60\n", "[quicksupport]\nid_timeout_s = 600\n", '[hotline]\nhours = "24/7"\n',
    '[hotline]\ntimezone = "America/New_York"\n', "[session]\nmax_minutes = 1440\n",
    "[session]\nidle_prompt_minutes = 1440\n", "[session]\nidle_answer_s = 600\n",
    "[session]\nconfirm_minutes = 1440\n"])
def test_a_changed_timing_shows_the_banner_too(tmp_path, text):
    """DESIGN.md: a config that changes keys shows the banner. Timings were once quiet, yet a day-long limit or
    question switches a protection off, and "24/7" says the hotline is open when it is not."""
    config = load_config(write(tmp_path, text))
    assert len(config.changed_keys) == 1 and config.non_standard_keys == config.changed_keys


def test_banner_names_every_changed_key(tmp_path):
    loud = load_config(overrides={"download": {"allowed_hosts": ["evil.example"]},
                                  "hotline": {"phone": "+48 999 999 999"}, "paths": {"data_dir": "/x"}})
    assert loud.non_standard_keys == ("download.allowed_hosts", "hotline.phone", "paths.data_dir")


@pytest.mark.parametrize(
    "text",
    [
        "[session]\nmax_minutes = 100000\n",  # would overflow the Qt timer
        "[session]\nidle_answer_s = 1\n",
        '[session]\nunknown_supporter = "allow"\n',
        "[session]\nunknown_supporter = 1\n",
        "[session]\nconfirm_minutes = 0\n",
        "[quicksupport]\nid_timeout_s = -5\n",
        '[hotline]\ntimezone = "Mars/Phobos"\n',
        '[[connectivity.probes]]\nname = "d"\nurl = "ftp://x.example/q"\n',
        '[[connectivity.probes]]\nname = "d"\nurl = "http://example.com/q"\n',  # http only for loopback
        '[[connectivity.probes]]\nname = "t"\nhost = "h"\nports = [1]\n[[connectivity.probes]]\nname = "t"\n'
        'host = "g"\nports = [2]\n',
    ],
)
def test_values_out_of_range_are_refused_with_a_code(tmp_path, text):
    with pytest.raises(LauncherError) as err:
        load_config(write(tmp_path, text))
    assert err.value.code == "CFG-INVALID"


def test_roster_session_keys(tmp_path):
    builtin = load_config()
    assert (builtin.session.unknown_supporter, builtin.session.confirm_minutes) == ("disconnect", 30)
    shorter = load_config(write(tmp_path, "[session]\nconfirm_minutes = 10\n"))
    assert shorter.session.confirm_minutes == 10 and shorter.non_standard_keys == ("session.confirm_minutes",)
    # keeping an unknown supporter connected weakens a protection: the banner says so
    warn = load_config(write(tmp_path, '[session]\nunknown_supporter = "warn"\n'))
    assert warn.session.unknown_supporter == "warn"
    assert warn.non_standard_keys == ("session.unknown_supporter",)


def test_loopback_http_probe_is_allowed(tmp_path):
    config = load_config(write(tmp_path, '[[connectivity.probes]]\nname = "d"\nurl = "http://127.0.0.1:8/q"\n'))
    assert config.connectivity.probes[0].url == "http://127.0.0.1:8/q"


@pytest.mark.parametrize("proxy", ["ftp://proxy.example:21", "http://", "socks5://jan:tajne@", "http://proxy:abc",
                                   "gopher://proxy.example:70", "http://jan:tajne@:3128"])
def test_a_proxy_no_download_could_use_is_refused_when_the_config_loads(tmp_path, proxy):
    """It was accepted, and then every check failed as NET-OFFLINE ("not connected to the internet")."""
    with pytest.raises(LauncherError) as err:
        load_config(write(tmp_path, f'[download]\nproxy = "{proxy}"\n'))
    assert err.value.code == "CFG-INVALID"
    assert "download.proxy" in err.value.detail and "tajne" not in err.value.detail


@pytest.mark.parametrize("proxy", ["", "http://proxy.example:3128", "proxy.example:3128", "https://[::1]:3128",
                                   "socks://127.0.0.1:1080", "SOCKS5H://h:1080", "socks4://h:1080",
                                   "http://jan:ab/cd#9@proxy.example:3128"])
def test_the_proxies_the_readme_names_load(tmp_path, proxy):
    assert load_config(write(tmp_path, f'[download]\nproxy = "{proxy}"\n')).download.proxy == proxy


@pytest.mark.parametrize("special", ["/dev/zero", "/dev/urandom", "fifo", "folder"])
def test_a_config_that_is_not_a_regular_file_is_refused_without_reading_it(tmp_path, special):
    """`--config /dev/zero` read until MemoryError (APP-INTERNAL, or the machine's OOM killer); a named pipe
    with no writer waited forever."""
    if special == "fifo":
        if not hasattr(os, "mkfifo"):
            pytest.skip("no named pipes here")
        path = tmp_path / "config.toml"
        os.mkfifo(path)
    elif special == "folder":
        path = tmp_path
    else:
        path = Path(special)
        if not path.exists():
            pytest.skip(f"no {special} here")
    with pytest.raises(LauncherError) as err:
        load_config(path)
    assert err.value.code == "CFG-INVALID"


def test_a_config_far_larger_than_any_config_is_refused(tmp_path):
    path = tmp_path / "big.toml"
    path.write_bytes(b"# x\n" * (2 * 1024 * 1024 // 4))
    with pytest.raises(LauncherError) as err:
        load_config(path)
    assert err.value.code == "CFG-INVALID" and "KiB" in err.value.detail


@pytest.mark.parametrize("text", ['[paths]\ndata_dir = "dane\\u0000x"\n',
                                  '[quicksupport]\nlog_dirs = ["logs\\u0000"]\n'])
def test_a_folder_name_with_a_nul_character_is_refused_when_the_config_loads(tmp_path, text):
    """TOML allows \\u0000; every file call then raised ValueError, which the window showed as APP-INTERNAL."""
    with pytest.raises(LauncherError) as err:
        load_config(write(tmp_path, text))
    assert err.value.code == "CFG-INVALID" and "NUL" in err.value.detail


@pytest.mark.parametrize("keys", ['["not base64!"]', '["AAAA"]', '["' + "A" * 43 + '=", "QUJD"]'])
def test_a_public_key_that_is_not_an_ed25519_key_is_refused_when_the_config_loads(tmp_path, keys):
    """It was skipped in silence: with a good key beside it nothing showed, and alone it meant MAN-NOKEY."""
    with pytest.raises(LauncherError) as err:
        load_config(write(tmp_path, f"[manifest]\npublic_keys = {keys}\n"))
    assert err.value.code == "CFG-INVALID" and "manifest.public_keys[" in err.value.detail


def test_a_public_key_may_be_wrapped_over_lines(tmp_path):
    key = "A" * 20 + "\\n" + "A" * 23 + "="
    config = load_config(write(tmp_path, f'[manifest]\npublic_keys = ["{key}"]\n'))
    assert len(config.manifest.public_keys) == 1


def hotline_toml(tmp_path: Path, **values: str) -> Path:
    """A config setting [hotline] keys to `values` (JSON string escapes are TOML's too)."""
    import json

    return write(tmp_path, "[hotline]\n" + "".join(f"{k} = {json.dumps(v)}\n" for k, v in values.items()))


NONSENSE_HOURS = [
    "Mon-Fri 25:00-99:00",  # no such hour
    "Funday 8-16",  # no such day
    "",  # never open
    "   ",
    ",;,",
    "Sat closed",  # every day named is closed: never open
    "Mon-Fri 16:00-08:00",  # ends before it starts (overnight hours are not a hotline's)
    "Mon-Fri 8:60-16",
    "Mon-Fri 08:00-16:00 CET",  # the zone is hotline.timezone, not part of the hours
    "Mon-Fri 8-16; Sat",  # a day without hours
    "8-16",  # hours without a day
    "todo 8-16",  # "to"/"do" are dashes, not days: nothing was named
    "toto",
    "Mon-Fri 8-16, " * 40,  # far longer than any opening hours
    "Mon-" * 30000,  # one part of 120 000 characters: refused at once, not after a long read
]


@pytest.mark.parametrize("hours", NONSENSE_HOURS)
def test_nonsense_hotline_hours_are_refused_when_the_config_loads(tmp_path, hours):
    with pytest.raises(LauncherError) as err:
        load_config(hotline_toml(tmp_path, hours=hours))
    assert err.value.code == "CFG-INVALID"
    assert err.value.detail.startswith("hotline.hours: ") and len(err.value.detail) < 200, err.value.detail


@pytest.mark.parametrize("hours", ["Mon-Fri 8-16", "pn-pt 8:00–16:00, sob 9-13, nd nieczynne", "24/7",
                                   "Mon-Fri 8am-4pm", "Pn–Pt 8.00–16.00", "Mon 0:00-24:00"])
def test_hotline_hours_people_write_load(tmp_path, hours):
    assert load_config(hotline_toml(tmp_path, hours=hours)).hotline.hours == hours


@pytest.mark.parametrize("zone", ["", " ", "Mars/Phobos", "Europe/Warsaw ", "europe/warsaw", "Europe", "zone.tab",
                                  "../../etc/passwd", "/etc/localtime", "Europe/Warsaw\u0000", "x" * 100_000])
def test_unknown_time_zones_are_refused_when_the_config_loads(tmp_path, zone):
    """Including a folder ("Europe") and a file that is not a zone ("zone.tab") of the zone database, which
    zoneinfo reports as IsADirectoryError and ValueError rather than "not found"."""
    with pytest.raises(LauncherError) as err:
        load_config(hotline_toml(tmp_path, timezone=zone))
    assert err.value.code == "CFG-INVALID"
    assert err.value.detail.startswith("hotline.timezone: ") and len(err.value.detail) < 200, err.value.detail


@pytest.mark.parametrize("zone", ["Europe/Warsaw", "UTC", "Europe/London"])
def test_real_time_zones_load(tmp_path, zone):
    assert load_config(hotline_toml(tmp_path, timezone=zone)).hotline.timezone == zone


@pytest.mark.parametrize("phone", ["", "   ", "abc", "61 653 12 93 wew. 5", "12345", "tel. 61 653 12 93",
                                   "1" * 16, "61\u0000653 12 93", "61 653 12 93\n",
                                   "616531293" + "/" * 150,  # digits enough, but it widened the window off-screen
                                   "+ 4 8 - 6 1 - 6 5 3 - 1 2 - 9 3 ----"])
def test_a_hotline_phone_that_is_not_a_phone_number_is_refused(tmp_path, phone):
    """The window tells the customer to check they are on the phone with this very number."""
    with pytest.raises(LauncherError) as err:
        load_config(hotline_toml(tmp_path, phone=phone))
    assert err.value.code == "CFG-INVALID" and err.value.detail.startswith("hotline.phone is not a phone number")


@pytest.mark.parametrize("phone", ["61 653 12 93", "+48 61 653 12 93", "(61) 653-12-93", "616531293",
                                   "+48\u00a061\u00a0653\u00a012\u00a093", "801 123 456",
                                   "+48 (61) 653-12-93 / 94"])
def test_hotline_phones_as_people_write_them_load(tmp_path, phone):
    assert load_config(hotline_toml(tmp_path, phone=phone)).hotline.phone == phone


@pytest.mark.parametrize("email", ["pomoc", "pomoc@", "@overmax.pl", "pomoc@overmax", "po moc@overmax.pl",
                                   "a@b@overmax.pl", "pomoc@overmax.pl\u0000", "x" * 250 + "@overmax.pl"])
def test_a_hotline_email_that_is_not_an_address_is_refused(tmp_path, email):
    """It is printed in the Regulamin as the address to write to."""
    with pytest.raises(LauncherError) as err:
        load_config(hotline_toml(tmp_path, email=email))
    assert err.value.code == "CFG-INVALID" and err.value.detail.startswith("hotline.email is not an e-mail")


@pytest.mark.parametrize("email", ["", "pomoc@overmax.pl", " pomoc@overmax.pl ", "pomoc.techniczna@ov.overmax.eu"])
def test_hotline_emails_load_and_empty_means_none(tmp_path, email):
    assert load_config(hotline_toml(tmp_path, email=email)).hotline.email == email


@pytest.mark.parametrize("host", ["", " ", "https://dl.teamviewer.com", "dl.teamviewer.com/download",
                                  "*.teamviewer.com", "dl teamviewer com", "user@dl.teamviewer.com",
                                  "dl.teamviewer.com\n"])
def test_an_allowed_host_that_is_not_a_host_name_is_refused_when_the_config_loads(tmp_path, host):
    """Hosts are compared whole: such an entry allowed no download, and each failed later as NET-HOST."""
    import json

    with pytest.raises(LauncherError) as err:
        load_config(write(tmp_path, f"[download]\nallowed_hosts = [\"dl.teamviewer.com\", {json.dumps(host)}]\n"))
    assert err.value.code == "CFG-INVALID" and err.value.detail.startswith("download.allowed_hosts[1] is not a host")


@pytest.mark.parametrize(("host", "said"), [("127.0.0.1:8765", "carries a port"),
                                             ("dl.teamviewer.com:443", "carries a port"),
                                             ("[::1]", "is not a host"), ("[::1]:443", "is not a host")])
def test_an_allowed_host_with_a_port_or_brackets_is_refused_when_the_config_loads(tmp_path, host, said):
    """A URL's host is compared without its port or brackets (urlsplit's hostname): such an entry loaded, and
    every download from it failed later as NET-HOST "not in download.allowed_hosts" (contracts review)."""
    import json

    with pytest.raises(LauncherError) as err:
        load_config(write(tmp_path, f"[download]\nallowed_hosts = [{json.dumps(host)}]\n"))
    assert err.value.code == "CFG-INVALID" and said in err.value.detail


@pytest.mark.parametrize("host", ["dl.teamviewer.com", "DL.TeamViewer.com", "127.0.0.1", "::1", "localhost",
                                  "pobieranie.example.pl."])
def test_allowed_host_names_load_in_lower_case(tmp_path, host):
    import json

    config = load_config(write(tmp_path, f"[download]\nallowed_hosts = [{json.dumps(host)}]\n"))
    assert config.download.allowed_hosts == (host.lower(),)
