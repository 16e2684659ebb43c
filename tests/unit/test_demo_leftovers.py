"""The next demo removes `overmax-demo-*` folders that killed demos left behind: only its own user's real
folders whose owner is gone (their lock file free), never through a link. The sweep itself is
tests/unit/test_owned_folders.py's; here, that the demo uses it for its temporary folder."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from launcher.core.owned_folders import LOCK_SUFFIX
from launcher.demo.session import DEMO_PREFIX, demo_environment, remove_stale_demo_folders
from tests.support.folder_owner import FolderOwner


def test_a_demo_folder_whose_owner_was_killed_is_removed_and_a_live_ones_kept(tmp_path):
    dead, alive = FolderOwner(tmp_path, DEMO_PREFIX), FolderOwner(tmp_path, DEMO_PREFIX)
    try:
        dead.kill()
        assert remove_stale_demo_folders(tmp_path) == [dead.path]
        assert not dead.path.exists() and alive.path.is_dir()
    finally:
        alive.end()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the demo stand-in is Linux only")
def test_a_demo_owns_its_folder_and_cleans_up_before_it_starts(tmp_path, monkeypatch):
    monkeypatch.setenv("TMPDIR", str(tmp_path))  # the temporary folder as the environment names it (temp_folder)
    stale = tmp_path / f"{DEMO_PREFIX}dead"  # a folder a killed demo left, from before owner locks
    (stale / "data" / "logs").mkdir(parents=True)
    with demo_environment() as (_config, paths):
        assert not stale.exists()
        workdir = paths.data.parent
        assert workdir.name.startswith(DEMO_PREFIX) and workdir.with_name(workdir.name + LOCK_SUFFIX).is_file()
        assert remove_stale_demo_folders(tmp_path) == [] and workdir.is_dir()  # ours: this process lives
    assert not workdir.exists() and list(Path(tmp_path).glob(DEMO_PREFIX + "*")) == []
