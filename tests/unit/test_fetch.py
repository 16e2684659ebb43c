"""launcher.core.fetch: the pipeline with its own session (default retries) and `verify FILE`."""

from __future__ import annotations

import pytest

from launcher.core.errors import LauncherError
from launcher.core.fetch import VerifiedArtifact, fetch_manifest, fetch_quicksupport, verify_local_file
from tests.faults.conftest import Supply, server, supply  # noqa: F401 - fixtures


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
    bad.write_bytes(supply.body[:-1] + b"\0")
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
