"""Disk full and read-only cache, with real mechanisms: a tiny tmpfs or a read-only mount in a
private mount namespace (`unshare`), or RLIMIT_FSIZE. The download runs in a child process (its own
namespace/limits); the child reports the error code and what is left in the cache as JSON.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.faults.conftest import ARTIFACT_PATH, Supply
from tests.support.loopback_http import LoopbackServer

REPO = Path(__file__).resolve().parents[2]

CHILD = r"""
import json, os, resource, signal, sys
from pathlib import Path
from launcher.config import DownloadConfig
from launcher.core.download import ensure_artifact
from launcher.core.errors import LauncherError
from launcher.core.http import make_session
from launcher.core.manifest import Artifact

args = json.loads(sys.argv[1])
if args.get("fsize"):
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # so write() fails with EFBIG instead of killing us
    resource.setrlimit(resource.RLIMIT_FSIZE, (args["fsize"], args["fsize"]))
cache = Path(args["cache"])
session = make_session(DownloadConfig(allowed_hosts=("127.0.0.1",)), retries=0)
code = None
try:
    ensure_artifact(session, Artifact(**args["artifact"]), cache)
except LauncherError as exc:
    code = exc.code
left = sorted(os.listdir(cache)) if cache.exists() else []
print(json.dumps({"code": code, "left": left}))
"""


def _artifact(supply: Supply) -> dict:
    entry = supply.entry()
    return {"platform": supply.platform, **entry}


def _run(argv_prefix: list[str], args: dict, shell_setup: str = "") -> dict:
    payload = json.dumps(args)
    if shell_setup:
        script = f'{shell_setup} && exec "$0" -c "$1" "$2"'
        cmd = [*argv_prefix, "sh", "-c", script, sys.executable, CHILD, payload]
    else:
        cmd = [sys.executable, "-c", CHILD, payload]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=60, cwd=REPO, env=env, check=False)
    if shell_setup and proc.returncode != 0 and "Traceback" not in proc.stderr:
        pytest.skip(f"mount namespace set-up unavailable here: {proc.stderr.strip()[-300:]}")
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _can_unshare() -> bool:
    if not shutil.which("unshare") or sys.platform != "linux":
        return False
    probe = subprocess.run(["unshare", "-rm", "true"], capture_output=True, timeout=10, check=False)
    return probe.returncode == 0


def _check(result: dict, code: str) -> None:
    assert result["code"] == code, result
    assert result["left"] == [], f"left in cache (no final file, no partial): {result['left']}"


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX resource limits")
def test_disk_full_via_rlimit_fsize(supply: Supply, server: LoopbackServer, tmp_path: Path) -> None:
    supply.body = os.urandom(400_000)
    server.serve(ARTIFACT_PATH, supply.body)
    art = _artifact(supply)
    result = _run([], {"artifact": art, "cache": str(tmp_path / "cache"), "fsize": 100_000})
    _check(result, "DL-DISK-FULL")


@pytest.mark.skipif(not _can_unshare(), reason="needs unshare -rm (user + mount namespaces)")
def test_disk_full_on_a_tiny_tmpfs(supply: Supply, server: LoopbackServer, tmp_path: Path) -> None:
    supply.body = os.urandom(400_000)
    server.serve(ARTIFACT_PATH, supply.body)
    art = _artifact(supply)
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    result = _run(["unshare", "-rm"], {"artifact": art, "cache": str(mnt / "cache")},
                  shell_setup=f"mount -t tmpfs -o size=128k tmpfs '{mnt}'")
    _check(result, "DL-DISK-FULL")


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_read_only_cache(supply: Supply, server: LoopbackServer, tmp_path: Path) -> None:
    server.serve(ARTIFACT_PATH, supply.body)
    art = _artifact(supply)
    if os.geteuid() != 0:
        parent = tmp_path / "ro"
        parent.mkdir()
        parent.chmod(0o500)
        try:
            result = _run([], {"artifact": art, "cache": str(parent / "cache")})
        finally:
            parent.chmod(0o700)
        _check(result, "DL-READONLY")
        return
    if not _can_unshare():
        pytest.skip("root (chmod does not block root) and no mount namespace for a read-only mount")
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    setup = f"mount -t tmpfs tmpfs '{mnt}' && mkdir '{mnt}/cache' && mount -o remount,ro '{mnt}'"
    result = _run(["unshare", "-rm"], {"artifact": art, "cache": str(mnt / "cache")}, shell_setup=setup)
    _check(result, "DL-READONLY")
