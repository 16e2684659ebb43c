"""The next demo removes `overmax-demo-*` folders that killed demos left behind: only its own user's real
folders whose owner process is gone, never through a link."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from launcher.demo.session import OWNER_FILE, UNOWNED_GRACE_S, demo_environment, remove_stale_demo_folders


def demo_folder(tmp: Path, name: str, owner: dict | None) -> Path:
    folder = tmp / f"overmax-demo-{name}"
    (folder / "data" / "logs").mkdir(parents=True)
    (folder / "data" / "consent.jsonl").write_text("{}\n")
    if owner is not None:
        (folder / OWNER_FILE).write_text(json.dumps(owner))
    return folder


def dead_owner() -> dict:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    started = psutil.Process(proc.pid).create_time() if proc.poll() is None else time.time()
    proc.wait()
    return {"pid": proc.pid, "started": started}


def me() -> dict:
    return {"pid": os.getpid(), "started": psutil.Process().create_time()}


def test_a_folder_whose_owner_is_gone_is_removed_and_a_live_ones_kept(tmp_path):
    stale = demo_folder(tmp_path, "dead", dead_owner())
    live = demo_folder(tmp_path, "live", me())
    assert remove_stale_demo_folders(tmp_path) == [stale]
    assert not stale.exists() and live.is_dir()


def test_a_reused_pid_is_not_the_owner(tmp_path):
    stale = demo_folder(tmp_path, "reused", {**me(), "started": me()["started"] - 1000})
    assert remove_stale_demo_folders(tmp_path) == [stale]


def test_without_an_owner_record_only_an_old_folder_goes(tmp_path):
    old = demo_folder(tmp_path, "old", None)
    new = demo_folder(tmp_path, "new", None)
    long_ago = time.time() - UNOWNED_GRACE_S - 60
    os.utime(old, (long_ago, long_ago))
    assert remove_stale_demo_folders(tmp_path) == [old]
    assert new.is_dir()


@pytest.mark.skipif(not hasattr(os, "symlink") or sys.platform == "win32", reason="POSIX symlinks")
def test_links_are_never_followed(tmp_path):
    precious = tmp_path / "precious"
    target = demo_folder(precious, "target", dead_owner())  # looks stale, but is reached only via links
    link = tmp_path / "overmax-demo-link"
    link.symlink_to(target, target_is_directory=True)
    inner_victim = tmp_path / "victim"
    inner_victim.mkdir()
    (inner_victim / "keep.txt").write_text("keep")
    stale = demo_folder(tmp_path, "dead", dead_owner())
    (stale / "data" / "escape").symlink_to(inner_victim, target_is_directory=True)
    assert remove_stale_demo_folders(tmp_path) == [stale]
    assert link.is_symlink() and (target / "data" / "consent.jsonl").is_file()
    assert (inner_victim / "keep.txt").read_text() == "keep"


def test_other_names_and_plain_files_are_left_alone(tmp_path):
    (tmp_path / "overmax-demo-file").write_text("not a folder")
    other = tmp_path / "someone-else"
    other.mkdir()
    (other / OWNER_FILE).write_text(json.dumps(dead_owner()))
    assert remove_stale_demo_folders(tmp_path) == []
    assert (tmp_path / "overmax-demo-file").is_file() and other.is_dir()


@pytest.mark.skipif(not hasattr(os, "getuid") or os.getuid() != 0, reason="needs root to make another user's folder")
def test_another_users_folder_is_left_alone(tmp_path):
    theirs = demo_folder(tmp_path, "theirs", dead_owner())
    for path in [theirs, *theirs.rglob("*")]:
        os.chown(path, 65534, 65534, follow_symlinks=False)
    assert remove_stale_demo_folders(tmp_path) == []
    assert theirs.is_dir()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the demo stand-in is Linux only")
def test_a_demo_records_its_owner_and_cleans_up_before_it_starts(tmp_path, monkeypatch):
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    stale = demo_folder(tmp_path, "dead", dead_owner())
    with demo_environment() as (_config, paths):
        assert not stale.exists()
        workdir = paths.data.parent
        assert workdir.name.startswith("overmax-demo-")
        assert json.loads((workdir / OWNER_FILE).read_text()) == me()
    assert not workdir.exists()
