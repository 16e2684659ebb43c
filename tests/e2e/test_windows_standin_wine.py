"""The Windows QuickSupport stand-in run under Wine from Linux: it behaves as TeamViewerQS.exe does.

Needs `wine64` (Debian's wine + wine64) and mingw-w64; skips with the reason otherwise. One Wine prefix for
the module (booted once, about 10 s), its own, so no other Wine user here is touched; after every test
`wineserver -k` ends whatever the test left in that prefix. Processes are found by their command line
(psutil's exe()/name() do not work for Wine processes) and by the prefix in their environment.
The launcher's own handling of it (Job Object, publisher check, session) is tested by the Windows suite
(tests/windows, `scripts/windows-lane.sh test`), which runs the launcher itself on Windows Python.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

from launcher.core.quicksupport.tvlog import TvLogFollower
from launcher.demo import scenario
from scripts.build_windows_standin import COMPILER, build_standin, compiler
from tests.support.polling import poll_until, wait_until

WINE64 = next((p for p in ("/usr/lib/wine/wine64", shutil.which("wine64") or "") if p and os.access(p, os.X_OK)),
              "")
WINESERVER = next((p for p in ("/usr/lib/wine/wineserver", shutil.which("wineserver") or "")
                   if p and os.access(p, os.X_OK)), "")

pytestmark = [
    pytest.mark.skipif(not (WINE64 and WINESERVER), reason="wine64 is not installed (apt-get install wine wine64)"),
    pytest.mark.skipif(compiler() is None, reason=f"{COMPILER} is not installed (scripts/system-deps.sh)"),
]

BOOT_LIMIT_S = 180.0
STATE_LIMIT_S = 30.0


class Wine:
    """A private Wine prefix and the Windows folders the stand-in uses inside it."""

    def __init__(self, root: Path) -> None:
        self.prefix = root / "prefix"
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("OVERMAX_DEMO_")}
        self.env.update(WINEPREFIX=str(self.prefix), WINEDEBUG="-all",
                        WINEDLLOVERRIDES="mscoree,mshtml=,winemenubuilder.exe=d")
        self.env.pop("DISPLAY", None)  # never a display: the stand-in must not need one

    def run(self, *args: str, env: dict[str, str] | None = None,
            timeout: float = BOOT_LIMIT_S) -> subprocess.CompletedProcess:
        # Output goes to files, not pipes: Wine hands the Unix descriptors of a process started from Linux
        # on to every Windows process it starts, so a pipe would stay open as long as TeamViewer.exe lives
        # (on Windows the stand-in's children get no standard handles at all).
        with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
            proc = subprocess.run([WINE64, *args], env={**self.env, **(env or {})}, stdin=subprocess.DEVNULL,
                                  stdout=out, stderr=err, timeout=timeout, check=False)
            out.seek(0)
            err.seek(0)
            return subprocess.CompletedProcess(proc.args, proc.returncode, out.read(), err.read())

    def kill_all(self) -> None:
        subprocess.run([WINESERVER, "-k"], env=self.env, capture_output=True, timeout=60, check=False)
        wait_until(lambda: not self.processes(), STATE_LIMIT_S)

    @property
    def user_dir(self) -> Path:
        users = [p for p in (self.prefix / "drive_c" / "users").iterdir() if p.name not in ("Public", "public")]
        return users[0]

    @property
    def unpacked(self) -> Path:
        return self.user_dir / "Temp" / "TeamViewer"  # %TEMP% under Wine is C:\users\<user>\Temp

    @property
    def log_dir(self) -> Path:
        return self.user_dir / "AppData" / "Roaming" / "TeamViewer"

    def processes(self, name: str = "") -> list[psutil.Process]:
        found = []
        for proc in psutil.process_iter():
            try:
                cmdline = " ".join(proc.cmdline())
                if name.lower() not in cmdline.lower() or "\\temp\\teamviewer\\" not in cmdline.lower():
                    continue
                if proc.environ().get("WINEPREFIX") == str(self.prefix):
                    found.append(proc)
            except (psutil.Error, OSError):
                continue
        return found


@pytest.fixture(scope="module")
def wine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Wine]:
    wine = Wine(tmp_path_factory.mktemp("wine"))
    boot = wine.run("wineboot", "-i")
    assert wine.prefix.joinpath("drive_c").is_dir(), boot.stderr.decode(errors="replace")
    # Wine's null graphics driver: windows exist (so WM_CLOSE reaches the hidden one) without any display
    wine.run("reg", "add", r"HKCU\Software\Wine\Drivers", "/v", "Graphics", "/d", "null", "/f")
    try:
        yield wine
    finally:
        wine.kill_all()


@pytest.fixture(scope="module")
def qs_exe(wine: Wine) -> Path:
    """The stand-in as the launcher would hold it: TeamViewerQS.exe in a folder of its own."""
    return build_standin(wine.prefix / "drive_c" / "qs" / "TeamViewerQS.exe")


@pytest.fixture
def fresh(wine: Wine) -> Iterator[Wine]:
    shutil.rmtree(wine.log_dir, ignore_errors=True)
    shutil.rmtree(wine.unpacked, ignore_errors=True)
    try:
        yield wine
    finally:
        wine.kill_all()


def _start(wine: Wine, exe: Path, **options: str) -> TvLogFollower:
    """Run the stand-in until TeamViewerQS.exe exits; returns a follower of the log made before the start."""
    follower = TvLogFollower([wine.log_dir], since=time.time() - 60)
    env = {"OVERMAX_DEMO_MAX_SECONDS": "300", **options}
    started = wine.run(str(exe), env=env, timeout=STATE_LIMIT_S * 4)
    assert started.returncode == 0, started.stderr.decode(errors="replace")
    return follower


def _log(wine: Wine) -> Path:
    """The log file as the stand-in names it (read it once it exists)."""
    return wine.log_dir / "TeamViewer15_Logfile.log"


def _logged(wine: Wine, text: str) -> bool:
    return _log(wine).exists() and text in _log(wine).read_text(encoding="utf-8")


def _follow(follower: TvLogFollower, until: str, limit_s: float = STATE_LIMIT_S) -> list:
    """The follower's events until one of kind `until` (or the limit)."""
    return poll_until(follower, until, limit_s)


def test_quicksupport_exits_while_teamviewer_and_its_helper_live_on(fresh: Wine, qs_exe: Path) -> None:
    follower = _start(fresh, qs_exe, OVERMAX_DEMO_ID="1660388656", OVERMAX_DEMO_JOIN_AFTER="-1")  # returned: it exited
    assert wait_until(lambda: fresh.processes("TeamViewer.exe") and fresh.processes("tv_x64.exe"), STATE_LIMIT_S)
    assert (fresh.unpacked / "TeamViewer.exe").read_bytes() == qs_exe.read_bytes()  # it unpacked itself
    assert not fresh.processes("TeamViewerQS.exe")
    events = _follow(follower, "id")
    assert [e.tv_id for e in events if e.kind == "id"] == ["1660388656"]
    assert "online" in [e.kind for e in events]


@pytest.mark.parametrize("encoding", scenario.LOG_ENCODINGS)
def test_consultant_joins_and_leaves_in_each_log_encoding(fresh: Wine, qs_exe: Path, encoding: str) -> None:
    follower = _start(fresh, qs_exe, OVERMAX_DEMO_LOG_ENCODING=encoding, OVERMAX_DEMO_JOIN_AFTER="0.5",
           OVERMAX_DEMO_LEAVE_AFTER="1.5")
    events = _follow(follower, "ended")
    kinds = [e.kind for e in events]
    assert {"id", "online", "incoming", "authenticated", "joined", "left", "ended"} <= set(kinds)
    joined = next(e for e in events if e.kind == "joined")
    assert joined.tv_id == scenario.CONSULTANT_ID
    data = _log(fresh).read_bytes()
    codec = {"utf-8": "utf-8", "utf-16le": "utf-16-le", "cp1250": "cp1250"}[encoding]
    assert data.startswith(b"\xff\xfe") == (encoding == "utf-16le")
    assert f"type=6 name={scenario.CONSULTANT_NAME}\n".encode(codec) in data
    assert "\nID:                 0\n".encode(codec) in data  # the header block real logs start with
    if encoding != "cp1250":  # the follower's reading of the ANSI code page is tvlog's business
        assert joined.name == "Łukasz Żółć"


def test_a_second_run_appends_to_the_same_log(fresh: Wine, qs_exe: Path) -> None:
    _start(fresh, qs_exe, OVERMAX_DEMO_ID="123456789", OVERMAX_DEMO_JOIN_AFTER="-1")
    assert wait_until(lambda: b"ID: 123456789 " in _log(fresh).read_bytes() if _log(fresh).exists() else False)
    fresh.kill_all()
    _start(fresh, qs_exe, OVERMAX_DEMO_ID="987654321", OVERMAX_DEMO_JOIN_AFTER="-1")
    assert wait_until(lambda: b"ID: 987654321 " in _log(fresh).read_bytes(), STATE_LIMIT_S)
    text = _log(fresh).read_text(encoding="utf-8")
    assert text.index("ID: 123456789 ") < text.index("ID: 987654321 ")
    assert text.count("Logger started.") == 2


@pytest.mark.parametrize(("scenario_name", "who"), [("impostor", scenario.IMPOSTOR_ID),
                                                     ("consultant", scenario.CONSULTANT_ID)])
def test_scenarios_choose_who_joins(fresh: Wine, qs_exe: Path, scenario_name: str, who: str) -> None:
    follower = _start(fresh, qs_exe, OVERMAX_DEMO_SCENARIO=scenario_name, OVERMAX_DEMO_JOIN_AFTER="0.3")
    joined = [e for e in _follow(follower, "joined") if e.kind == "joined"]
    assert [e.tv_id for e in joined] == [who]


def test_supporter_id_and_name_are_options(fresh: Wine, qs_exe: Path) -> None:
    follower = _start(fresh, qs_exe, OVERMAX_DEMO_SUPPORTER_ID="1112223334", OVERMAX_DEMO_SUPPORTER_NAME="Zażółć Gęślą",
           OVERMAX_DEMO_JOIN_AFTER="0.3")
    joined = next(e for e in _follow(follower, "joined") if e.kind == "joined")
    assert (joined.tv_id, joined.name) == ("1112223334", "Zażółć Gęślą")


@pytest.mark.parametrize("name", ["files", "transfer"])
def test_files_scenario_writes_file_transfer_lines(fresh: Wine, qs_exe: Path, name: str) -> None:
    _start(fresh, qs_exe, OVERMAX_DEMO_SCENARIO=name, OVERMAX_DEMO_JOIN_AFTER="0.3", OVERMAX_DEMO_LEAVE_AFTER="5")
    assert wait_until(lambda: _logged(fresh, "Send file"), STATE_LIMIT_S)
    text = _log(fresh).read_text(encoding="utf-8")
    assert "Write file C:\\users\\" in text and "\\Pobrane\\sterownik-drukarki-demo.zip" in text
    assert 'Download from "sterownik-drukarki-demo.zip" to "C:\\users\\' in text and "(10.95 MB)" in text
    assert "\\Pobrane\\raport-systemu-demo.txt" in text
    assert "InitiateDesktopSession" in text  # remote control started


@pytest.mark.parametrize(("wording", "add", "role"), [("both", True, True), ("add", True, False),
                                                      ("role", False, True)])
def test_join_wordings(fresh: Wine, qs_exe: Path, wording: str, add: bool, role: bool) -> None:
    _start(fresh, qs_exe, OVERMAX_DEMO_JOIN_WORDING=wording, OVERMAX_DEMO_JOIN_AFTER="0.3")
    assert wait_until(lambda: _logged(fresh, "InitiateDesktopSession"), STATE_LIMIT_S)
    text = _log(fresh).read_text(encoding="utf-8")
    assert (f"[{scenario.CONSULTANT_ID}," in text and "type=6 name=Łukasz Żółć" in text) is add
    assert ("participant Łukasz Żółć (ID [1987654320," in text and "was added with the role 6" in text) is role


def test_unidentified_supporter_authenticates_without_a_name(fresh: Wine, qs_exe: Path) -> None:
    _start(fresh, qs_exe, OVERMAX_DEMO_SCENARIO="unidentified", OVERMAX_DEMO_JOIN_AFTER="0.3",
           OVERMAX_DEMO_LEAVE_AFTER="0.8")
    assert wait_until(lambda: _logged(fresh, "ReceivedEndSession"), STATE_LIMIT_S)  # written after the join
    text = _log(fresh).read_text(encoding="utf-8")
    assert "authentication using dynamic password was successful" in text
    assert "type=6" not in text and "role 6" not in text


def test_slow_log_arrives_in_pieces_and_reads_whole(fresh: Wine, qs_exe: Path) -> None:
    follower = _start(fresh, qs_exe, OVERMAX_DEMO_SLOW_LOG="15", OVERMAX_DEMO_JOIN_AFTER="0.3")
    cut_seen = False
    events: list = []
    deadline = time.monotonic() + STATE_LIMIT_S * 2
    while time.monotonic() < deadline and "joined" not in [e.kind for e in events]:
        if _log(fresh).exists():
            data = _log(fresh).read_bytes()
            cut_seen = cut_seen or (bool(data) and not data.endswith(b"\n"))
        events += follower.poll()
        time.sleep(0.005)
    assert cut_seen  # a reader met half-written lines
    assert next(e for e in events if e.kind == "joined").name == scenario.CONSULTANT_NAME


def test_polite_close_ends_teamviewer_and_its_helper(fresh: Wine, qs_exe: Path) -> None:
    _start(fresh, qs_exe, OVERMAX_DEMO_JOIN_AFTER="-1", OVERMAX_DEMO_PASSWORD="zq7x9k")
    assert wait_until(lambda: fresh.processes("tv_x64.exe"), STATE_LIMIT_S)
    assert wait_until(lambda: _logged(fresh, "a window takes WM_CLOSE"), STATE_LIMIT_S)
    fresh.run("taskkill", "/im", "TeamViewer.exe")  # no /f: WM_CLOSE to its windows
    assert wait_until(lambda: not fresh.processes("TeamViewer.exe") and not fresh.processes("tv_x64.exe"),
                      STATE_LIMIT_S)
    assert "DEMO: closing (1 polite requests to close)" in _log(fresh).read_text("utf-8")
    assert b"zq7x9k" not in _log(fresh).read_bytes()  # the window shows the password; no file holds it


def test_ignore_close_survives_wm_close(fresh: Wine, qs_exe: Path) -> None:
    _start(fresh, qs_exe, OVERMAX_DEMO_IGNORE_CLOSE="1", OVERMAX_DEMO_JOIN_AFTER="-1")
    assert wait_until(lambda: _log(fresh).exists() and "(and ignores it)" in _log(fresh).read_text("utf-8"),
                      STATE_LIMIT_S)
    fresh.run("taskkill", "/im", "TeamViewer.exe")
    assert wait_until(lambda: "asked to close (1 times so far), ignoring it" in _log(fresh).read_text("utf-8"),
                      STATE_LIMIT_S)
    assert fresh.processes("TeamViewer.exe") and fresh.processes("tv_x64.exe")  # after it read the request
    fresh.run("taskkill", "/f", "/im", "TeamViewer.exe")  # only force ends it
    assert wait_until(lambda: not fresh.processes("TeamViewer.exe"), STATE_LIMIT_S)


@pytest.mark.parametrize("mode", ["job", "detach", "both"])
def test_helper_that_leaves_the_tree_outlives_teamviewer(fresh: Wine, qs_exe: Path, mode: str) -> None:
    _start(fresh, qs_exe, OVERMAX_DEMO_BREAKAWAY=mode, OVERMAX_DEMO_JOIN_AFTER="-1")
    assert wait_until(lambda: fresh.processes("tv_x64.exe --parent 0"), STATE_LIMIT_S)
    assert wait_until(lambda: not fresh.processes("--via-detached"), STATE_LIMIT_S)  # the middle one left
    fresh.run("taskkill", "/f", "/im", "TeamViewer.exe")
    assert wait_until(lambda: not fresh.processes("TeamViewer.exe"), STATE_LIMIT_S)
    helper = fresh.processes("tv_x64.exe")
    assert len(helper) == 1 and helper[0].is_running()  # it lives on: only its folder still ties it to QS


def test_default_helper_ends_with_a_killed_teamviewer(fresh: Wine, qs_exe: Path) -> None:
    _start(fresh, qs_exe, OVERMAX_DEMO_JOIN_AFTER="-1")
    assert wait_until(lambda: fresh.processes("tv_x64.exe --parent "), STATE_LIMIT_S)
    fresh.run("taskkill", "/f", "/im", "TeamViewer.exe")
    assert wait_until(lambda: not fresh.processes("TeamViewer.exe") and not fresh.processes("tv_x64.exe"),
                      STATE_LIMIT_S)


@pytest.mark.parametrize(("name", "value"), [("OVERMAX_DEMO_ID", "12ab"), ("OVERMAX_DEMO_SCENARIO", "party"),
                                             ("OVERMAX_DEMO_LOG_ENCODING", "latin-9"),
                                             ("OVERMAX_DEMO_JOIN_AFTER", "soon"), ("OVERMAX_DEMO_SLOW_LOG", "-5"),
                                             ("OVERMAX_DEMO_JOIN_WORDING", "said"),
                                             ("OVERMAX_DEMO_BREAKAWAY", "away")])
def test_bad_option_is_exit_2_with_its_name(fresh: Wine, qs_exe: Path, name: str, value: str) -> None:
    result = fresh.run(str(qs_exe), env={name: value}, timeout=STATE_LIMIT_S * 4)
    assert result.returncode == 2
    assert name.encode() in result.stderr
    assert not fresh.processes("TeamViewer.exe")


@pytest.mark.parametrize("encoding", scenario.LOG_ENCODINGS)
def test_the_header_names_the_build_it_is_told_in_each_log_encoding(fresh: Wine, qs_exe: Path, encoding: str) -> None:
    """OVERMAX_DEMO_VERSION: the build the launcher's version gate reads from the header (an old one here)."""
    follower = _start(fresh, qs_exe, OVERMAX_DEMO_VERSION="14.7.1965", OVERMAX_DEMO_LOG_ENCODING=encoding,
                      OVERMAX_DEMO_JOIN_AFTER="-1")
    events = _follow(follower, "id")
    assert [(e.kind, e.name) for e in events if e.kind == "version"] == [("version", "14.7.1965")]
    kinds = [e.kind for e in events]
    assert kinds.index("version") < kinds.index("id")  # named before the ID, as the real header is


def test_a_header_without_a_version_and_a_bad_version_option(fresh: Wine, qs_exe: Path) -> None:
    follower = _start(fresh, qs_exe, OVERMAX_DEMO_VERSION="none", OVERMAX_DEMO_JOIN_AFTER="-1")
    events = _follow(follower, "id")
    assert "version" not in [e.kind for e in events] and "id" in [e.kind for e in events]
    assert "\nID:                 0\n" in _log(fresh).read_text(encoding="utf-8")  # the header is still there
    fresh.kill_all()
    refused = fresh.run(str(qs_exe), env={"OVERMAX_DEMO_VERSION": "15.0.0-old"}, timeout=STATE_LIMIT_S * 4)
    assert refused.returncode == 2 and b"OVERMAX_DEMO_VERSION" in refused.stderr
