"""Property: any change to the manifest bytes, the signature or the artifact is refused.

The signature is changed in its decoded 64 bytes: base64 text tolerates whitespace and has non-canonical
spellings of the same bytes, which are not a change of the signature at all.
"""

from __future__ import annotations

import base64
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from launcher.core.download import ensure_artifact
from launcher.core.errors import LauncherError
from launcher.core.manifest import verify_and_parse
from launcher.core.manifest_signing import artifact_entry, build_manifest, generate_keypair, sign
from tests.support.loopback_http import LoopbackServer

PRIVATE, PUBLIC = generate_keypair()
BODY = os.urandom(50_000)
SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


def _flip(data: bytes, index: int, mask: int) -> bytes:
    out = bytearray(data)
    out[index % len(out)] ^= mask
    return bytes(out)


@pytest.fixture(scope="module")
def signed(tmp_path_factory: pytest.TempPathFactory) -> tuple[bytes, bytes]:
    src = tmp_path_factory.mktemp("art") / "qs.tar.gz"
    src.write_bytes(BODY)
    entry = artifact_entry(src, platform="linux-x86_64", url="http://127.0.0.1:1/qs.tar.gz",
                           version="15.61.3", kind="tar.gz", entry="teamviewerqs/teamviewer")
    data = build_manifest({"linux-x86_64": entry}, serial=3, expires=datetime.now(UTC) + timedelta(days=9))
    return data, sign(data, PRIVATE)


def test_unchanged_is_accepted(signed: tuple[bytes, bytes]) -> None:
    assert verify_and_parse(*signed, [PUBLIC]).serial == 3


@SETTINGS
@given(index=st.integers(min_value=0), mask=st.integers(min_value=1, max_value=255))
def test_any_manifest_byte_change_is_refused(signed: tuple[bytes, bytes], index: int, mask: int) -> None:
    data, sig = signed
    with pytest.raises(LauncherError) as info:
        verify_and_parse(_flip(data, index, mask), sig, [PUBLIC])
    assert info.value.code == "MAN-SIG"


@SETTINGS
@given(index=st.integers(min_value=0, max_value=63), mask=st.integers(min_value=1, max_value=255))
def test_any_signature_change_is_refused(signed: tuple[bytes, bytes], index: int, mask: int) -> None:
    data, sig = signed
    raw = base64.b64decode(sig)
    with pytest.raises(LauncherError) as info:
        verify_and_parse(data, base64.b64encode(_flip(raw, index, mask)), [PUBLIC])
    assert info.value.code == "MAN-SIG"


@pytest.fixture(scope="module")
def art_server():  # noqa: ANN201
    with LoopbackServer() as srv:
        yield srv


@SETTINGS
@given(index=st.integers(min_value=0), mask=st.integers(min_value=1, max_value=255))
def test_any_artifact_byte_change_is_refused(signed: tuple[bytes, bytes], art_server: LoopbackServer,
                                             tmp_path: Path, index: int, mask: int) -> None:
    from launcher.config import DownloadConfig
    from launcher.core.http import make_session

    manifest = verify_and_parse(*signed, [PUBLIC])
    url = art_server.serve("/qs.tar.gz", _flip(BODY, index, mask))
    artifact = manifest.artifact_for("linux-x86_64")
    artifact = type(artifact)(**{**artifact.__dict__, "url": url})
    cache = tmp_path / f"cache-{index}-{mask}"
    with make_session(DownloadConfig(allowed_hosts=("127.0.0.1",)), retries=0) as session, \
            pytest.raises(LauncherError) as info:
        ensure_artifact(session, artifact, cache)
    assert info.value.code == "DL-HASH"
    assert list(cache.iterdir()) == []
