"""Helpers for the packaging tests: run the app and the build scripts as real subprocesses."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def offscreen_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env.update(extra)
    return env


def run(cmd: list[str], timeout: float = 120, **kw) -> subprocess.CompletedProcess:
    kw.setdefault("env", offscreen_env())
    kw.setdefault("cwd", ROOT)
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, **kw)


@pytest.fixture
def app_copy(tmp_path: Path) -> Path:
    """A copy of the launcher package and its resources, to break on purpose and run for real."""
    dst = tmp_path / "app"
    shutil.copytree(ROOT / "launcher", dst / "launcher", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "resources", dst / "resources")
    return dst


def self_test_in(copy: Path, *args: str) -> subprocess.CompletedProcess:
    env = offscreen_env(PYTHONPATH=str(copy))
    return run([sys.executable, "-m", "launcher", "--self-test", *args], env=env, cwd=copy)


def need(tool: str) -> str:
    path = shutil.which(tool)
    if not path:
        pytest.skip(f"{tool} not installed (installer/ci-deps.sh installs it)")
    return path
