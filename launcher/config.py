"""Typed, validated configuration: `resources/config.toml`, merged section by section with `--config FILE`.

Unknown keys are an error that names them. Any difference from the built-in configuration is
reported in `Config.changed_keys` so the window can show the "non-standard configuration" banner.
"""

from __future__ import annotations

import base64
import binascii
import os
import stat
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from launcher.core.errors import LauncherError
from launcher.core.hosts import is_loopback_host
from launcher.core.opening_hours import hotline_zone, parse_hours
from launcher.resources import resource_path


@dataclass(frozen=True)
class ManifestConfig:
    url: str
    public_keys: tuple[str, ...]


@dataclass(frozen=True)
class DownloadConfig:
    allowed_hosts: tuple[str, ...]
    proxy: str = ""  # manual proxy URL; empty: the system's proxies

    @property
    def proxies(self) -> dict[str, str] | None:
        """requests-style proxies for the manual proxy; None means the system's settings."""
        return {"http": self.proxy, "https": self.proxy} if self.proxy else None


@dataclass(frozen=True)
class Probe:
    name: str
    url: str = ""  # HTTPS (or loopback HTTP) reachability
    host: str = ""  # TCP reachability
    ports: tuple[int, ...] = ()

    @property
    def kind(self) -> str:
        return "https" if self.url else "tcp"


@dataclass(frozen=True)
class ConnectivityConfig:
    timeout_s: float
    probes: tuple[Probe, ...]


@dataclass(frozen=True)
class QuickSupportConfig:
    log_dirs: tuple[str, ...] = ()
    id_timeout_s: float = 60.0


@dataclass(frozen=True)
class HotlineConfig:
    phone: str
    email: str
    hours: str
    timezone: str


@dataclass(frozen=True)
class PathsConfig:
    data_dir: str = ""


@dataclass(frozen=True)
class SessionConfig:
    max_minutes: int = 120  # the session ends by itself after this long
    idle_prompt_minutes: int = 30  # "are you still there?" when no consultant joined for this long
    idle_answer_s: int = 60  # no answer to that prompt (or to "is the consultant still helping?") ends it
    unknown_supporter: str = "disconnect"  # or "warn": a supporter not on the manifest's roster stays connected
    confirm_minutes: int = 30  # "is the consultant still helping you?" this often while one is connected


@dataclass(frozen=True)
class Config:
    manifest: ManifestConfig
    download: DownloadConfig
    connectivity: ConnectivityConfig
    quicksupport: QuickSupportConfig
    hotline: HotlineConfig
    paths: PathsConfig
    session: SessionConfig = field(default_factory=SessionConfig)
    changed_keys: tuple[str, ...] = ()
    source: str = ""

    @property
    def non_standard_keys(self) -> tuple[str, ...]:
        """Changed keys that show the banner: every one (DESIGN.md's contract). Timings too: a session limit,
        "is the consultant still helping?" or the idle question set to a day switches a protection off, and
        hours of "24/7" make the window say the hotline is open when it is not."""
        return self.changed_keys

    @property
    def non_standard(self) -> bool:
        return bool(self.non_standard_keys)


UNKNOWN_SUPPORTER_MODES = ("disconnect", "warn")

_SCHEMA: dict[str, dict[str, type | tuple[type, ...]]] = {
    "manifest": {"url": str, "public_keys": list},
    "download": {"allowed_hosts": list, "proxy": str},
    "connectivity": {"timeout_s": (int, float), "probes": list},
    "quicksupport": {"log_dirs": list, "id_timeout_s": (int, float)},
    "hotline": {"phone": str, "email": str, "hours": str, "timezone": str},
    "paths": {"data_dir": str},
    "session": {"max_minutes": int, "idle_prompt_minutes": int, "idle_answer_s": int, "unknown_supporter": str,
                "confirm_minutes": int},
}
_PROBE_KEYS = {"name": str, "url": str, "host": str, "ports": list}


def builtin_config_path() -> Path:
    return resource_path("config.toml")


MAX_CONFIG_BYTES = 1024 * 1024  # the built-in one is about 3 KB; anything near this is not a config file


def _read_config_bytes(path: Path) -> bytes:
    """The file's bytes; CFG-INVALID for what is not a regular file (a folder, /dev/zero, a named pipe would
    be read forever or wait forever) or is larger than MAX_CONFIG_BYTES (read no further than that)."""
    if not stat.S_ISREG(os.stat(path).st_mode):  # FileNotFoundError: CFG-NOT-FOUND
        raise LauncherError("CFG-INVALID", f"cannot read {path}: not a regular file")
    with open(path, "rb") as fh:
        data = fh.read(MAX_CONFIG_BYTES + 1)
    if len(data) > MAX_CONFIG_BYTES:
        raise LauncherError("CFG-INVALID", f"cannot read {path}: larger than {MAX_CONFIG_BYTES // 1024} KiB")
    return data


def _read_toml(path: Path) -> dict[str, Any]:
    """The file as Windows editors save it too (BOM, UTF-16, CRLF, the ANSI code page: textfiles);
    CFG-INVALID naming the line and column TOML stops at; CFG-NOT-FOUND; APP-FILE-UNREADABLE where it
    exists but may not be read (held by another program, no permission): it is not the file's fault."""
    from launcher.core.textfiles import ansi_code_page, decode_text

    try:
        return tomllib.loads(decode_text(_read_config_bytes(Path(path))))
    except FileNotFoundError as exc:
        raise LauncherError("CFG-NOT-FOUND", f"config file not found: {path}") from exc
    except PermissionError as exc:  # Windows: another program or a scanner holds it (a sharing violation)
        raise LauncherError("APP-FILE-UNREADABLE", f"config file {path}: {exc}") from exc
    except UnicodeDecodeError as exc:  # the codec's own words ("'charmap' codec can't decode") help nobody
        tried = exc.encoding if exc.encoding.startswith("utf") else f"UTF-8 or {ansi_code_page()}"
        raise LauncherError("CFG-INVALID", f"{path}: not a text file (byte 0x{exc.object[exc.start]:02x} at offset "
                                           f"{exc.start} is no character in {tried})") from exc
    except OSError as exc:
        raise LauncherError("CFG-INVALID", f"cannot read {path}: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise LauncherError("CFG-INVALID", f"{path}: {exc}") from exc
    except RecursionError as exc:  # tomllib parses nested arrays and inline tables recursively
        raise LauncherError("CFG-INVALID", f"{path}: nested too deeply to be a config") from exc


def _check_types(data: dict[str, Any], origin: str) -> None:
    """CFG-INVALID naming every unknown key and every value of the wrong type, all in one detail: a file with
    both a mistyped key and a wrong value named only the value, and the unknown key came as a second error."""
    unknown = [f"{s}" for s in data if s not in _SCHEMA]
    wrong: list[str] = []
    for section, values in data.items():
        if section not in _SCHEMA:
            continue
        if not isinstance(values, dict):
            wrong.append(f"[{section}] must be a table")
            continue
        for key, value in values.items():
            if key not in _SCHEMA[section]:
                unknown.append(f"{section}.{key}")
                continue
            expected = _SCHEMA[section][key]
            if isinstance(value, bool) or not isinstance(value, expected):
                wrong.append(f"{section}.{key} has the wrong type")
    problems = ([f"unknown keys: {', '.join(sorted(unknown))}"] if unknown else []) + wrong
    if problems:
        raise LauncherError("CFG-INVALID", f"{origin}: {'; '.join(problems)}")


def _strings(values: list[Any], where: str) -> tuple[str, ...]:
    if not all(isinstance(v, str) for v in values):
        raise LauncherError("CFG-INVALID", f"{where} must be a list of strings")
    return tuple(values)


def _probe(raw: Any, index: int) -> Probe:
    where = f"connectivity.probes[{index}]"
    if not isinstance(raw, dict):
        raise LauncherError("CFG-INVALID", f"{where} must be a table")
    unknown = sorted(set(raw) - set(_PROBE_KEYS))
    if unknown:
        raise LauncherError("CFG-INVALID", f"unknown keys: {', '.join(f'{where}.{k}' for k in unknown)}")
    for key, expected in _PROBE_KEYS.items():
        if key in raw and not isinstance(raw[key], expected):
            raise LauncherError("CFG-INVALID", f"{where}.{key} has the wrong type")
    name = raw.get("name", "")
    url, host = raw.get("url", ""), raw.get("host", "")
    ports = raw.get("ports", [])
    if not name:
        raise LauncherError("CFG-INVALID", f"{where} needs a name")
    if bool(url) == bool(host):
        raise LauncherError("CFG-INVALID", f"{where} needs either url or host")
    if url:
        _check_secure_url(url, where)
    if host and not ports:
        raise LauncherError("CFG-INVALID", f"{where} needs ports")
    if not all(isinstance(p, int) and not isinstance(p, bool) and 0 < p < 65536 for p in ports):
        raise LauncherError("CFG-INVALID", f"{where}.ports must be port numbers")
    return Probe(name=name, url=url, host=host, ports=tuple(ports))


def _in_range(key: str, value: float, low: float, high: float) -> None:
    if not low <= value <= high:
        raise LauncherError("CFG-INVALID", f"{key} must be between {low:g} and {high:g}, not {value:g}")


_PHONE_CHARS = frozenset("0123456789 +-()/.\u00a0")
_PHONE_DIGITS = (6, 15)  # a Polish number has 9, E.164 allows 15 with the country code
_PHONE_MAX_CHARS = 30  # 15 digits with a separator between each: more is not a number as people write one


def _phone(value: str) -> str:
    """hotline.phone as written ("61 653 12 93", "+48 61 653-12-93"); CFG-INVALID for text that is not a phone
    number (empty, letters): the window tells the customer to check they are talking to this very number."""
    digits = sum(c.isdigit() for c in value)
    if (not set(value) <= _PHONE_CHARS or not _PHONE_DIGITS[0] <= digits <= _PHONE_DIGITS[1]
            or len(value) > _PHONE_MAX_CHARS):  # shown large on every page: a long one widened the window
        raise LauncherError("CFG-INVALID", f"hotline.phone is not a phone number: {value[:40]!r}")
    return value


def _email(value: str) -> str:
    """hotline.email as written, or "" (the Regulamin then says no address); CFG-INVALID for text that is not
    an address (blanks, no or several "@", no dot in the domain): it is printed in the Regulamin."""
    address = value.strip()
    if not address:
        return value
    local, at, domain = address.partition("@")
    if (not at or not local or "@" in domain or "." not in domain.strip(".") or len(address) > 254
            or any(c.isspace() or not c.isprintable() for c in address)):
        raise LauncherError("CFG-INVALID", f"hotline.email is not an e-mail address: {value[:60]!r}")
    return value


def _hosts(hosts: tuple[str, ...]) -> tuple[str, ...]:
    """download.allowed_hosts, lower case; CFG-INVALID for an entry that is not a bare host name (a URL, a
    pattern such as "*.teamviewer.com", an empty one): hosts are compared whole, so such an entry matched no
    download and every one failed later as NET-HOST."""
    for i, host in enumerate(hosts):
        if not host or any(c.isspace() or c in "/\\*@?#[]" for c in host):
            raise LauncherError("CFG-INVALID", f"download.allowed_hosts[{i}] is not a host name (such as "
                                f"dl.teamviewer.com): {host[:60]!r}")
        if ":" in host and not _is_ipv6(host):  # "127.0.0.1:8765": the port is the URL's, never the host's
            raise LauncherError("CFG-INVALID", f"download.allowed_hosts[{i}] carries a port; write the host alone "
                                f"(the port belongs in the URL): {host[:60]!r}")
    return tuple(h.lower() for h in hosts)


def _is_ipv6(text: str) -> bool:
    """An IPv6 address as urlsplit gives a URL's host (without brackets), e.g. "::1"."""
    import ipaddress

    try:
        ipaddress.IPv6Address(text)
    except ValueError:
        return False
    return True


def _check_secure_url(url: str, where: str) -> None:
    """https only; http for loopback alone (the same rule as every download), and an address every download
    can use: a host, a port number 1-65535 where one is written. Checked when the config loads: an unclosed
    `[::1` was APP-INTERNAL, and a port of `99999` or `abc` failed every download later as NET-INSECURE."""
    try:
        parts = urlsplit(url)
        host, port = parts.hostname, parts.port  # .port raises ValueError for a port that is no port
    except ValueError as exc:
        raise LauncherError("CFG-INVALID", f"{where}.url is not a valid address ({exc}): {url[:200]!r}") from exc
    if port == 0:
        raise LauncherError("CFG-INVALID", f"{where}.url has port 0, which no server listens on: {url[:200]!r}")
    if parts.username is not None or parts.password is not None:  # every download refuses them (http.check_url)
        raise LauncherError("CFG-INVALID", f"{where}.url must not carry a user name or password: "
                            f"{_redact_userinfo(url)[:200]!r}")
    secure = parts.scheme == "https" or (parts.scheme == "http" and is_loopback_host(host or ""))
    if secure and host:
        return
    raise LauncherError("CFG-INVALID", f"{where}.url must be https:// (http:// only for loopback): {url!r}")


# What requests (with PySocks) can speak to; `socks://` is read as SOCKS5 (launcher.core.http)
_PROXY_SCHEMES = ("http", "https", "socks", "socks4", "socks4a", "socks5", "socks5h")


def _proxy(value: str) -> str:
    """download.proxy as written, refused when the config loads if no download could ever use it (an
    `ftp://` proxy, no host, a port that is not a number): otherwise every check failed as "no internet"."""
    text = value.strip()
    if not text:
        return value
    scheme, sep, rest = text.partition("://")
    if not sep:  # `proxy:3128` is read as http://, as requests reads it
        scheme, rest = "http", text
    hostpart = rest.rpartition("@")[2].split("/", 1)[0]  # a password may be written unencoded, '@' and all
    try:
        parts = urlsplit(f"http://{hostpart}")
        host, _port = parts.hostname, parts.port
    except ValueError:
        host = None
    if scheme.lower() not in _PROXY_SCHEMES or not host:
        raise LauncherError("CFG-INVALID", "download.proxy must be http://, https://, socks4://, socks5://, "
                            f"socks5h:// or socks:// with a host and a port number: {_redact_userinfo(text)!r}")
    return value


def _redact_userinfo(proxy: str) -> str:
    """The proxy URL without its user and password (a detail line must never show a password)."""
    scheme, sep, rest = proxy.partition("://")
    if "@" not in rest:
        return proxy
    return f"{scheme}{sep}***@{rest.rpartition('@')[2]}"


ED25519_PUBLIC_KEY_BYTES = 32


def _public_keys(keys: tuple[str, ...]) -> tuple[str, ...]:
    """Each key must be the base64 of a raw 32-byte Ed25519 public key: a mistyped one was skipped in silence,
    and a key rotation with a typo then failed every download as MAN-SIG ("forged manifest")."""
    for i, key in enumerate(keys):
        try:
            raw = base64.b64decode("".join(key.split()), validate=True)
        except (binascii.Error, ValueError):
            raw = b""
        if len(raw) != ED25519_PUBLIC_KEY_BYTES:
            raise LauncherError("CFG-INVALID", f"manifest.public_keys[{i}] is not the base64 of a 32-byte Ed25519 "
                                f"public key: {key[:12]!r}...")
    return keys


def _no_nul(folders: tuple[str, ...], where: str) -> tuple[str, ...]:
    """Folder names no OS can open (a NUL byte: every file call raised ValueError, seen as APP-INTERNAL)."""
    if any("\0" in folder for folder in folders):
        raise LauncherError("CFG-INVALID", f"{where}: a folder name holds a NUL character")
    return folders


def _full_folders(folders: tuple[str, ...], where: str) -> tuple[str, ...]:
    """Each folder as written (the banner compares those), refused when it cannot name one folder wherever the
    launcher is started: a variable that is not set, a relative path (`launcher.core.folder_setting`)."""
    from launcher.core.folder_setting import FolderSettingError, full_folder

    for folder in _no_nul(folders, where):
        if not folder:  # an empty entry names no folder and is skipped
            continue
        try:
            full_folder(folder, where)
        except FolderSettingError as exc:
            raise LauncherError("CFG-INVALID", str(exc)) from exc
    return folders


def _folders(paths: PathsConfig) -> PathsConfig:
    if isinstance(paths.data_dir, str):  # empty: the platform's per-user folders
        _full_folders((paths.data_dir,), "paths.data_dir")
    return paths


def _manifest_url(url: Any) -> str:
    if not isinstance(url, str):
        raise LauncherError("CFG-INVALID", "manifest.url has the wrong type")
    _check_secure_url(url, "manifest")
    return url


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = {section: dict(values) for section, values in base.items()}
    for section, values in override.items():
        merged.setdefault(section, {}).update(values)
    return merged


def _changed(builtin: dict[str, Any], merged: dict[str, Any]) -> tuple[str, ...]:
    changed = []
    for section, values in merged.items():
        for key, value in values.items():
            if builtin.get(section, {}).get(key) != value:
                changed.append(f"{section}.{key}")
    return tuple(sorted(changed))


def _hotline(hotline: HotlineConfig) -> HotlineConfig:
    # checked here, with the hotline's own code, so every command and the window refuse the same values
    hotline_zone(hotline.timezone)
    parse_hours(hotline.hours)
    _phone(hotline.phone)
    _email(hotline.email)
    return hotline


def _build(data: dict[str, Any]) -> Config:
    try:
        m, d, c = data["manifest"], data["download"], data["connectivity"]
        q, h, p = data.get("quicksupport", {}), data["hotline"], data.get("paths", {})
        s = data.get("session", {})
        timeout = float(c["timeout_s"])
        if not 0 < timeout <= 60:
            raise LauncherError("CFG-INVALID", "connectivity.timeout_s must be between 0 and 60 seconds")
        session = SessionConfig(**s)
        _in_range("session.max_minutes", session.max_minutes, 1, 24 * 60)
        _in_range("session.idle_prompt_minutes", session.idle_prompt_minutes, 1, 24 * 60)
        _in_range("session.idle_answer_s", session.idle_answer_s, 5, 3600)
        _in_range("session.confirm_minutes", session.confirm_minutes, 1, 24 * 60)
        if session.unknown_supporter not in UNKNOWN_SUPPORTER_MODES:
            raise LauncherError("CFG-INVALID", f"session.unknown_supporter must be one of {UNKNOWN_SUPPORTER_MODES}, "
                                f"not {session.unknown_supporter!r}")
        id_timeout = float(q.get("id_timeout_s", 60.0))
        _in_range("quicksupport.id_timeout_s", id_timeout, 5, 600)
        probes = tuple(_probe(raw, i) for i, raw in enumerate(c.get("probes", [])))
        names = [p.name for p in probes]
        if len(set(names)) != len(names):
            raise LauncherError("CFG-INVALID", f"connectivity.probes: names must be unique: {names}")
        if "dns" in names:
            raise LauncherError("CFG-INVALID", "connectivity.probes: 'dns' is the name of the DNS row")
        return Config(
            manifest=ManifestConfig(
                url=_manifest_url(m["url"]),
                public_keys=_public_keys(_strings(m["public_keys"], "manifest.public_keys")),
            ),
            download=DownloadConfig(
                allowed_hosts=_hosts(_strings(d["allowed_hosts"], "download.allowed_hosts")),
                proxy=_proxy(d.get("proxy", "")),
            ),
            connectivity=ConnectivityConfig(timeout_s=timeout, probes=probes),
            quicksupport=QuickSupportConfig(
                log_dirs=_full_folders(_strings(q.get("log_dirs", []), "quicksupport.log_dirs"),
                                       "quicksupport.log_dirs"),
                id_timeout_s=id_timeout,
            ),
            hotline=_hotline(HotlineConfig(**h)),
            paths=_folders(PathsConfig(**p)),
            session=session,
        )
    except KeyError as exc:
        raise LauncherError("CFG-INVALID", f"missing key {exc}") from exc
    except TypeError as exc:
        raise LauncherError("CFG-INVALID", str(exc)) from exc


def load_config(path: Path | str | None = None, overrides: dict[str, Any] | None = None) -> Config:
    """The built-in config, with `path` (if given), then `overrides`, merged over it section by section."""
    builtin = _read_toml(builtin_config_path())
    _check_types(builtin, "built-in config")
    merged = builtin
    sources = []
    if path is not None:
        if not str(path):  # `--config ""` (an unset variable in a script): Path("") would read the folder "."
            raise LauncherError("CFG-NOT-FOUND", "config file not found: the path is empty")
        override = _read_toml(Path(path))
        _check_types(override, str(path))
        merged = _merge(merged, override)
        sources.append(str(path))
    if overrides:
        _check_types(overrides, "overrides")
        merged = _merge(merged, overrides)
        sources.append("built-in overrides")
    config = _build(merged)
    from launcher.core.redaction import register_url_secrets

    register_url_secrets(config.download.proxy)  # its password is hidden in every output from now on
    return replace(config, changed_keys=_changed(builtin, merged), source=" + ".join(sources))
