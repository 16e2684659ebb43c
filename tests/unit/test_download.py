"""launcher.core.download: reuse, progress, error mapping, the verified handle."""

from __future__ import annotations

import errno
import hashlib
import os
import threading
from pathlib import Path

import pytest

from launcher.core.download import Progress, ensure_artifact, final_path, map_os_error, open_verified
from launcher.core.errors import LauncherError
from launcher.core.manifest import Artifact
from tests.support.loopback_download import linux_artifact, loopback_session
from tests.support.loopback_http import LoopbackServer

BODY = os.urandom(2_500_000)


def _artifact(url: str, body: bytes = BODY) -> Artifact:
    return linux_artifact(url, body)


@pytest.fixture
def session():  # noqa: ANN201
    with loopback_session() as s:
        yield s


def test_download_progress_and_private_cache(session, tmp_path: Path) -> None:  # noqa: ANN001
    seen: list[Progress] = []
    with LoopbackServer() as srv:
        art = _artifact(srv.serve("/qs", BODY))
        path = ensure_artifact(session, art, tmp_path / "cache", progress=seen.append, allowed_hosts=["127.0.0.1"])
    assert path == final_path(art, tmp_path / "cache") and path.read_bytes() == BODY
    assert path.name.endswith(".tar.gz")
    assert seen[-1] == Progress(done=len(BODY), total=len(BODY), bytes_per_s=seen[-1].bytes_per_s, eta_s=0.0)
    assert all(p.done <= p.total for p in seen)
    if os.name == "posix":
        assert (tmp_path / "cache").stat().st_mode & 0o777 == 0o700


def test_cached_match_needs_no_network(session, tmp_path: Path) -> None:  # noqa: ANN001
    art = _artifact("http://127.0.0.1:9/never")
    final = final_path(art, tmp_path)
    final.write_bytes(BODY)
    assert ensure_artifact(session, art, tmp_path) == final


def test_allowlist_checked_before_anything(session, tmp_path: Path) -> None:  # noqa: ANN001
    with pytest.raises(LauncherError) as info:
        ensure_artifact(session, _artifact("http://localhost:9/x"), tmp_path, allowed_hosts=["127.0.0.1"])
    assert info.value.code == "NET-HOST"


def test_cancel_before_start(session, tmp_path: Path) -> None:  # noqa: ANN001
    cancel = threading.Event()
    cancel.set()
    with LoopbackServer() as srv, pytest.raises(LauncherError) as info:
        ensure_artifact(session, _artifact(srv.serve("/qs", BODY)), tmp_path, cancel=cancel)
    assert info.value.code == "DL-CANCELLED" and list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("err", "code"), [(errno.ENOSPC, "DL-DISK-FULL"), (errno.EDQUOT, "DL-DISK-FULL"),
                                           (errno.EFBIG, "DL-DISK-FULL"), (errno.EROFS, "DL-READONLY"),
                                           (errno.EACCES, "DL-READONLY"), (errno.EBUSY, "DL-LOCKED")])
def test_os_error_codes(err: int, code: str, tmp_path: Path) -> None:
    assert map_os_error(OSError(err, os.strerror(err)), tmp_path / "none").code == code


def test_open_verified_same_handle_and_tamper(tmp_path: Path) -> None:
    art = _artifact("https://h/x")
    path = tmp_path / "qs.tar.gz"
    path.write_bytes(BODY)
    with open_verified(path, art) as fh:
        assert fh.tell() == 0 and hashlib.sha256(fh.read()).hexdigest() == art.sha256
    path.write_bytes(BODY[:-1])
    with pytest.raises(LauncherError) as info:
        open_verified(path, art)
    assert info.value.code == "DL-TAMPERED" and not path.exists()
    with pytest.raises(LauncherError) as info:
        open_verified(path, art)
    assert info.value.code == "DL-TAMPERED"


def test_a_new_build_replaces_the_old_ones_in_the_cache(session, tmp_path: Path) -> None:  # noqa: ANN001
    """Each manifest update downloads a new QuickSupport: the builds before it, and partial downloads a killed
    launcher left behind, do not pile up; a download in progress and files of other names stay."""
    cache = tmp_path / "cache"
    cache.mkdir()
    older = cache / "TeamViewerQS-15.1.0-0123456789abcdef.tar.gz"
    older.write_bytes(b"an earlier build")
    stale_part = cache / ".TeamViewerQS-15.0.0-fedcba9876543210.tar.gz.part"
    stale_part.write_bytes(b"killed mid-download")
    os.utime(stale_part, (1, 1))
    live_part = cache / ".TeamViewerQS-15.2.0-00000000000000aa.tar.gz.part"
    live_part.write_bytes(b"another launcher downloading now")
    other = cache / "notes.txt"
    other.write_bytes(b"not ours to remove")
    with LoopbackServer() as srv:
        art = _artifact(srv.serve("/qs", BODY))
        path = ensure_artifact(session, art, cache, allowed_hosts=["127.0.0.1"])
    assert sorted(p.name for p in cache.iterdir()) == sorted([path.name, live_part.name, other.name])
    older.write_bytes(b"an earlier build, back again")
    assert ensure_artifact(session, art, cache) == path  # reused from the cache: the old one goes too
    assert not older.exists() and path.read_bytes() == BODY


def test_pruning_skips_what_it_cannot_remove(tmp_path: Path) -> None:
    from launcher.core.download import prune_cache

    keep = tmp_path / "TeamViewerQS-2-bb.tar.gz"
    keep.write_bytes(b"kept")
    folder_of_that_name = tmp_path / "TeamViewerQS-1-aa.tar.gz"
    folder_of_that_name.mkdir()
    link = tmp_path / "TeamViewerQS-0-cc.tar.gz"
    link.symlink_to(keep)
    assert prune_cache(tmp_path, keep) == []
    assert prune_cache(tmp_path / "missing", keep) == []
    assert keep.read_bytes() == b"kept" and folder_of_that_name.is_dir() and link.is_symlink()
