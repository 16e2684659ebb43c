"""`scripts/windows-lane.sh check`: whether the Windows lane is set up for this checkout, asked by the Linux
suite's tests that run the lane's Windows Python (tests/support/windows_lane.py). A lane set up for an older
checkout (a requirement added to pyproject.toml since its wheels were installed: CI once ran the launcher
under Wine without filelock and saw APP-INTERNAL) must be named, not taken for current.

Runs the script of a copy of the checkout's lane files against this checkout's lane, read-only (the check
changes nothing); skipped where that lane is not set up (`scripts/windows-lane.sh setup`)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.support.windows_lane import REPO, lane_env

LANE_FILES = ("scripts/windows-lane.sh", "scripts/windows-lane/env.sh", "scripts/windows_lane_reqs.py",
              "scripts/build_windows_standin.py", "pyproject.toml", "tests/windows/lane_pki.py",
              "tests/support/authenticode.py", "launcher/demo/windows/standin.c")


def _check(checkout: Path, lane_dir: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, WINDOWS_LANE_DIR=lane_dir, OVERMAX_REPO=str(REPO))
    return subprocess.run([str(checkout / "scripts" / "windows-lane.sh"), "check"], cwd=checkout, env=env,
                          capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)


def _stale(result: subprocess.CompletedProcess[str]) -> list[str]:
    """The parts the check named as out of date (its one line: "...this checkout: A B C; run ... setup")."""
    assert result.returncode == 1 and "; run scripts/windows-lane.sh setup" in result.stderr, result
    return result.stderr.split("this checkout: ", 1)[1].split("; run ", 1)[0].split(" ")


@pytest.fixture(scope="module")
def lane_dir() -> str:
    if not (REPO / ".venv" / "bin" / "python").is_file():
        pytest.skip("no .venv (scripts/bootstrap.sh)")
    if _check(REPO, lane_env()["WINDOWS_LANE_DIR"]).returncode != 0:
        pytest.skip("the Windows lane is not set up for this checkout: scripts/windows-lane.sh setup")
    return lane_env()["WINDOWS_LANE_DIR"]


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """The files the lane is made from, copied (the lane's `.pth` names the real checkout: OVERMAX_REPO)."""
    for name in LANE_FILES:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / name, tmp_path / name)
    (tmp_path / ".venv").symlink_to(REPO / ".venv")
    return tmp_path


def test_a_lane_set_up_for_the_same_sources_is_current(checkout, lane_dir):
    result = _check(checkout, lane_dir)
    assert result.returncode == 0 and result.stdout == "" and result.stderr == "", result


def test_a_requirement_added_since_the_wheels_were_installed_is_named(checkout, lane_dir):
    pyproject = checkout / "pyproject.toml"
    text = pyproject.read_text()
    assert "dependencies = [\n" in text
    pyproject.write_text(text.replace("dependencies = [\n", 'dependencies = [\n    "six>=1.16",\n', 1))
    assert _stale(_check(checkout, lane_dir)) == ["wheels", "(pyproject.toml's", "requirements)"]


def test_a_changed_stand_in_source_is_named(checkout, lane_dir):
    source = checkout / "launcher" / "demo" / "windows" / "standin.c"
    source.write_text(source.read_text() + "/* changed */\n")
    assert _stale(_check(checkout, lane_dir)) == ["stand-in"]


def test_a_lane_for_another_checkout_is_not_this_ones(checkout, lane_dir):
    env_repo = dict(os.environ, WINDOWS_LANE_DIR=lane_dir, OVERMAX_REPO=str(checkout))  # its .pth names REPO
    result = subprocess.run([str(checkout / "scripts" / "windows-lane.sh"), "check"], cwd=checkout, env=env_repo,
                            capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
    assert _stale(result)[0] == "wheels"


def test_no_lane_at_all_names_every_part(checkout, tmp_path):
    stale = _stale(_check(checkout, str(tmp_path / "no-lane")))
    for part in ("locale", "python", "prefix", "fonts", "wheels", "test-root", "signed-files", "stand-in"):
        assert part in stale, stale
    assert not (tmp_path / "no-lane").exists()  # the check made nothing
