"""The Ed25519-signed manifest: verify the signature over the exact bytes, then parse strictly,
then refuse expired (freeze attack) and rolled-back (replay) manifests.

Order matters: nothing from an unsigned byte is ever interpreted, not even as JSON.
"""

from __future__ import annotations

import base64
import binascii
import json
import platform
import re
import sys
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from filelock import FileLock, Timeout

from launcher.core import ed25519
from launcher.core.errors import LauncherError
from launcher.core.fsutil import atomic_write_text, clear_readonly
from launcher.core.http import check_url

if TYPE_CHECKING:
    from packaging.version import Version

SCHEMA = 1
PRODUCT = "teamviewer-quicksupport"
PLATFORM_KEYS = ("windows-x86_64", "windows-arm64", "macos-universal", "linux-x86_64")
KIND_FOR_OS = {"windows": "exe", "macos": "dmg", "linux": "tar.gz"}
KINDS = frozenset(KIND_FOR_OS.values())
MAX_MANIFEST_BYTES = 1 << 20
MAX_ARTIFACT_SIZE = 2 << 30  # 2 GiB; QuickSupport is ~30-60 MB

_PLATFORM_RE = re.compile(r"^(windows|macos|linux)-[a-z0-9_]{1,20}$")
_SHA256_RE = re.compile(r"^[0-9a-f]{64}$")
_VERSION_RE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._+-]{0,63}$")
_EXPIRES_RE = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)")
_TEAM_ID_RE = re.compile(r"^[A-Z0-9]{10}$")
_TOP_KEYS = {"schema", "product", "serial", "expires", "artifacts"}
_OPTIONAL_TOP = {"consultants", "min_launcher", "launcher_url"}
_REQUIRED_ART = {"url", "size", "sha256", "version", "kind"}
_OPTIONAL_ART = {"publisher", "team_id", "entry", "min_version"}
_TV_ID_RE = re.compile(r"^[1-9][0-9]{8,9}$")
MAX_CONSULTANTS = 10_000
MAX_NAME_CHARS = 100


IMAGE_FILE_MACHINE_ARM64 = 0xAA64
# Windows on ARM runs x64 programs (Windows 11) through its emulator: where a manifest lists no ARM64 build, the
# x64 one is what such a computer runs
PLATFORM_FALLBACKS = {"windows-arm64": ("windows-x86_64",)}


def _windows_native_machine() -> int | None:  # pragma: no cover - Windows only
    """The computer's own processor (IMAGE_FILE_MACHINE_*), whatever this process is emulated as: an x64 build
    of the launcher on Windows on ARM reads "AMD64" from platform.machine() (Python 3.11); None where
    IsWow64Process2 is missing (Windows 10 before 1709)."""
    import ctypes
    from ctypes import wintypes

    kernel32 = ctypes.WinDLL("kernel32")  # type: ignore[attr-defined]
    try:
        query = kernel32.IsWow64Process2
    except AttributeError:
        return None
    kernel32.GetCurrentProcess.restype = wintypes.HANDLE
    query.argtypes = [wintypes.HANDLE, ctypes.POINTER(wintypes.USHORT), ctypes.POINTER(wintypes.USHORT)]
    query.restype = wintypes.BOOL
    process_machine, native_machine = wintypes.USHORT(), wintypes.USHORT()
    if not query(kernel32.GetCurrentProcess(), ctypes.byref(process_machine), ctypes.byref(native_machine)):
        return None
    return native_machine.value


def current_platform_key() -> str:
    """This computer's manifest platform key (DESIGN.md's four); Windows by its own processor, not by the
    launcher build's (an x64 launcher on Windows on ARM is "windows-arm64")."""
    machine = platform.machine().lower()
    if sys.platform == "win32":
        native = _windows_native_machine()
        arm = native == IMAGE_FILE_MACHINE_ARM64 if native is not None else machine in ("arm64", "aarch64")
        return "windows-arm64" if arm else "windows-x86_64"
    if sys.platform == "darwin":
        return "macos-universal"
    return f"linux-{'x86_64' if machine in ('x86_64', 'amd64') else machine}"


@dataclass(frozen=True)
class Artifact:
    platform: str
    url: str
    size: int
    sha256: str
    version: str
    kind: str  # "exe" | "dmg" | "tar.gz"
    publisher: str = ""  # Windows Authenticode signer subject (CN)
    team_id: str = ""  # macOS codesign TeamIdentifier
    entry: str = ""  # Linux: the program inside the tar.gz, relative
    min_version: str = ""  # the oldest QuickSupport build allowed to run ("" = any)


@dataclass(frozen=True)
class Consultant:
    """One entry of the vendor's signed roster: a consultant's TeamViewer ID (9-10 digits) and name."""

    tv_id: str
    name: str


@dataclass(frozen=True)
class Manifest:
    schema: int
    product: str
    serial: int
    expires: datetime
    artifacts: dict[str, Artifact]
    # the vendor's roster; None = no roster (a supporter's name is then shown as unverified)
    consultants: tuple[Consultant, ...] | None = None
    min_launcher: str = ""  # launchers older than this stop with APP-OUTDATED
    launcher_url: str = ""  # where the current launcher is

    def consultant(self, tv_id: str | None) -> Consultant | None:
        """The roster entry for `tv_id`, or None (also when there is no roster)."""
        if not tv_id or self.consultants is None:
            return None
        return next((c for c in self.consultants if c.tv_id == tv_id), None)

    def artifact_for(self, platform: str | None = None) -> Artifact:
        """The artifact for `platform` (default: this computer's), else for the platform it runs the builds of
        (PLATFORM_FALLBACKS: Windows on ARM runs the x64 one). Raises LauncherError MAN-PLATFORM."""
        key = platform or current_platform_key()
        for candidate in (key, *PLATFORM_FALLBACKS.get(key, ())):
            if candidate in self.artifacts:
                return self.artifacts[candidate]
        raise LauncherError("MAN-PLATFORM", f"no artifact for {key} (serial {self.serial})")


def _bad(detail: str) -> LauncherError:
    return LauncherError("MAN-FORMAT", detail)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def decode_public_keys(public_keys: Sequence[str]) -> list[bytes]:
    """The pinned Ed25519 keys that are valid base64 of 32 bytes; anything else is skipped."""
    keys = []
    for text in public_keys:
        try:
            raw = base64.b64decode("".join(text.split()), validate=True)
        except (binascii.Error, ValueError, AttributeError):
            continue
        if len(raw) == ed25519.PUBLIC_KEY_BYTES:
            keys.append(raw)
    return keys


def verify_signature(data: bytes, signature: bytes, public_keys: Sequence[str]) -> None:
    """MAN-NOKEY without a usable pinned key; MAN-SIG unless one pinned key signed exactly `data`."""
    keys = decode_public_keys(public_keys)
    if not keys:
        raise LauncherError("MAN-NOKEY", "no valid Ed25519 public key in manifest.public_keys")
    try:
        sig = base64.b64decode(b"".join(signature.split()), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise LauncherError("MAN-SIG", "signature is not base64") from exc
    if len(sig) != ed25519.SIGNATURE_BYTES:
        raise LauncherError("MAN-SIG", f"signature has {len(sig)} bytes, not {ed25519.SIGNATURE_BYTES}")
    if not any(ed25519.verify(key, data, sig) for key in keys):
        raise LauncherError("MAN-SIG", "no pinned key verifies this manifest")


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _bad(f"duplicate key {key!r}")
        result[key] = value
    return result


def _reject_constant(name: str) -> Any:
    raise _bad(f"{name} is not allowed")


def parse_expires(value: Any) -> datetime:
    if not isinstance(value, str) or not _EXPIRES_RE.fullmatch(value):
        raise _bad("expires must be an ISO 8601 UTC time like 2027-01-31T00:00:00Z")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as exc:
        raise _bad(f"expires: {exc}") from exc
    return parsed.astimezone(UTC)


def entry_is_safe(entry: str) -> bool:
    if not entry or "\\" in entry or "\x00" in entry or entry.startswith("/"):
        return False
    if re.match(r"^[A-Za-z]:", entry):
        return False
    parts = PurePosixPath(entry).parts
    return bool(parts) and all(p not in ("..", ".", "") for p in parts)


def _artifact(platform_key: str, raw: Any) -> Artifact:
    where = f"artifacts[{platform_key!r}]"
    if not isinstance(raw, dict):
        raise _bad(f"{where} must be an object")
    keys = set(raw)
    if not keys >= _REQUIRED_ART:
        raise _bad(f"{where} misses {sorted(_REQUIRED_ART - keys)}")
    if keys - _REQUIRED_ART - _OPTIONAL_ART:
        raise _bad(f"{where} has unknown keys {sorted(keys - _REQUIRED_ART - _OPTIONAL_ART)}")
    if not all(isinstance(raw[k], str) for k in keys - {"size"}):
        raise _bad(f"{where}: text fields must be strings")
    size = raw["size"]
    if not _is_int(size) or not 0 < size <= MAX_ARTIFACT_SIZE:
        raise _bad(f"{where}.size must be an integer between 1 and {MAX_ARTIFACT_SIZE}")
    if not _SHA256_RE.fullmatch(raw["sha256"]):
        raise _bad(f"{where}.sha256 must be 64 lowercase hex digits")
    if not _VERSION_RE.fullmatch(raw["version"]):
        raise _bad(f"{where}.version is malformed")
    try:
        check_url(raw["url"])
    except LauncherError as exc:
        raise _bad(f"{where}.url refused: {exc.detail}") from exc
    kind = raw["kind"]
    os_name = platform_key.split("-", 1)[0]
    if kind not in KINDS or KIND_FOR_OS[os_name] != kind:
        raise _bad(f"{where}.kind {kind!r} is not valid for {os_name}")
    publisher, team_id, entry = raw.get("publisher", ""), raw.get("team_id", ""), raw.get("entry", "")
    if kind == "exe" and not publisher.strip():
        raise _bad(f"{where} needs the Authenticode publisher")
    if kind == "dmg" and not _TEAM_ID_RE.fullmatch(team_id):
        raise _bad(f"{where}.team_id must be a 10-character Apple Team ID")
    if kind == "tar.gz" and not entry_is_safe(entry):
        raise _bad(f"{where}.entry must be a relative path inside the archive")
    if entry and not entry_is_safe(entry):
        raise _bad(f"{where}.entry must be a relative path inside the archive")
    min_version = raw.get("min_version", "")
    if "min_version" in raw:
        _version_or_bad(min_version, f"{where}.min_version")
        if _version_or_bad(raw["version"], f"{where}.version") < _version_or_bad(min_version, ""):
            # the vendor's own list names a build it no longer allows: never run it
            raise _bad(f"{where}.version {raw['version']} is older than its min_version {min_version}")
    return Artifact(platform=platform_key, url=raw["url"], size=size, sha256=raw["sha256"],
                    version=raw["version"], kind=kind, publisher=publisher, team_id=team_id, entry=entry,
                    min_version=min_version)


def _version_or_bad(text: Any, where: str) -> Version:
    from packaging.version import InvalidVersion, Version

    if not isinstance(text, str) or not _VERSION_RE.fullmatch(text):
        raise _bad(f"{where} is malformed")
    try:
        return Version(text)
    except InvalidVersion as exc:
        raise _bad(f"{where} {text!r} is not a version") from exc


def _consultants(raw: Any) -> tuple[Consultant, ...]:
    if not isinstance(raw, list) or len(raw) > MAX_CONSULTANTS:
        raise _bad(f"consultants must be a list of at most {MAX_CONSULTANTS} entries")
    roster: list[Consultant] = []
    seen: set[str] = set()
    for index, item in enumerate(raw):
        where = f"consultants[{index}]"
        if not isinstance(item, dict) or set(item) != {"tv_id", "name"}:
            raise _bad(f"{where} must be an object with exactly tv_id and name")
        tv_id, name = item["tv_id"], item["name"]
        if not isinstance(tv_id, str) or not _TV_ID_RE.fullmatch(tv_id):
            raise _bad(f"{where}.tv_id must be a TeamViewer ID of 9 or 10 digits, as a string")
        if not isinstance(name, str) or not name.strip() or len(name) > MAX_NAME_CHARS or not name.isprintable():
            raise _bad(f"{where}.name must be a printable name of 1-{MAX_NAME_CHARS} characters")
        if tv_id in seen:
            raise _bad(f"{where}.tv_id {tv_id} is listed twice")
        seen.add(tv_id)
        roster.append(Consultant(tv_id=tv_id, name=name.strip()))
    return tuple(roster)


def _outdated(detail: str, launcher_url: Any) -> LauncherError:
    """APP-OUTDATED with where the current launcher is: the manifest's `launcher_url`, else the vendor's Pomoc
    Zdalna page (its sentence says "address below": a signed `min_launcher` without `launcher_url`, or a later
    schema's manifest without one this launcher can use, must not leave it pointing at nothing)."""
    from launcher.core.terms import CONTACT_PAGE

    url = launcher_url if isinstance(launcher_url, str) and _is_https(launcher_url) else CONTACT_PAGE
    return LauncherError("APP-OUTDATED", detail + (f"; the current launcher is at {url}" if url else ""),
                         url=url)


def _is_https(url: str) -> bool:
    try:
        check_url(url)
    except LauncherError:
        return False
    return True


def parse_manifest(data: bytes) -> Manifest:
    """Strict schema check of already-verified bytes (MAN-FORMAT on anything unexpected)."""
    if len(data) > MAX_MANIFEST_BYTES:
        raise _bad("manifest too large")
    try:
        text = data.decode("utf-8")
        doc = json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_reject_constant)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise _bad(f"not valid JSON: {exc}") from exc
    if not isinstance(doc, dict):
        raise _bad("manifest must be a JSON object")
    schema = doc.get("schema")
    if _is_int(schema) and schema > SCHEMA:
        # a later launcher's manifest: this one is retired, whatever else the document holds
        raise _outdated(f"manifest schema {schema} is newer than this launcher's {SCHEMA}", doc.get("launcher_url"))
    if not set(doc) >= _TOP_KEYS or set(doc) - _TOP_KEYS - _OPTIONAL_TOP:
        raise _bad(f"manifest keys must be {sorted(_TOP_KEYS)} (optionally {sorted(_OPTIONAL_TOP)}), "
                   f"got {sorted(doc)}")
    if schema != SCHEMA or not _is_int(schema):
        raise _bad(f"unknown schema {schema!r}")
    if doc["product"] != PRODUCT:
        raise _bad(f"product must be {PRODUCT!r}")
    serial = doc["serial"]
    if not _is_int(serial) or not 0 <= serial < 2**53:
        raise _bad("serial must be a non-negative integer")
    expires = parse_expires(doc["expires"])
    arts = doc["artifacts"]
    if not isinstance(arts, dict) or not arts:
        raise _bad("artifacts must be a non-empty object")
    artifacts = {}
    for key, raw in arts.items():
        if not _PLATFORM_RE.fullmatch(key):
            raise _bad(f"artifact platform {key!r} is malformed")
        artifacts[key] = _artifact(key, raw)
    consultants = _consultants(doc["consultants"]) if "consultants" in doc else None
    min_launcher = doc.get("min_launcher", "")
    if "min_launcher" in doc:
        _version_or_bad(min_launcher, "min_launcher")
    launcher_url = doc.get("launcher_url", "")
    if "launcher_url" in doc:
        if not isinstance(launcher_url, str):
            raise _bad("launcher_url must be a string")
        try:
            check_url(launcher_url)
        except LauncherError as exc:
            raise _bad(f"launcher_url refused: {exc.detail}") from exc
    return Manifest(schema=SCHEMA, product=PRODUCT, serial=serial, expires=expires, artifacts=artifacts,
                    consultants=consultants, min_launcher=min_launcher, launcher_url=launcher_url)


def check_launcher_version(manifest: Manifest, launcher_version: str) -> None:
    """APP-OUTDATED when this launcher is older than the manifest's `min_launcher` (packaging's version rules)."""
    from packaging.version import InvalidVersion, Version

    if not manifest.min_launcher:
        return
    try:
        mine = Version(launcher_version)
    except InvalidVersion:
        mine = Version("0")  # an unparseable own version cannot prove it is new enough
    if mine < Version(manifest.min_launcher):
        raise _outdated(f"this launcher is {launcher_version}, the manifest needs {manifest.min_launcher} or newer",
                        manifest.launcher_url)


def check_expiry(manifest: Manifest, now: datetime | None = None) -> None:
    """MAN-EXPIRED once `expires` is in the past (DESIGN.md: no grace; the vendor re-signs weeks ahead, so a
    grace would only stretch how long a frozen, withdrawn manifest can be replayed)."""
    now = (now or datetime.now(UTC)).astimezone(UTC)
    if now > manifest.expires:
        raise LauncherError(
            "MAN-EXPIRED",
            f"manifest expired {manifest.expires.isoformat()}, this computer's clock says {now.isoformat()}"
            " (if the clock is wrong, set it right and try again)",
        )


def verify_and_parse(
    data: bytes,
    signature: bytes,
    public_keys: Sequence[str],
    *,
    now: datetime | None = None,
    launcher_version: str | None = None,
) -> Manifest:
    """Signature, strict parse, expiry, then (given `launcher_version`) APP-OUTDATED for a too-old launcher."""
    verify_signature(data, signature, public_keys)
    manifest = parse_manifest(data)
    check_expiry(manifest, now)
    if launcher_version is not None:
        check_launcher_version(manifest, launcher_version)
    return manifest


_ACCEPT_LOCK = threading.Lock()  # SerialStore.locked: one read-compare-write at a time in this process
LOCK_TIMEOUT_S = 20.0  # a read and one small fsynced write take milliseconds; longer means a hung holder


class SerialStore:
    """The highest manifest serial accepted on this machine, persisted atomically (rollback protection).

    `lock_timeout_s`: how long `accept` waits for another process's read-compare-write before it gives up
    with MAN-STATE-BUSY."""

    def __init__(self, path: Path, *, lock_timeout_s: float = LOCK_TIMEOUT_S) -> None:
        self.path = Path(path)
        self.lock_timeout_s = lock_timeout_s

    @property
    def lock_path(self) -> Path:
        """The lock file beside the store (`manifest_state.json.lock`); it may stay there between runs."""
        return self.path.with_name(self.path.name + ".lock")

    def highest(self) -> int:
        """0 when nothing was accepted yet. A damaged file is refused (MAN-STATE), not read as 0: it is
        written atomically, so damage means tampering or a failing disk, and 0 would re-admit old lists."""
        try:
            doc = json.loads(self.path.read_text("utf-8"))
            value = doc["highest_serial"]
        except FileNotFoundError:
            return 0
        except (OSError, ValueError, KeyError, TypeError, RecursionError) as exc:  # json recurses per level
            raise LauncherError("MAN-STATE", f"{self.path}: {type(exc).__name__}: {exc}") from exc
        if not (_is_int(value) and value >= 0):
            raise LauncherError("MAN-STATE", f"{self.path}: highest_serial is {value!r}")
        return value

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Held by one thread of one process at a time: this process's threads queue on a threading lock,
        other processes (a window and a `session` command, two commands) on an OS lock of `lock_path`
        (filelock: flock on POSIX, LockFileEx on Windows), which the OS lets go when its holder dies, so
        a killed launcher leaves nothing that blocks the next one. MAN-STATE-BUSY when another process
        holds it for longer than `lock_timeout_s`; APP-DATA-DIR when the lock file cannot be made."""
        wait_until = time.monotonic() + self.lock_timeout_s
        if not _ACCEPT_LOCK.acquire(timeout=max(self.lock_timeout_s, 0.0)):
            raise LauncherError("MAN-STATE-BUSY", f"{self.path}: another thread holds it")
        try:
            lock = FileLock(self.lock_path, timeout=max(wait_until - time.monotonic(), 0.0), mode=0o600)
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                clear_readonly(self.lock_path)  # ours; filelock refuses a read-only lock file (PermissionError)
                lock.acquire()
            except Timeout as exc:
                raise LauncherError("MAN-STATE-BUSY", f"{self.lock_path}: held by another process for over "
                                                      f"{self.lock_timeout_s:g} s") from exc
            except OSError as exc:
                raise LauncherError("APP-DATA-DIR", f"{self.lock_path}: {exc}") from exc
            try:
                yield
            finally:
                lock.release()
        finally:
            _ACCEPT_LOCK.release()

    def accept(self, manifest: Manifest) -> None:
        """Store `manifest.serial` as the highest; MAN-ROLLBACK if a higher one was accepted, MAN-STATE for a
        damaged store, APP-DATA-DIR if it cannot be written, MAN-STATE-BUSY (see `locked`). The read, the
        compare and the write are one step among all threads and processes (two fetches can be on their way
        at once in one window; a `session` command can run beside a window): otherwise one that read the
        store before another wrote a higher serial would write its lower one over it.

        A serial already stored, or a lower one, is decided by a read alone, without the lock: the stored
        serial only goes up and is replaced whole, so what the read finds is still a floor. The same manifest
        again (the usual case) then waits for no other process's write and needs no lock file (a read-only
        folder, a share that refuses new files). A read that fails (damaged, or on Windows the moment another
        process replaces the file) is left to the read under the lock to decide."""
        try:
            known = self.highest()
        except LauncherError:
            known = None
        if known is not None:
            if manifest.serial < known:
                raise LauncherError("MAN-ROLLBACK", f"manifest serial {manifest.serial} < accepted {known}")
            if manifest.serial == known and known > 0:  # 0 is also "no file yet": that one is written
                return
        with self.locked():
            highest = self.highest()
            if manifest.serial < highest:
                raise LauncherError("MAN-ROLLBACK", f"manifest serial {manifest.serial} < accepted {highest}")
            if manifest.serial == highest and self.path.exists():
                return
            record: Mapping[str, Any] = {
                "highest_serial": manifest.serial,
                "accepted_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            }
            try:
                # Windows refuses the replace while a reader holds the file, and other launchers read it without
                # the lock (above), each for a moment: the write waits for a free moment as long as it would
                # wait for the lock itself, since other writers queue behind this one's lock meanwhile
                atomic_write_text(self.path, json.dumps(record) + "\n", replace_retry_s=self.lock_timeout_s)
            except OSError as exc:
                raise LauncherError("APP-DATA-DIR", f"{self.path}: {exc}") from exc
