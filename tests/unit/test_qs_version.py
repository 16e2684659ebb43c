"""The running QuickSupport's build from its log header, and the manifest's `min_version` against it.

The header parser against the real TeamViewer 15.50.5 log (conftest's tv_real_log: skipped where
../shared is absent; OVERMAX_SHARED names it from a worktree) and logs
written here in the encodings TeamViewer uses (UTF-8, UTF-16 LE/BE with and without a BOM, cp1250), in
pieces that split lines and characters; the gate's decisions with a fake clock; and a real
QuickSupportSession running the Linux demo stand-in with an old build, a new enough one and none named.
"""

from __future__ import annotations

import hashlib
import sys
import time
from pathlib import Path

import pytest

from launcher.core.download import open_verified
from launcher.core.errors import CATALOGUE
from launcher.core.manifest import Artifact
from launcher.core.quicksupport.launch import Prepared, prepare
from launcher.core.quicksupport.session import QuickSupportSession, event_failure
from launcher.core.quicksupport.tvlog import HeaderReader, TvEvent, TvLogFollower, header_version
from launcher.core.quicksupport.version_gate import VersionGate, gate_for
from launcher.demo.artifact import build_standin_artifact
from tests.support.processes import alive_pids
from tests.support.teamviewers import count_only_teamviewers_started_from_now

STAMP = "2026/11/29 10:00:00.000  4242       5868 S0   "


def _header(version_line: str = "Version:            15.50.5 (64-bit)", os_line: str = "Win_10.0.17763_W") -> str:
    """A header block as TeamViewer 15 writes it (one stamped line with an empty message, then the block)."""
    return (f"{STAMP}Logger started.\n{STAMP}\n"
            "Start:              2026/11/29 10:00:00.001 (UTC+1:00)\n"
            f"{version_line}\nVersion short hash: b23ae08066e\nID:                 0\n"
            f"OS:                 {os_line}\nAppPath:            C:\\Users\\Klient\\AppData\\Local\\Temp\\"
            "TeamViewer\\TeamViewer.exe\n\n"
            f"{STAMP}Login::Identify::ManageLogin(): ID: 1660388656 IC -2100253538 MIDv2\n")


def _versions(follower: TvLogFollower) -> list[str | None]:
    return [e.name for e in follower.poll() if e.kind == "version"]


# ---------------------------------------------------------------- the header line


@pytest.mark.parametrize(("line", "version"), [
    ("Version:            15.50.5 (64-bit)", "15.50.5"),  # TeamViewer 15.50 (the fixture)
    ("Version:            13.2.14327  (64-bit)", "13.2.14327"),  # older builds pad twice
    ("Version:            15.0.0 DEMO (64-bit)", "15.0.0"),  # the demo stand-ins
    ("Version:\t15.61.3", "15.61.3"),
    ("Version: v15.9.4.1", "15.9.4.1"),
    ("Start:              2026/11/29 10:00:00.001 TeamViewer 15.61.3 (64-bit)", "15.61.3"),
    ("Version short hash: b23ae08066e", None),
    ("Version:            (unknown)", None),
    ("ID:                 0", None),
    (STAMP + "Version: 15.50.5", None),  # a stamped line is a message, never the header
    ("", None),
    ("\x00" * 10, None),
])
def test_header_version_reads_the_known_wordings(line: str, version: str | None) -> None:
    assert header_version(line) == version
    assert header_version(line + "\r\n") == version


def test_only_lines_inside_a_header_block_count() -> None:
    reader = HeaderReader()
    # a continuation line of some message that happens to look like a header line is not the build
    assert reader.feed(STAMP + "Dump of settings:") is None
    assert reader.feed("Version: 2.0") is None
    assert reader.feed("Start:              2026/11/29 10:00:00.001 (UTC+1:00)") is None
    assert reader.feed("Version:            15.50.5 (64-bit)") == "15.50.5"
    assert reader.feed("") is None  # the blank line closes the block
    assert reader.feed("Version: 9.0.1") is None


# ---------------------------------------------------------------- the real log


def test_the_real_teamviewer_log_names_its_build_once_per_run(tmp_path: Path, tv_real_log: Path) -> None:
    follower = TvLogFollower([tmp_path], since=0.0)
    (tmp_path / "TeamViewer15_Logfile.log").write_bytes(tv_real_log.read_bytes())
    events = follower.poll()
    assert [e.name for e in events if e.kind == "version"] == ["15.50.5", "15.50.5"]  # the 06:05 and 06:14 runs
    kinds = [e.kind for e in events]
    assert kinds.index("version") < kinds.index("id")  # the header comes before the ID, in every run
    assert all(e.when is not None for e in events if e.kind == "version")


def test_an_old_file_appearing_later_counts_only_headers_of_our_run(tmp_path: Path, tv_real_log: Path) -> None:
    """An `_OLD` copy of earlier runs: its headers are stamped with the line before them and skipped."""
    follower = TvLogFollower([tmp_path], since=time.time())
    (tmp_path / "TeamViewer15_Logfile_OLD.log").write_bytes(tv_real_log.read_bytes())
    assert _versions(follower) == []


# ---------------------------------------------------------------- logs written here


@pytest.mark.parametrize(("encoding", "bom"), [
    ("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("utf-16-le", b"\xff\xfe"), ("utf-16-le", b""),
    ("utf-16-be", b"\xfe\xff"), ("utf-16-be", b""), ("cp1250", b""),
])
def test_the_header_is_read_in_every_encoding_even_in_small_pieces(tmp_path: Path, encoding: str,
                                                                   bom: bytes) -> None:
    """Pieces of 7 bytes: a file read from its start in pieces too small to tell its encoding (UTF-16
    without a BOM) was taken for 8-bit text before; it is sniffed from its own start now."""
    follower = TvLogFollower([tmp_path], since=0.0, ansi="cp1250")
    text = _header("Version:            14.7.1965 (32-bit)", os_line="Windows 10 Pro — Zażółć gęślą")
    data = bom + text.encode(encoding)
    log = tmp_path / "TeamViewer15_Logfile.log"
    versions: list[str | None] = []
    with open(log, "wb", buffering=0) as fh:
        for i in range(0, len(data), 7):  # pieces that split lines and code units anywhere
            fh.write(data[i : i + 7])
            versions += _versions(follower)
    versions += _versions(follower)
    assert versions == ["14.7.1965"]


def test_an_appended_run_is_read_from_the_launch_on(tmp_path: Path) -> None:
    log = tmp_path / "TeamViewer15_Logfile.log"
    log.write_text(_header("Version:            13.2.14327  (64-bit)"), encoding="utf-8")  # an earlier run
    follower = TvLogFollower([tmp_path], since=time.time())
    with open(log, "a", encoding="utf-8") as fh:
        fh.write(_header("Version:            15.61.3 (64-bit)"))
    assert _versions(follower) == ["15.61.3"]


def test_a_header_without_a_version_line_names_nothing(tmp_path: Path) -> None:
    follower = TvLogFollower([tmp_path], since=0.0)
    (tmp_path / "TeamViewer15_Logfile.log").write_text(_header("Loglevel:           Info"), encoding="utf-8")
    events = follower.poll()
    assert [e.kind for e in events] == ["id"]


# ---------------------------------------------------------------- the gate


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def _version(text: str) -> TvEvent:
    return TvEvent("version", None, name=text)


@pytest.mark.parametrize(("running", "minimum", "ok"), [
    ("15.50.5", "15.50.5", True),
    ("15.61.3", "15.50.5", True),
    ("15.10.0", "15.9.4", True),  # numbers, not strings: 10 > 9
    ("15.9.4", "15.10.0", False),
    ("14.7.1965", "15.0", False),
    ("15.50", "15.50.0", True),  # packaging: 15.50 == 15.50.0
    ("15.50.4.9", "15.50.5", False),
])
def test_the_gate_compares_by_packagings_rules(running: str, minimum: str, ok: bool) -> None:
    gate = VersionGate(minimum, clock=Clock())
    verdict = gate.saw(_version(running))
    assert (verdict is None) == ok
    if not ok:
        assert verdict == (False, running, minimum)
        assert gate.saw(_version(running)) is None and gate.overdue() is None  # decided once


def test_any_old_process_of_the_run_fails_it() -> None:
    """QuickSupport's processes each write a header: one older than the minimum is enough to refuse."""
    gate = VersionGate("15.50.5", clock=Clock())
    assert gate.saw(_version("15.61.3")) is None
    verdict = gate.saw(_version("15.2.1"))
    assert verdict is not None and verdict.version == "15.2.1"
    assert gate.running == "15.2.1"


def test_no_build_named_by_the_id_plus_grace_fails_closed() -> None:
    clock = Clock()
    gate = VersionGate("15.50.5", grace_s=2.0, clock=clock)
    clock.now += 30
    assert gate.overdue() is None  # no ID yet
    assert gate.saw(TvEvent("id", None, tv_id="1660388656")) is None
    clock.now += 1.9
    assert gate.overdue() is None
    clock.now += 0.2
    assert gate.overdue() == (False, None, "15.50.5")
    assert gate.overdue() is None


def test_without_an_id_the_gate_leaves_it_to_qs_no_id() -> None:
    """A log that cannot be read names neither the build nor the ID: the session's no-id event (QS-NO-ID)
    says what went wrong, not a guess that the build is old."""
    clock = Clock()
    gate = VersionGate("15.50.5", clock=clock)
    clock.now += 3600
    assert gate.overdue() is None


def test_a_named_build_settles_the_deadline() -> None:
    clock = Clock()
    gate = VersionGate("15.50.5", clock=clock)
    assert gate.saw(_version("15.50.5")) is None
    gate.saw(TvEvent("id", None, tv_id="1660388656"))
    clock.now += 600
    assert gate.overdue() is None


def test_without_min_version_nothing_is_refused() -> None:
    clock = Clock()
    gate = VersionGate("", clock=clock)
    assert not gate.has_rule
    assert gate.saw(_version("1.0")) is None
    other = VersionGate("", clock=clock)
    other.saw(TvEvent("id", None, tv_id="1660388656"))
    clock.now += 5
    assert other.overdue() is None  # nothing named, no rule: only logged


def test_a_malformed_minimum_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="not a version"):
        VersionGate("fifteen")


def test_gate_for_takes_the_artifacts_rule() -> None:
    art = Artifact(platform="linux-x86_64", url="https://x/qs.tar.gz", size=1, sha256="0" * 64,
                   version="15.61.3", kind="tar.gz", min_version="15.50.5")
    gate = gate_for(art)
    assert (gate.minimum, gate.listed, gate.has_rule) == ("15.50.5", "15.61.3", True)


def test_the_outdated_event_is_qs_outdated_without_retry() -> None:
    failure = event_failure(TvEvent("outdated", None, name="14.7.1965", verdict="15.0.0"))
    assert failure is not None and failure.code == "QS-OUTDATED"
    assert "14.7.1965" in failure.detail and "15.0.0" in failure.detail
    unnamed = event_failure(TvEvent("outdated", None, verdict="15.0.0"))
    assert unnamed is not None and unnamed.code == "QS-OUTDATED" and "no version" in unnamed.detail
    spec = CATALOGUE["QS-OUTDATED"]
    assert spec.retry is False  # a new attempt would start the same old build
    assert "61 653 12 93" in spec.todo_pl and "61 653 12 93" in spec.todo_en


# ---------------------------------------------------------------- a real session with the Linux stand-in


@pytest.fixture
def _only_our_teamviewers(monkeypatch: pytest.MonkeyPatch) -> None:
    """Another program's TeamViewer may run on a shared machine: only those started by the test count."""
    count_only_teamviewers_started_from_now(monkeypatch)


def _prepared(tmp_path: Path, version: str) -> tuple[Prepared, Artifact]:
    path, entry = build_standin_artifact(tmp_path / "www")
    data = path.read_bytes()
    art = Artifact(platform="linux-x86_64", url="http://127.0.0.1/teamviewer_qs.tar.gz", size=len(data),
                   sha256=hashlib.sha256(data).hexdigest(), version="15.0.0", kind="tar.gz", entry=entry,
                   min_version="15.0.0")
    prepared = prepare(path, art, tmp_path / "run", open_verified)
    prepared.env.update({"OVERMAX_DEMO_VERSION": version, "OVERMAX_DEMO_JOIN_AFTER": "-1",
                         "QT_QPA_PLATFORM": "offscreen"})
    return prepared, art


def _run(prepared: Prepared, art: Artifact, until: str) -> tuple[QuickSupportSession, list, list[int]]:
    session = QuickSupportSession(prepared, id_timeout_s=30, version_gate=gate_for(art))
    session.start()
    pids: list[int] = []
    events: list = []
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and until not in [e.kind for e in events]:
        pids = sorted(set(pids) | set(session.pids))
        events += session.poll()
        time.sleep(0.05)
    return session, events, pids


@pytest.mark.skipif(sys.platform == "win32", reason="the demo artifact is a POSIX tar.gz")
@pytest.mark.usefixtures("_only_our_teamviewers")
@pytest.mark.parametrize(("version", "named"), [("14.7.1965", "14.7.1965"), ("none", None)])
def test_an_old_or_unnamed_build_is_ended_and_nothing_is_left(tmp_path: Path, version: str,
                                                              named: str | None) -> None:
    prepared, art = _prepared(tmp_path, version)
    session, events, pids = _run(prepared, art, "outdated")
    assert events and events[-1].kind == "outdated", [e.kind for e in events]
    assert (events[-1].name, events[-1].verdict) == (named, "15.0.0")
    assert "version" not in [e.kind for e in events]  # the build stays inside the session
    # already down when poll() returned: every process, the unpacked folder; nothing more is reported
    assert pids and not alive_pids(pids)
    assert session.pids == [] and not prepared.root.exists() and session.stopped
    assert session.poll() == []
    session.stop()  # what Rozłącz does afterwards is a no-op


@pytest.mark.skipif(sys.platform == "win32", reason="the demo artifact is a POSIX tar.gz")
@pytest.mark.usefixtures("_only_our_teamviewers")
def test_a_new_enough_build_runs_on(tmp_path: Path) -> None:
    prepared, art = _prepared(tmp_path, "15.0.0")
    session, events, _ = _run(prepared, art, "online")
    try:
        assert "outdated" not in [e.kind for e in events] and session.pids
        assert session.qs_version == "15.0.0" and session.tv_id
    finally:
        session.stop(grace_s=0.5)
