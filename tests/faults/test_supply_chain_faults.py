"""Fault injection against the whole pipeline (fetch_quicksupport) on a loopback server.

Every case checks the exact catalogue code and that nothing is left in the cache: no file at the
final path, no partial file, so nothing can be run.
"""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime, timedelta

import pytest

from launcher.core.download import Progress, final_path, open_verified
from launcher.core.errors import LauncherError
from launcher.core.fetch import fetch_quicksupport
from launcher.core.manifest import SerialStore
from launcher.core.manifest_signing import generate_keypair, sign
from tests.faults.conftest import ARTIFACT_PATH, MANIFEST_PATH, Supply
from tests.support.loopback_http import LoopbackServer, Reply


def _fails(supply: Supply, code: str, **kw: object) -> LauncherError:
    config = supply.config()
    with pytest.raises(LauncherError) as info:
        fetch_quicksupport(config, supply.paths, session=supply.session(config), **kw)  # type: ignore[arg-type]
    assert info.value.code == code, info.value
    assert supply.leftovers() == [], "something was left in the cache"
    return info.value


def _works(supply: Supply, **kw: object):  # noqa: ANN202
    config = supply.config()
    result = fetch_quicksupport(config, supply.paths, session=supply.session(config), **kw)  # type: ignore[arg-type]
    assert result.path.read_bytes() == supply.body
    assert supply.leftovers() == [result.path.name]
    return result


def test_happy_path_then_cache_reuse(supply: Supply, server: LoopbackServer) -> None:
    supply.publish()
    seen: list[Progress] = []
    first = _works(supply, progress=seen.append)
    assert seen and seen[-1].done == seen[-1].total == len(supply.body)
    assert first.path == final_path(first.artifact, supply.paths.cache)
    _works(supply)
    assert len(server.hits(ARTIFACT_PATH)) == 1, "a matching cached file must be reused without download"


# --- artifact bytes


def test_flipped_byte(supply: Supply) -> None:
    supply.publish()
    bad = bytearray(supply.body)
    bad[12345] ^= 0x01
    supply.server.serve(ARTIFACT_PATH, bytes(bad))
    _fails(supply, "DL-HASH")


def test_truncated_body(supply: Supply) -> None:
    supply.publish()
    supply.server.serve(ARTIFACT_PATH, supply.body[:-1000])
    _fails(supply, "DL-SIZE")


def test_longer_than_declared(supply: Supply) -> None:
    supply.publish()
    supply.server.serve(ARTIFACT_PATH, supply.body + b"EXTRA" * 1000)
    _fails(supply, "DL-SIZE")


def test_longer_than_declared_without_content_length_is_cut_while_streaming(
    supply: Supply, server: LoopbackServer
) -> None:
    supply.publish()
    endless = supply.body + bytes(20 * 1024 * 1024)  # no Content-Length: only the stream itself says
    server.serve(ARTIFACT_PATH, endless, Reply(omit_length=True, chunk_delay=0.001))
    _fails(supply, "DL-SIZE")


def test_wrong_content_length_announced_too_big(supply: Supply) -> None:
    supply.publish()
    supply.server.serve(ARTIFACT_PATH, supply.body, Reply(content_length=len(supply.body) + 10))
    _fails(supply, "DL-SIZE")


def test_wrong_content_length_announced_too_small(supply: Supply) -> None:
    supply.publish()
    supply.server.serve(ARTIFACT_PATH, supply.body, *[Reply(content_length=1000)] * 3)
    _fails(supply, "DL-SIZE")


def test_404(supply: Supply) -> None:
    supply.publish(serve_artifact=False)
    _fails(supply, "NET-HTTP")


def test_500_after_retries(supply: Supply, server: LoopbackServer) -> None:
    supply.publish()
    server.serve(ARTIFACT_PATH, supply.body, *[Reply(status=500)] * 10)
    error = _fails(supply, "NET-HTTP")
    assert "500" in error.detail
    assert len(server.hits(ARTIFACT_PATH)) == 3  # first try + retries=2


def test_503_with_retry_after_then_success(supply: Supply, server: LoopbackServer) -> None:
    supply.publish()
    server.serve(ARTIFACT_PATH, supply.body, Reply(status=503, headers={"Retry-After": "1"}))
    _works(supply)
    assert len(server.hits(ARTIFACT_PATH)) == 2


BIG = 2 * 1024 * 1024 + 512 * 1024  # more than two 1 MiB chunks


def test_connection_broken_mid_body_then_resume(supply: Supply, server: LoopbackServer) -> None:
    supply.body = bytes(range(256)) * (BIG // 256)
    supply.publish()
    server.serve(ARTIFACT_PATH, supply.body, Reply(cut_after=BIG - 300_000))
    _works(supply)
    hits = server.hits(ARTIFACT_PATH)
    assert len(hits) == 2
    assert hits[1].headers.get("Range") == "bytes=2097152-"  # the two whole chunks received are kept
    assert hits[1].headers.get("If-Range") == server.routes[ARTIFACT_PATH].etag


def test_connection_reset_mid_body_then_resume(supply: Supply, server: LoopbackServer) -> None:
    supply.body = bytes(range(256)) * (BIG // 256)
    supply.publish()
    server.serve(ARTIFACT_PATH, supply.body, Reply(cut_after=BIG - 300_000, cut_rst=True))
    _works(supply)
    assert len(server.hits(ARTIFACT_PATH)) == 2


def test_server_ignoring_range_restarts(supply: Supply, server: LoopbackServer) -> None:
    supply.body = bytes(range(256)) * (BIG // 256)
    supply.publish()
    server.serve(ARTIFACT_PATH, supply.body, Reply(cut_after=BIG - 300_000), honour_range=False)
    _works(supply)
    hits = server.hits(ARTIFACT_PATH)
    assert len(hits) == 2 and hits[1].headers.get("Range") == "bytes=2097152-"  # asked to resume ...
    # ... got a 200 with the whole file, and started over: _works checked the bytes are exact


def test_endless_resets_give_up(supply: Supply, server: LoopbackServer) -> None:
    supply.publish()
    server.serve(ARTIFACT_PATH, supply.body, *[Reply(cut_after=10)] * 20, honour_range=False)
    _fails(supply, "DL-INTERRUPTED")


# --- hosts, schemes, TLS


def test_redirect_outside_allowlist(supply: Supply, server: LoopbackServer) -> None:
    supply.publish()
    server.redirect(ARTIFACT_PATH, server.url("/elsewhere", host="localhost"))
    _fails(supply, "NET-HOST")
    assert server.hits("/elsewhere") == []


def test_https_to_http_redirect(supply: Supply, server: LoopbackServer, tls_server: LoopbackServer,
                                tls_cert) -> None:
    tls_server.redirect("/qs.bin", server.url(ARTIFACT_PATH))
    supply.publish(artifacts={supply.platform: supply.entry(url=tls_server.url("/qs.bin"))})
    config = supply.config()
    session = supply.session(config, extra_ca_file=tls_cert[0])
    with pytest.raises(LauncherError) as info:
        fetch_quicksupport(config, supply.paths, session=session)
    assert info.value.code == "NET-INSECURE"
    assert tls_server.hits("/qs.bin"), "the TLS server (trusted here) was reached"
    assert server.hits(ARTIFACT_PATH) == [], "the downgraded hop was never requested"
    assert supply.leftovers() == []


def test_https_with_trusted_test_ca_works(supply: Supply, tls_server: LoopbackServer, tls_cert) -> None:
    tls_server.serve("/qs.bin", supply.body)
    supply.publish(artifacts={supply.platform: supply.entry(url=tls_server.url("/qs.bin"))})
    config = supply.config()
    session = supply.session(config, extra_ca_file=tls_cert[0])
    result = fetch_quicksupport(config, supply.paths, session=session)
    assert result.path.read_bytes() == supply.body


def test_untrusted_tls_certificate(supply: Supply, tls_server: LoopbackServer) -> None:
    tls_server.serve("/qs.bin", supply.body)
    supply.publish(artifacts={supply.platform: supply.entry(url=tls_server.url("/qs.bin"))})
    _fails(supply, "NET-TLS")
    assert tls_server.requests == []


def test_a_trusted_certificate_for_another_host_is_refused(supply: Supply, tmp_path) -> None:
    """The handshake runs where a cancel can end it (launcher.core.http), after the socket is wrapped: the
    certificate is still checked there, its host name included: one the session trusts but made out to
    another name is NET-TLS before any request is sent."""
    import shutil
    import subprocess

    if not shutil.which("openssl"):
        pytest.skip("openssl CLI not installed")
    cert, key = tmp_path / "other.pem", tmp_path / "other.key"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
         "-keyout", str(key), "-out", str(cert), "-days", "2", "-subj", "/CN=other.invalid",
         "-addext", "subjectAltName=DNS:other.invalid", "-addext", "basicConstraints=critical,CA:true"],
        check=True, capture_output=True, timeout=60)
    with LoopbackServer(tls=(cert, key)) as other:
        other.serve("/qs.bin", supply.body)
        supply.publish(artifacts={supply.platform: supply.entry(url=other.url("/qs.bin"))})
        config = supply.config()
        with pytest.raises(LauncherError) as info:
            fetch_quicksupport(config, supply.paths, session=supply.session(config, extra_ca_file=cert))
        assert info.value.code == "NET-TLS", info.value
        assert "mismatch" in info.value.detail, info.value.detail  # trusted, but not for 127.0.0.1
        assert other.requests == []


# --- manifest


def test_bad_signature(supply: Supply) -> None:
    data = supply.manifest_bytes()
    sig = bytearray(sign(data, supply.private))
    sig[5] = ord("A") if sig[5] != ord("A") else ord("B")
    supply.publish(data, bytes(sig))
    _fails(supply, "MAN-SIG")


def test_signature_by_unknown_key(supply: Supply) -> None:
    data = supply.manifest_bytes()
    other_private, _ = generate_keypair()
    supply.publish(data, sign(data, other_private))
    _fails(supply, "MAN-SIG")


def test_missing_sig(supply: Supply, server: LoopbackServer) -> None:
    supply.publish()
    server.remove(MANIFEST_PATH + ".sig")
    _fails(supply, "MAN-SIG")
    assert server.hits(ARTIFACT_PATH) == []


def test_no_pinned_key_refuses_before_any_request(supply: Supply, server: LoopbackServer) -> None:
    supply.publish()
    config = supply.config(keys=())
    with pytest.raises(LauncherError) as info:
        fetch_quicksupport(config, supply.paths, session=supply.session(config))
    assert info.value.code == "MAN-NOKEY"
    assert server.requests == []


def test_expired_manifest(supply: Supply) -> None:
    supply.publish(expires=datetime.now(UTC) - timedelta(hours=1))
    error = _fails(supply, "MAN-EXPIRED")
    assert "clock" in error.detail


def test_a_manifest_that_expired_minutes_ago_is_refused_too(supply: Supply) -> None:
    """DESIGN.md: `expires` in the past is refused; there is no grace for a clock a little fast."""
    supply.publish(expires=datetime.now(UTC) - timedelta(minutes=2))
    _fails(supply, "MAN-EXPIRED")


def test_rolled_back_serial(supply: Supply) -> None:
    supply.publish(serial=10)
    _works(supply)
    assert SerialStore(supply.paths.manifest_state_file).highest() == 10
    supply.publish(serial=9)
    for child in supply.paths.cache.iterdir():
        child.unlink()
    _fails(supply, "MAN-ROLLBACK")


def test_malformed_json(supply: Supply) -> None:
    supply.publish(b'{"schema": 1, "product": ')
    _fails(supply, "MAN-FORMAT")


def test_platform_missing(supply: Supply) -> None:
    other = "windows-x86_64" if not supply.platform.startswith("windows") else "linux-x86_64"
    kind = {"windows-x86_64": "exe", "linux-x86_64": "tar.gz"}[other]
    entry = {"url": supply.server.url("/x"), "size": 10, "sha256": "0" * 64, "version": "1", "kind": kind,
             "publisher": "TeamViewer Germany GmbH", "entry": "teamviewerqs/teamviewer"}
    entry = {k: v for k, v in entry.items() if k != ("entry" if kind == "exe" else "publisher")}
    supply.publish(artifacts={other: entry})
    _fails(supply, "MAN-PLATFORM")


# --- local disk and the customer


def test_cancel_mid_way(supply: Supply, server: LoopbackServer) -> None:
    supply.body = bytes(3 * 1024 * 1024 + 17)
    supply.publish()
    server.serve(ARTIFACT_PATH, supply.body, Reply(chunk_delay=0.01))
    cancel = threading.Event()

    def on_progress(p: Progress) -> None:
        if p.done > 0:
            cancel.set()

    _fails(supply, "DL-CANCELLED", progress=on_progress, cancel=cancel)


def test_cached_file_tampered_after_download(supply: Supply) -> None:
    supply.publish()
    result = _works(supply)
    data = bytearray(result.path.read_bytes())
    data[-1] ^= 0xFF
    result.path.write_bytes(bytes(data))
    with pytest.raises(LauncherError) as info:
        open_verified(result.path, result.artifact)
    assert info.value.code == "DL-TAMPERED"
    assert not result.path.exists()
    assert supply.leftovers() == []


def test_tampered_cache_is_replaced_not_reused(supply: Supply, server: LoopbackServer) -> None:
    supply.publish()
    result = _works(supply)
    result.path.write_bytes(bytes(b ^ 0xFF for b in result.path.read_bytes()[:4]) + result.path.read_bytes()[4:])
    again = _works(supply)
    assert again.path == result.path
    assert len(server.hits(ARTIFACT_PATH)) == 2


def test_open_verified_returns_the_hashed_handle(supply: Supply) -> None:
    supply.publish()
    result = _works(supply)
    with open_verified(result.path, result.artifact) as fh:
        assert fh.tell() == 0
        assert fh.read() == supply.body


def test_state_file_is_json(supply: Supply) -> None:
    supply.publish(serial=42)
    _works(supply)
    assert json.loads(supply.paths.manifest_state_file.read_text())["highest_serial"] == 42
