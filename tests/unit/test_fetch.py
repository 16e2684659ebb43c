"""launcher.core.fetch: the pipeline with its own session (default retries), `verify FILE`, and the manifest
fetched ahead (beside the connection check) handing its connection to the download."""

from __future__ import annotations

import pytest

from launcher.core.errors import LauncherError
from launcher.core.fetch import (
    ManifestAhead,
    PrefetchedManifest,
    VerifiedArtifact,
    fetch_manifest,
    fetch_quicksupport,
    prefetch_manifest,
    verify_local_file,
)
from launcher.core.manifest import SerialStore
from tests.faults.conftest import (  # noqa: F401 - fixtures
    ARTIFACT_PATH,
    MANIFEST_PATH,
    Supply,
    closed_manifests,
    server,
    supply,
)
from tests.support.loopback_http import LoopbackServer, Reply

WAIT_S = 30


def test_fetch_with_default_session(supply: Supply) -> None:  # noqa: F811
    supply.publish()
    result = fetch_quicksupport(supply.config(), supply.paths)
    assert isinstance(result, VerifiedArtifact)
    assert result.path.read_bytes() == supply.body and result.manifest.serial == supply.serial


def test_manifest_host_must_be_allowed(supply: Supply) -> None:  # noqa: F811
    supply.publish()
    with pytest.raises(LauncherError) as info:
        fetch_manifest(supply.config(allowed=("dl.teamviewer.com",)), supply.paths)
    assert info.value.code == "NET-HOST"


def test_verify_local_file(supply: Supply, tmp_path) -> None:  # noqa: ANN001, F811
    supply.publish()
    good = tmp_path / "qs.tar.gz"
    good.write_bytes(supply.body)
    assert verify_local_file(good, supply.config(), supply.paths).path == good
    bad = tmp_path / "bad.tar.gz"
    bad.write_bytes(supply.body[:-1] + bytes([supply.body[-1] ^ 0xFF]))  # never the same byte (random body)
    with pytest.raises(LauncherError) as info:
        verify_local_file(bad, supply.config(), supply.paths)
    # the operator's file is never deleted, and the answer does not say it was (DL-HASH would)
    assert info.value.code == "APP-VERIFY-MISMATCH" and "sha256" in info.value.detail and bad.exists()
    short = tmp_path / "short.tar.gz"
    short.write_bytes(b"x")
    with pytest.raises(LauncherError) as info:
        verify_local_file(short, supply.config(), supply.paths)
    assert info.value.code == "APP-VERIFY-MISMATCH" and "1 bytes" in info.value.detail and short.exists()
    with pytest.raises(LauncherError) as info:
        verify_local_file(tmp_path, supply.config(), supply.paths)  # a folder: open() fails (IsADirectoryError)
    assert info.value.code == "APP-FILE-UNREADABLE"


def test_manifest_fetched_ahead_is_not_fetched_again_and_its_connection_carries_the_download(
        supply: Supply, server: LoopbackServer) -> None:  # noqa: F811
    supply.publish()
    told: list[ManifestAhead] = []
    ahead = ManifestAhead(supply.config(), supply.paths, on_answer=told.append)
    assert ahead.done.wait(WAIT_S)
    prefetched = ahead.take()
    assert isinstance(prefetched, PrefetchedManifest) and prefetched.manifest.serial == supply.serial
    assert told == [ahead]
    assert ahead.take() is None  # handed over once
    ahead.drop()  # taken: nothing left to close
    result = fetch_quicksupport(supply.config(), supply.paths, prefetched=prefetched)
    assert result.path.read_bytes() == supply.body and result.manifest is prefetched.manifest
    [manifest], [artifact] = server.hits(MANIFEST_PATH), server.hits(ARTIFACT_PATH)
    assert artifact.peer_port == manifest.peer_port  # one connection: no second handshake for the download


def test_a_manifest_dropped_before_it_comes_is_closed_and_told_to_nobody(
        supply: Supply, server: LoopbackServer, closed_manifests: list[PrefetchedManifest]) -> None:  # noqa: F811
    supply.publish(manifest_replies=[Reply(delay=0.5)])  # still on its way when the check fails
    told: list[ManifestAhead] = []
    ahead = ManifestAhead(supply.config(), supply.paths, on_answer=told.append)
    ahead.drop()
    assert ahead.done.wait(WAIT_S)
    # the drop ended the fetch (tests/faults/test_abandoned_download.py): no manifest was made to be closed, its
    # session was closed where the fetch failed
    assert closed_manifests == [] and told == [] and ahead.take() is None
    assert server.hits(ARTIFACT_PATH) == []


def test_a_manifest_that_failed_ahead_is_its_error(supply: Supply) -> None:  # noqa: F811
    supply.publish(sig=b"\x00" * 64)
    ahead = ManifestAhead(supply.config(), supply.paths)
    assert ahead.done.wait(WAIT_S)
    answer = ahead.take()
    assert isinstance(answer, LauncherError) and answer.code.startswith("MAN-")


def test_a_manifest_fetched_ahead_that_expired_before_its_download_is_fetched_again(
        supply: Supply, server: LoopbackServer) -> None:  # noqa: F811
    from datetime import UTC, datetime, timedelta

    soon = datetime.now(UTC) + timedelta(hours=1)
    supply.publish(expires=soon)
    prefetched = prefetch_manifest(supply.config(), supply.paths)
    supply.publish(serial=supply.serial + 1)  # the vendor re-signed meanwhile (30 days)
    later = soon + timedelta(minutes=1)  # the check took long: the first has expired since
    told: list = []
    result = fetch_quicksupport(supply.config(), supply.paths, prefetched=prefetched, now=later,
                                on_manifest=told.append)
    assert result.manifest.serial == supply.serial + 1 and result.path.read_bytes() == supply.body
    assert told == [result.manifest]  # the one the download went by, not the expired one
    assert len(server.hits(MANIFEST_PATH)) == 2
    assert SerialStore(supply.paths.manifest_state_file).highest() == supply.serial + 1


def test_the_manifest_a_failed_download_went_by_is_told_before_the_download(
        supply: Supply, server: LoopbackServer) -> None:  # noqa: F811
    supply.publish(serve_artifact=False)
    server.serve(ARTIFACT_PATH, bytes(len(supply.body)))  # not the signed file
    told: list = []
    with pytest.raises(LauncherError) as info:
        fetch_quicksupport(supply.config(), supply.paths, on_manifest=told.append)
    assert info.value.code == "DL-HASH"
    assert [m.serial for m in told] == [supply.serial]
