"""Making and signing manifests: used by the vendor's release tool and by the --demo server."""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from nacl.signing import SigningKey

from launcher.core.manifest import KIND_FOR_OS, PRODUCT, SCHEMA, parse_manifest


def generate_keypair() -> tuple[str, str]:
    """(private_b64, public_b64): raw 32-byte Ed25519 seed and public key, base64."""
    key = SigningKey.generate()
    return base64.b64encode(bytes(key)).decode(), base64.b64encode(bytes(key.verify_key)).decode()


def _signing_key(private_b64: str) -> SigningKey:
    raw = base64.b64decode("".join(private_b64.split()), validate=True)
    if len(raw) != 32:
        raise ValueError("a private key is 32 bytes, base64")
    return SigningKey(raw)


def public_key_of(private_b64: str) -> str:
    return base64.b64encode(bytes(_signing_key(private_b64).verify_key)).decode()


def sign(data: bytes, private_b64: str) -> bytes:
    """The detached signature file's content: base64 Ed25519 signature of `data` + newline."""
    return base64.b64encode(_signing_key(private_b64).sign(data).signature) + b"\n"


def file_digest(path: Path) -> tuple[int, str]:
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


def artifact_entry(path: Path, *, platform: str, url: str, version: str, kind: str, **extra: Any) -> dict:
    """One manifest artifact entry for the file at `path` (size and sha256 measured here)."""
    os_name = platform.split("-", 1)[0]
    if KIND_FOR_OS.get(os_name) != kind:
        raise ValueError(f"kind {kind!r} does not fit platform {platform!r}")
    size, sha = file_digest(Path(path))
    entry: dict[str, Any] = {"url": url, "size": size, "sha256": sha, "version": version, "kind": kind}
    entry.update({k: v for k, v in extra.items() if v})
    return entry


def format_expires(expires: datetime) -> str:
    if expires.tzinfo is None:
        raise ValueError("expires must be timezone-aware")
    return expires.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def build_manifest(
    artifacts: Mapping[str, dict],
    *,
    serial: int,
    expires: datetime,
    consultants: Sequence[Mapping[str, str]] | None = None,
    min_launcher: str = "",
    launcher_url: str = "",
) -> bytes:
    """Canonical manifest bytes (sorted keys, compact, ASCII); refuses anything the launcher would refuse.

    `consultants` (a list of {"tv_id", "name"}) is the roster; None leaves it out (no roster)."""
    doc: dict[str, Any] = {"schema": SCHEMA, "product": PRODUCT, "serial": serial,
                           "expires": format_expires(expires), "artifacts": {k: dict(v) for k, v in artifacts.items()}}
    if consultants is not None:
        doc["consultants"] = [{"tv_id": c["tv_id"], "name": c["name"]} for c in consultants]
    if min_launcher:
        doc["min_launcher"] = min_launcher
    if launcher_url:
        doc["launcher_url"] = launcher_url
    data = json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode() + b"\n"
    parse_manifest(data)  # raises LauncherError(MAN-FORMAT) with the reason
    return data
