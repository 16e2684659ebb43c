"""Servers that label a stored file with a Content-Encoding, chunk it, or resume it: the bytes as sent count.

A stored `.tar.gz` served with `Content-Encoding: gzip` is a common file-server misconfiguration (nginx
`gzip_static`, Apache `AddEncoding x-gzip .gz`; wget and curl have long-standing reports of "helpfully"
decompressing such downloads). We ask for `identity`, so the bytes on the wire are the signed file.
"""

from __future__ import annotations

import gzip
import io
import os
import tarfile
import zlib
from pathlib import Path

import pytest

from launcher.core.download import ensure_artifact
from launcher.core.errors import LauncherError
from launcher.core.manifest import Artifact
from tests.support.loopback_download import linux_artifact, loopback_session
from tests.support.loopback_http import LoopbackServer, Reply


def _tar_gz() -> bytes:
    """A real gzip-compressed tar (what QuickSupport for Linux is), so a decoding client would succeed."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        payload = os.urandom(600_000) + b"A" * 900_000  # incompressible and compressible parts
        info = tarfile.TarInfo("teamviewerqs/teamviewer")
        info.size, info.mode = len(payload), 0o755
        tar.addfile(info, io.BytesIO(payload))
    return buf.getvalue()


TAR_GZ = _tar_gz()


def _artifact(url: str, body: bytes = TAR_GZ) -> Artifact:
    return linux_artifact(url, body)


@pytest.fixture
def session():  # noqa: ANN201
    with loopback_session() as s:
        yield s


def _fetch(session, srv: LoopbackServer, body: bytes, *script: Reply, tmp: Path) -> bytes:  # noqa: ANN001
    art = _artifact(srv.serve("/qs.tar.gz", body, *script), body)
    return ensure_artifact(session, art, tmp / "cache", allowed_hosts=["127.0.0.1"]).read_bytes()


@pytest.mark.parametrize("encoding", ["gzip", "x-gzip", "br", "deflate", "gzip, identity", "GZIP", "aws-chunked",
                                      "zstd"])
@pytest.mark.parametrize("chunked", [False, True], ids=["length", "chunked"])
def test_labelled_encoding_is_hashed_as_sent(session, tmp_path: Path, encoding: str, chunked: bool):  # noqa: ANN001
    reply = Reply(headers={"Content-Encoding": encoding}, chunked=chunked)
    with LoopbackServer() as srv:
        got = _fetch(session, srv, TAR_GZ, reply, tmp=tmp_path)
        assert srv.hits("/qs.tar.gz")[0].headers.get("Accept-Encoding") == "identity"
    assert got == TAR_GZ


def test_a_body_that_really_is_deflated_is_refused_not_inflated(session, tmp_path: Path):  # noqa: ANN001
    # the server compressed on the fly: the bytes sent are not the signed file, so nothing verifies
    on_wire = zlib.compress(TAR_GZ)
    reply = Reply(body=on_wire, headers={"Content-Encoding": "deflate"})
    with LoopbackServer() as srv, pytest.raises(LauncherError) as err:
        _fetch(session, srv, TAR_GZ, reply, tmp=tmp_path)
    assert err.value.code in ("DL-SIZE", "DL-HASH")
    assert not list((tmp_path / "cache").iterdir())  # nothing half-written is left


def test_resume_after_a_break_on_a_gzip_labelling_server(session, tmp_path: Path):  # noqa: ANN001
    label = {"Content-Encoding": "gzip"}
    with LoopbackServer() as srv:
        got = _fetch(session, srv, TAR_GZ, Reply(headers=label, cut_after=300_000), Reply(headers=label),
                     tmp=tmp_path)
        ranges = [r.headers.get("Range") for r in srv.hits("/qs.tar.gz")]
    assert got == TAR_GZ
    assert ranges[0] is None and ranges[1] is not None and ranges[1].startswith("bytes=")


def test_chunked_body_broken_midway_is_resumed(session, tmp_path: Path):  # noqa: ANN001
    with LoopbackServer() as srv:
        got = _fetch(session, srv, TAR_GZ, Reply(chunked=True, cut_after=200_000), Reply(chunked=True),
                     tmp=tmp_path)
    assert got == TAR_GZ


def test_announced_length_larger_than_the_manifest_is_dl_size(session, tmp_path: Path):  # noqa: ANN001
    with LoopbackServer() as srv, pytest.raises(LauncherError) as err:
        _fetch(session, srv, TAR_GZ, Reply(content_length=len(TAR_GZ) + 1, headers={"Content-Encoding": "gzip"}),
               tmp=tmp_path)
    assert err.value.code == "DL-SIZE"


def test_gzip_module_agrees_the_body_is_gzip():
    # guards the premise of the tests above: a decoding client would have produced other bytes
    assert gzip.decompress(TAR_GZ) != TAR_GZ
