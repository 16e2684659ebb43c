"""The --demo QuickSupport stand-in and its artifact: real subprocesses, the real log format, clean SIGTERM."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import tarfile
import time
from pathlib import Path

import psutil
import pytest

from launcher.core.quicksupport.tvlog import TvLogFollower
from launcher.demo.artifact import ENTRY, build_standin_artifact
from launcher.demo.standin import group_id, random_id, random_password
from tests.support.polling import poll_until

REPO = Path(__file__).resolve().parent.parent.parent



def test_random_credentials_have_the_real_shape():
    for _ in range(50):
        tv_id, pw = random_id(), random_password()
        assert tv_id.isdigit() and len(tv_id) in (9, 10) and tv_id[0] != "0"
        assert 6 <= len(pw) <= 8 and pw.isalnum()
    assert group_id("1660388656") == "1 660 388 656" and group_id("123456789") == "123 456 789"


@pytest.mark.parametrize(("headless", "entry"), [
    (False, ["launcher.demo.standin"]),
    (True, ["launcher.demo.standin"]),
    (True, ["launcher", "demo-standin"]),  # how the frozen app starts it: its options pass through as they are
], ids=["window", "headless", "cli-entry"])
def test_standin_writes_the_real_format_and_ends_on_sigterm(tmp_path: Path, headless: bool, entry: list[str]):
    follower = TvLogFollower([tmp_path / "logfiles"], since=time.time())
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(REPO))
    argv = [sys.executable, "-m", *entry, "--root", str(tmp_path), "--id", "123456789",
            "--password", "ab12cd", "--join-after", "0.4", "--leave-after", "0.8"]
    proc = subprocess.Popen(argv + (["--headless"] if headless else []), env=env, cwd=tmp_path)
    try:
        events = poll_until(follower, "ended")
        version, *events = events  # the header names the build first (OVERMAX_DEMO_VERSION, default 15.0.0)
        assert (version.kind, version.name) == ("version", "15.0.0")
        assert [e.kind for e in events] == ["online", "id", "incoming", "authenticated", "joined", "control", "left",
                                            "ended"]
        assert events[1].tv_id == "123456789"
        joined = events[4]
        assert joined.name == "Demo Konsultant" and joined.tv_id == events[6].tv_id != "123456789"
        text = (tmp_path / "logfiles" / "TeamViewer15_Logfile.log").read_text(encoding="utf-8")
        assert re.search(r"^ID:\s+0$", text, re.M)  # the header, as the real one has it
        assert "ab12cd" not in text  # the password is never written anywhere
        assert proc.poll() is None
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_bad_id_is_refused():
    from launcher.demo.standin import parse_args

    with pytest.raises(SystemExit):
        parse_args(["--root", "/tmp/x", "--id", "12ab"])


@pytest.mark.skipif(sys.platform == "win32", reason="the entry is a POSIX sh script")
def test_artifact_entry_runs_the_standin_from_its_own_folder(tmp_path: Path):
    path, entry = build_standin_artifact(tmp_path / "www")
    assert entry == ENTRY and path.name == "teamviewer_qs.tar.gz"
    with tarfile.open(path) as tar:
        member = tar.getmember(ENTRY)
        assert member.mode & 0o111
        script = tar.extractfile(member).read().decode()
        tar.extractall(tmp_path / "unpacked", filter="data")
    assert script.startswith("#!/bin/sh") and "-m launcher.demo.standin" in script and "PYTHONPATH" in script
    folder = tmp_path / "unpacked" / "teamviewerqs"
    follower = TvLogFollower([folder / "logfiles"], since=time.time())
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.pop("PYTHONPATH", None)
    proc = subprocess.Popen([str(folder / "teamviewer"), "--headless", "--join-after", "-1"], env=env, cwd="/")
    try:
        events = poll_until(follower, "id")
        assert [e.kind for e in events] == ["version", "online", "id"]
        assert str(folder) in " ".join(psutil.Process(proc.pid).cmdline())  # exec'd, with --root here
        proc.terminate()
        assert proc.wait(timeout=10) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_a_mistyped_scenario_is_refused_not_played_as_a_verified_consultant(monkeypatch, tmp_path):
    from launcher.demo import standin

    monkeypatch.setenv("OVERMAX_DEMO_SCENARIO", "imposter")
    with pytest.raises(ValueError, match="OVERMAX_DEMO_SCENARIO='imposter'"):
        standin.scenario_from_env()
    assert standin.main(["--root", str(tmp_path), "--headless"]) == 2
    monkeypatch.setenv("OVERMAX_DEMO_SCENARIO", "Impostor ")
    assert standin.scenario_from_env() == ("impostor", "both")
    monkeypatch.delenv("OVERMAX_DEMO_SCENARIO")
    monkeypatch.setenv("OVERMAX_DEMO_JOIN_WORDING", "rol")
    with pytest.raises(ValueError, match="OVERMAX_DEMO_JOIN_WORDING"):
        standin.scenario_from_env()


@pytest.mark.parametrize(("value", "header_line"), [
    ("", "Version:            15.0.0 DEMO (64-bit)"),
    ("14.7.1965", "Version:            14.7.1965 DEMO (64-bit)"),
    ("none", None),
])
def test_the_version_the_header_names_is_an_option(monkeypatch, tmp_path, value: str, header_line: str | None):
    from launcher.demo import standin

    monkeypatch.setenv("OVERMAX_DEMO_VERSION", value)
    writer = standin.TvLogWriter(tmp_path, standin.version_from_env())
    writer.header()
    lines = writer.path.read_text(encoding="utf-8").splitlines()
    assert re.search(r"^ID:\s+0$", "\n".join(lines), re.M)
    assert [line for line in lines if line.startswith("Version:")] == ([header_line] if header_line else [])


@pytest.mark.parametrize("value", ["14", "15.0.0-old", "15.0.0.0.1", "v15", "15..0"])
def test_a_malformed_version_is_refused(monkeypatch, tmp_path, value: str):
    from launcher.demo import standin

    monkeypatch.setenv("OVERMAX_DEMO_VERSION", value)
    with pytest.raises(ValueError, match="OVERMAX_DEMO_VERSION"):
        standin.version_from_env()
    assert standin.main(["--root", str(tmp_path), "--headless"]) == 2
    assert not (tmp_path / "logfiles").exists()
