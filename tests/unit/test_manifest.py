"""launcher.core.manifest: signature first, strict schema, expiry with skew, rollback store."""

from __future__ import annotations

import json
import sys
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from launcher.core.errors import LauncherError
from launcher.core.manifest import (
    PLATFORM_KEYS,
    Manifest,
    SerialStore,
    current_platform_key,
    verify_and_parse,
)
from launcher.core.manifest_signing import generate_keypair, sign

PRIV, PUB = generate_keypair()
FUTURE = "2099-01-01T00:00:00Z"


def _doc(**over: object) -> dict:
    art = {"url": "https://dl.example/qs.tar.gz", "size": 100, "sha256": "a" * 64, "version": "15.61.3",
           "kind": "tar.gz", "entry": "teamviewerqs/teamviewer"}
    doc = {"schema": 1, "product": "teamviewer-quicksupport", "serial": 5, "expires": FUTURE,
           "artifacts": {"linux-x86_64": art}}
    doc.update(over)
    return doc


def _signed(doc: dict | bytes) -> tuple[bytes, bytes]:
    data = doc if isinstance(doc, bytes) else json.dumps(doc).encode()
    return data, sign(data, PRIV)


def _code(data: bytes, sig: bytes, keys: list[str] | None = None, **kw: object) -> str:
    with pytest.raises(LauncherError) as info:
        verify_and_parse(data, sig, [PUB] if keys is None else keys, **kw)  # type: ignore[arg-type]
    return info.value.code


def test_valid_manifest_and_key_rotation() -> None:
    _, other = generate_keypair()
    manifest = verify_and_parse(*_signed(_doc()), [other, PUB])
    assert manifest.serial == 5 and manifest.artifact_for("linux-x86_64").entry == "teamviewerqs/teamviewer"
    assert manifest.expires == datetime(2099, 1, 1, tzinfo=UTC)


def test_signature_whitespace_tolerated() -> None:
    data, sig = _signed(_doc())
    verify_and_parse(data, b"  " + sig[:20] + b"\r\n" + sig[20:] + b"\n\n", [PUB])


def test_no_keys_and_bad_keys() -> None:
    data, sig = _signed(_doc())
    assert _code(data, sig, keys=[]) == "MAN-NOKEY"
    assert _code(data, sig, keys=["not base64!", "AAAA"]) == "MAN-NOKEY"


def test_signature_checked_before_parsing() -> None:
    data = b"{not json"
    assert _code(data, sign(b"other", PRIV)) == "MAN-SIG"
    assert _code(data, b"") == "MAN-SIG"
    assert _code(data, b"!!!") == "MAN-SIG"
    assert _code(*_signed(data)) == "MAN-FORMAT"


def _art(**over: object) -> dict:
    doc = _doc()
    doc["artifacts"]["linux-x86_64"].update(over)
    return doc


@pytest.mark.parametrize("doc", [
    _doc(schema=0), _doc(schema=True), _doc(product="other"), _doc(serial=-1), _doc(serial="5"),
    _doc(serial=1.5), _doc(expires="tomorrow"), _doc(expires="2099-01-01"), _doc(artifacts={}),
    _doc(artifacts=[]), _doc(extra=1), {"schema": 1},
    _art(sha256="A" * 64), _art(sha256="g" * 64), _art(sha256="a" * 63), _art(size=0), _art(size=-5),
    _art(size=10**12), _art(size="100"), _art(size=True), _art(kind="zip"), _art(kind="exe"),
    _art(entry="../etc/passwd"), _art(entry="/usr/bin/x"), _art(entry="a/../../b"), _art(entry="C:/x"),
    _art(entry="a\\b"), _art(entry=""), _art(url="http://dl.example/x"), _art(url="ftp://x/y"),
    _art(version="1 2"), _art(version=15), _art(unknown="x"),
    _doc(artifacts={"windows-x86_64": {"url": "https://h/x", "size": 1, "sha256": "a" * 64, "version": "1",
                                       "kind": "exe"}}),  # no publisher
    _doc(artifacts={"macos-universal": {"url": "https://h/x", "size": 1, "sha256": "a" * 64, "version": "1",
                                        "kind": "dmg", "team_id": "short"}}),
    _doc(artifacts={"Linux x86": {}}),
])
def test_strict_schema(doc: dict) -> None:
    assert _code(*_signed(doc)) == "MAN-FORMAT"


def test_newer_schema_retires_this_launcher() -> None:
    # a newer schema is how later launchers retire this one: APP-OUTDATED, never MAN-FORMAT
    assert _code(*_signed(_doc(schema=2))) == "APP-OUTDATED"


def test_duplicate_keys_and_nan_refused() -> None:
    assert _code(*_signed(b'{"schema":1,"schema":1}')) == "MAN-FORMAT"
    assert _code(*_signed(json.dumps(_doc()).replace('"serial": 5', '"serial": NaN').encode())) == "MAN-FORMAT"
    assert _code(*_signed(b"\xff\xfe")) == "MAN-FORMAT"


def test_expires_in_the_past_is_refused() -> None:
    """DESIGN.md: `expires` in the past is refused, with no grace: a second after it is too late."""
    data, sig = _signed(_doc(expires="2030-01-01T00:00:00Z"))
    t = datetime(2030, 1, 1, tzinfo=UTC)
    verify_and_parse(data, sig, [PUB], now=t - timedelta(seconds=1))
    verify_and_parse(data, sig, [PUB], now=t)
    assert _code(data, sig, now=t + timedelta(seconds=1)) == "MAN-EXPIRED"
    assert _code(data, sig, now=t + timedelta(minutes=4)) == "MAN-EXPIRED"


def test_platform_lookup() -> None:
    manifest = verify_and_parse(*_signed(_doc()), [PUB])
    with pytest.raises(LauncherError) as info:
        manifest.artifact_for("windows-arm64")
    assert info.value.code == "MAN-PLATFORM"
    assert current_platform_key().split("-")[0] in {"windows", "macos", "linux"}
    assert "linux-x86_64" in PLATFORM_KEYS


def test_serial_store(tmp_path: Path) -> None:
    store = SerialStore(tmp_path / "state" / "manifest_state.json")
    assert store.highest() == 0
    m = verify_and_parse(*_signed(_doc(serial=5)), [PUB])
    store.accept(m)
    store.accept(m)  # same serial again: fine
    assert SerialStore(store.path).highest() == 5
    with pytest.raises(LauncherError) as info:
        store.accept(verify_and_parse(*_signed(_doc(serial=4)), [PUB]))
    assert info.value.code == "MAN-ROLLBACK"
    store.accept(verify_and_parse(*_signed(_doc(serial=6)), [PUB]))
    assert store.highest() == 6
    deep = "[" * 100_000 + "]" * 100_000  # json recurses per level: RecursionError, not a ValueError
    for damaged in ("garbage", '{"highest_serial": -1}', '{"highest_serial": "9"}', "{}", deep):
        store.path.write_text(damaged)
        with pytest.raises(LauncherError) as info:  # never read as 0, which would re-admit old lists
            store.accept(verify_and_parse(*_signed(_doc(serial=3)), [PUB]))
        assert info.value.code == "MAN-STATE"
        assert store.path.read_text() == damaged


def test_serials_accepted_on_several_threads_at_once_never_lower_the_stored_one(tmp_path: Path) -> None:
    """Two fetches of the manifest can be on their way at once (Spróbuj ponownie while the one fetched beside
    the earlier check is still coming), each accepting its own on its own thread: the highest stays."""
    manifests = [verify_and_parse(*_signed(_doc(serial=serial)), [PUB]) for serial in (11, 12, 13, 14)]
    for attempt in range(10):  # a lowered serial showed in most attempts before accept() was made atomic
        store = SerialStore(tmp_path / str(attempt) / "manifest_state.json")
        together = threading.Barrier(len(manifests))
        codes: list[str] = []

        def accept(manifest: Manifest, store: SerialStore = store, together: threading.Barrier = together,
                   codes: list[str] = codes) -> None:
            together.wait(30)
            try:
                store.accept(manifest)
            except LauncherError as exc:
                codes.append(exc.code)

        threads = [threading.Thread(target=accept, args=(m,)) for m in manifests]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert store.highest() == 14, f"attempt {attempt}"
        assert set(codes) <= {"MAN-ROLLBACK"}  # a lower one that came after a higher one: refused


def test_windows_on_arm_takes_the_x64_build_where_no_arm64_build_is_listed() -> None:
    """Windows 11 on ARM runs x64 programs: a manifest with only `windows-x86_64` gives an ARM64 customer that
    build, not MAN-PLATFORM; one that lists `windows-arm64` gives that. Other platforms have no stand-in."""
    win = {"url": "https://dl.example/TeamViewerQS.exe", "size": 100, "sha256": "b" * 64, "version": "15.61.3",
           "kind": "exe", "publisher": "TeamViewer Germany GmbH"}
    x64_only = verify_and_parse(*_signed(_doc(artifacts={"windows-x86_64": win})), [PUB])
    assert x64_only.artifact_for("windows-arm64").platform == "windows-x86_64"
    both = verify_and_parse(*_signed(_doc(artifacts={"windows-x86_64": win,
                                                     "windows-arm64": {**win, "sha256": "c" * 64}})), [PUB])
    assert both.artifact_for("windows-arm64").sha256 == "c" * 64
    with pytest.raises(LauncherError) as info:
        x64_only.artifact_for("macos-universal")
    assert info.value.code == "MAN-PLATFORM" and "macos-universal" in info.value.detail


@pytest.mark.parametrize(("native", "python_says", "key"), [
    (0xAA64, "AMD64", "windows-arm64"),  # the x64 launcher emulated on Windows on ARM (Python 3.11)
    (0x8664, "AMD64", "windows-x86_64"),
    (None, "ARM64", "windows-arm64"),  # no IsWow64Process2 (before Windows 10 1709): Python's word
    (None, "AMD64", "windows-x86_64"),
])
def test_the_windows_key_follows_the_computers_own_processor(monkeypatch, native, python_says, key) -> None:
    import platform

    from launcher.core import manifest

    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(manifest, "_windows_native_machine", lambda: native)
    monkeypatch.setattr(platform, "machine", lambda: python_says)
    assert current_platform_key() == key
