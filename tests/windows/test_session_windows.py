"""The whole core session on Windows Python with the signed PE stand-in of QuickSupport: signed manifest
from a loopback server, download, sha256, WinVerifyTrust and the signer, start, the ID from the Windows log
folder, the consultant joining and leaving, the end with nothing left; and the ways it can go wrong.

The stand-in (launcher/demo/windows/standin.c) plays TeamViewerQS.exe: it copies itself to
%TMP%\\TeamViewer\\TeamViewer.exe, starts that and exits; TeamViewer.exe starts tv_x64.exe and writes its
log to %APPDATA%\\TeamViewer. The launcher gives it a TMP and TEMP of its own inside the folder it made for it
(launch.PRIVATE_TEMP), so it runs from there, never from the user's %TEMP%. %TEMP%, %APPDATA% and the data
folder here have Polish letters and spaces.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import psutil
import pytest

from launcher.core.download import open_verified
from launcher.core.errors import LauncherError
from launcher.core.fetch import fetch_quicksupport
from launcher.core.paths import app_paths
from launcher.core.quicksupport.launch import prepare
from launcher.core.quicksupport.process import process_info
from launcher.core.quicksupport.session import QuickSupportSession
from launcher.demo import scenario
from tests.support.loopback_http import LoopbackServer
from tests.support.polling import poll_until, wait_until
from tests.windows.served import serve_exe
from tests.windows.standin_session import DEMO_OPTIONS, answer_q_after, set_customer_home

OWN_ID = DEMO_OPTIONS["OVERMAX_DEMO_ID"]
CONSULTANT = (scenario.CONSULTANT_ID, "Łukasz Żółć")  # the Windows stand-in's default consultant
CHILDREN = Path(__file__).resolve().parent / "children.py"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """Polish %TEMP% and %APPDATA% (inherited by QuickSupport), the stand-in's options; whatever of the
    stand-in is left after the test is killed (and the test has failed by then)."""
    base = tmp_path / "Użytkownik Łódź"
    folders = {"TEMP": base / "Temp ćma", "APPDATA": base / "AppData" / "Roaming ś",
               "LOCALAPPDATA": base / "AppData" / "Local ń"}
    set_customer_home(monkeypatch, folders)
    folders["data"] = tmp_path / "dane ż"
    yield folders
    for proc in standin_processes(folders["data"], folders["TEMP"]):
        proc.kill()


def standin_processes(*folders: Path) -> list[psutil.Process]:
    """Alive processes whose program lies anywhere under one of `folders` (read from the command line: see
    process_info) or is a TeamViewerQS.exe. Tests pass the data folder (QuickSupport unpacks itself into its
    own folder there) and the user's %TEMP% (where nothing of ours may run)."""
    found = []
    inside = tuple(os.path.normcase(str(folder)).rstrip("\\") + "\\" for folder in folders)
    for proc in psutil.process_iter():
        cmdline = process_info(proc, ("cmdline",))["cmdline"] or []
        first = os.path.normcase(str(cmdline[0])) if cmdline else ""
        if first.startswith(inside) or first.endswith("teamviewerqs.exe"):
            found.append(proc)
    return found


def qs_processes(home: dict[str, Path]) -> list[psutil.Process]:
    """The stand-in's processes of a test with the `home` fixture: in its data folder or the user's %TEMP%."""
    return standin_processes(home["data"], home["TEMP"])


def private_temp(session: QuickSupportSession) -> Path:
    """Where QuickSupport unpacks itself: its own temporary folder inside the folder the launcher made for it."""
    temp = session.prepared.temp_dir
    assert temp is not None and temp.parent == session.prepared.root
    return temp


@pytest.fixture
def server():
    with LoopbackServer() as srv:
        yield srv


def fetch(server, standin_dir: Path, home: dict[str, Path], name: str = "TeamViewerQS.exe"):
    served = serve_exe(server, (standin_dir / name).read_bytes(), home["data"])
    config = served.config()
    paths = app_paths(config.paths.data_dir).ensure()
    return fetch_quicksupport(config, paths), paths


def start(server, standin_dir, home) -> QuickSupportSession:
    verified, paths = fetch(server, standin_dir, home)
    prepared = prepare(verified.path, verified.artifact, paths.runtime, open_verified)
    session = QuickSupportSession(prepared, id_timeout_s=60)
    session.start()
    return session


def events_until(session: QuickSupportSession, kind: str, limit_s: float = 30.0) -> list:
    return poll_until(session, kind, limit_s)


def stop_and_check_nothing_left(session: QuickSupportSession, home: dict[str, Path]) -> None:
    session.stop()
    assert session.pids == []
    assert qs_processes(home) == []
    assert not session.prepared.root.exists() and not Path(f"{session.prepared.root}.lock").exists()
    assert list(home["TEMP"].iterdir()) == []  # nothing of QuickSupport was ever unpacked into the user's Temp


def test_the_whole_session_from_download_to_nothing_left(server, standin_dir, home):
    session = start(server, standin_dir, home)
    try:
        events = events_until(session, "left")
        kinds = [e.kind for e in events]
        assert {"id", "online", "joined", "left"} <= set(kinds), kinds
        assert kinds.index("id") < kinds.index("joined") < kinds.index("left"), kinds
        assert session.tv_id == OWN_ID
        joined = next(e for e in events if e.kind == "joined")
        assert (joined.tv_id, joined.name) == CONSULTANT
        assert session.supporter is None  # left again
        assert "exited" not in kinds  # TeamViewerQS.exe exits on purpose; TeamViewer.exe lives on
        log = home["APPDATA"] / "TeamViewer" / "TeamViewer15_Logfile.log"
        assert log.is_file()
    finally:
        stop_and_check_nothing_left(session, home)


def program_names(procs: list[psutil.Process]) -> list[str]:
    return sorted(Path(str((process_info(p, ("cmdline",))["cmdline"] or [""])[0])).name for p in procs)


def test_quicksupport_hands_over_to_teamviewer_exe_inside_the_job(server, standin_dir, home):
    from tests.windows.winapi import in_job

    session = start(server, standin_dir, home)
    try:
        job = session._proc.job_handle  # noqa: SLF001 - the job is what is under test
        assert wait_until(lambda: session._proc.poll() is not None, 30)  # noqa: SLF001 - TeamViewerQS.exe exited
        assert wait_until(lambda: program_names(qs_processes(home)) == ["TeamViewer.exe", "tv_x64.exe"],
                          30)
        members = qs_processes(home)
        assert all(in_job(p.pid, job) for p in members)
        programs = {Path(str((process_info(p, ("cmdline",))["cmdline"] or [""])[0])).parent for p in members}
        assert programs == {private_temp(session) / "TeamViewer"}  # unpacked into its own folder, run from there
        assert wait_until(lambda: {p.pid for p in qs_processes(home)} <= set(session.pids))
        assert [e.kind for e in session.poll()].count("exited") == 0
    finally:
        stop_and_check_nothing_left(session, home)


@pytest.mark.parametrize("name", ["TeamViewerQS-tampered.exe", "TeamViewerQS-unsigned.exe",
                                  "TeamViewerQS-other-signer.exe"])
def test_a_standin_that_fails_the_publisher_check_is_deleted_and_never_runs(server, standin_dir, home, name):
    with pytest.raises(LauncherError) as info:
        fetch(server, standin_dir, home, name)
    assert info.value.code == "DL-PUBLISHER"
    assert not list((home["data"] / "cache").glob("*.exe"))
    assert not (home["TEMP"] / "TeamViewer").exists()
    assert qs_processes(home) == []


def test_a_standin_that_ignores_requests_to_close_is_ended_all_the_same(server, standin_dir, home, monkeypatch):
    monkeypatch.setenv("OVERMAX_DEMO_IGNORE_CLOSE", "1")
    session = start(server, standin_dir, home)
    events_until(session, "id")
    assert wait_until(lambda: len(qs_processes(home)) >= 2, 30)
    stop_and_check_nothing_left(session, home)


@pytest.mark.parametrize("mode", ["job", "detach", "both"])
def test_a_helper_that_tries_to_leave_the_tree_is_ended_with_it(server, standin_dir, home, monkeypatch, mode):
    """`job`: Windows refuses the breakaway (the launcher's job does not allow it), the helper starts inside;
    `detach`: its parent exits, it stays in the job; `both`: the two together. Every case: nothing left."""
    from tests.windows.winapi import in_job

    monkeypatch.setenv("OVERMAX_DEMO_BREAKAWAY", mode)
    session = start(server, standin_dir, home)
    try:
        events_until(session, "id")
        job = session._proc.job_handle  # noqa: SLF001
        assert wait_until(lambda: "tv_x64.exe" in program_names(qs_processes(home)), 30)
        assert all(in_job(p.pid, job) for p in qs_processes(home))
        if mode in ("job", "both"):
            log = (home["APPDATA"] / "TeamViewer" / "TeamViewer15_Logfile.log").read_bytes().decode("utf-8")
            assert "CREATE_BREAKAWAY_FROM_JOB refused" in log
    finally:
        stop_and_check_nothing_left(session, home)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16le", "cp1250"])
def test_the_consultants_name_comes_out_right_from_a_slowly_written_log(server, standin_dir, home, monkeypatch,
                                                                         encoding):
    monkeypatch.setenv("OVERMAX_DEMO_LOG_ENCODING", encoding)
    monkeypatch.setenv("OVERMAX_DEMO_SLOW_LOG", "3")
    session = start(server, standin_dir, home)
    try:
        joined = next(e for e in events_until(session, "joined") if e.kind == "joined")
        assert (joined.tv_id, joined.name) == CONSULTANT
    finally:
        stop_and_check_nothing_left(session, home)


def test_a_teamviewer_already_running_is_qs_already(server, standin_dir, home, tmp_path):
    other = tmp_path / "Program Files" / "TeamViewer"
    other.mkdir(parents=True)
    exe = other / "TeamViewer.exe"
    exe.write_bytes((standin_dir / "TeamViewerQS-unsigned.exe").read_bytes())
    running = subprocess.Popen([str(exe)], env=dict(os.environ, OVERMAX_DEMO_MAX_SECONDS="60"))
    try:
        assert wait_until(lambda: running.poll() is None and psutil.pid_exists(running.pid))
        with pytest.raises(LauncherError) as info:
            start(server, standin_dir, home)
        assert info.value.code == "QS-ALREADY"
        assert "TeamViewer.exe" in info.value.detail
        assert qs_processes(home) == []
    finally:
        for proc in [psutil.Process(running.pid), *psutil.Process(running.pid).children(recursive=True)]:
            proc.kill()


def test_the_launcher_killed_outright_mid_session_leaves_nothing(server, standin_dir, home, tmp_path):
    served = serve_exe(server, (standin_dir / "TeamViewerQS.exe").read_bytes(), home["data"])
    config = served.config_file(tmp_path / "config.toml")
    report = tmp_path / "session.json"
    launcher = subprocess.Popen([sys.executable, str(CHILDREN), "session", "--config", str(config),
                                 "--report", str(report)], stdin=subprocess.DEVNULL)
    try:
        assert wait_until(lambda: report.is_file(), 60)
        assert json.loads(report.read_text())["tv_id"] == OWN_ID
        assert len(qs_processes(home)) >= 2
    finally:
        launcher.kill()  # TerminateProcess: none of the launcher's own cleanup runs
        launcher.wait()
    assert wait_until(lambda: qs_processes(home) == [], 20)
    # the unpacked copy is what the killed launcher could not delete; the next session's start does
    runtime = home["data"] / "run"
    (left,) = [path for path in runtime.glob("qs-*") if path.is_dir()]
    proc = run_session_command(config, "--for", "1", "--no-input")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert not left.exists() and list(runtime.iterdir()) == []


@pytest.mark.wine_gap("psutil's exe() raises (NtQuerySystemInformation): the folder net sees only command lines")
def test_the_folder_net_reads_each_programs_own_path(server, standin_dir, home):
    session = start(server, standin_dir, home)
    try:
        assert wait_until(lambda: len(qs_processes(home)) >= 2, 30)
        for proc in qs_processes(home):
            assert Path(proc.exe()).parent == private_temp(session) / "TeamViewer"
    finally:
        stop_and_check_nothing_left(session, home)


def run_session_command(served_config: Path, *args: str, stdin_text: str | None = None,
                        limit_s: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "launcher", "--lang", "en", "session", "--config",
                           str(served_config), *args], input=stdin_text,
                          stdin=None if stdin_text is not None else subprocess.DEVNULL, capture_output=True,
                          text=True, encoding="utf-8", cwd=Path(__file__).resolve().parents[2],
                          env=dict(os.environ, PYTHONUTF8="1"), timeout=limit_s)


def check_session_lines(out: str) -> list[str]:
    lines = out.splitlines()
    assert lines[0].startswith("CHECK OK"), lines
    assert any(x.startswith("VERIFIED 15.99.0 sha256=") for x in lines), lines
    assert "ID 1 660 388 656" in lines and "ONLINE" in lines, lines
    assert f"JOINED {CONSULTANT[0]} {CONSULTANT[1]}" in lines, lines
    assert lines.index("STARTED") < lines.index("ID 1 660 388 656")
    assert lines[-1].startswith("STOPPED "), lines
    return lines


def test_the_session_command_runs_for_so_long_then_leaves_nothing(server, standin_dir, home, tmp_path):
    served = serve_exe(server, (standin_dir / "TeamViewerQS.exe").read_bytes(), home["data"])
    proc = run_session_command(served.config_file(tmp_path / "config.toml"), "--for", "4", "--no-input")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    lines = check_session_lines(proc.stdout)
    assert "LEFT" in lines and "STOPPING for" in lines
    assert qs_processes(home) == []


def test_the_session_command_ends_on_q_and_leaves_nothing(server, standin_dir, home, tmp_path, monkeypatch):
    monkeypatch.setenv("OVERMAX_DEMO_LEAVE_AFTER", "-1")  # the consultant stays: q ends it
    served = serve_exe(server, (standin_dir / "TeamViewerQS.exe").read_bytes(), home["data"])
    config = served.config_file(tmp_path / "config.toml")
    proc = subprocess.Popen([sys.executable, "-m", "launcher", "--lang", "en", "session", "--config", str(config)],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            encoding="utf-8", cwd=Path(__file__).resolve().parents[2],
                            env=dict(os.environ, PYTHONUTF8="1"))
    lines, out, err = answer_q_after(proc, lambda line: line.startswith("JOINED "))
    assert proc.returncode == 0, "\n".join(lines) + out + err
    all_lines = check_session_lines("\n".join(lines) + "\n" + out)
    assert "STOPPING q" in all_lines
    assert qs_processes(home) == []


# ---------------------------------------------------------------- the manifest's min_version (version_gate)

MIN_VERSION = "15.0.0"


def start_with_min_version(server, standin_dir, home) -> QuickSupportSession:
    """The production start (start_session) of the signed stand-in under a manifest with a min_version."""
    from launcher.core.quicksupport.session import start_session

    served = serve_exe(server, (standin_dir / "TeamViewerQS.exe").read_bytes(), home["data"],
                       min_version=MIN_VERSION)
    config = served.config()
    paths = app_paths(config.paths.data_dir).ensure()
    verified = fetch_quicksupport(config, paths)
    return start_session(verified, paths.runtime, config.quicksupport)


@pytest.mark.parametrize(("version", "encoding"), [("14.7.1965", "utf-16le"), ("14.7.1965", "cp1250"),
                                                   ("none", "utf-8")])
def test_an_old_or_unnamed_build_is_ended_at_once_with_nothing_left(server, standin_dir, home, monkeypatch,
                                                                    version, encoding):
    from launcher.core.quicksupport.session import event_failure

    monkeypatch.setenv("OVERMAX_DEMO_VERSION", version)
    monkeypatch.setenv("OVERMAX_DEMO_LOG_ENCODING", encoding)
    monkeypatch.setenv("OVERMAX_DEMO_JOIN_AFTER", "-1")
    session = start_with_min_version(server, standin_dir, home)
    try:
        events = events_until(session, "outdated", 60)
        assert events and events[-1].kind == "outdated", [e.kind for e in events]
        assert events[-1].name == (None if version == "none" else version)
        failure = event_failure(events[-1])
        assert failure is not None and failure.code == "QS-OUTDATED" and not failure.spec.retry
        # already down when poll() returned, as after Rozłącz: the Job Object's tree, the unpacked folder
        assert session.stopped and session.pids == []
        assert wait_until(lambda: qs_processes(home) == [], 10)
        assert not session.prepared.root.exists() and not Path(f"{session.prepared.root}.lock").exists()
    finally:
        stop_and_check_nothing_left(session, home)


def test_a_new_enough_build_runs_under_a_min_version(server, standin_dir, home, monkeypatch):
    monkeypatch.setenv("OVERMAX_DEMO_VERSION", "15.61.3")
    monkeypatch.setenv("OVERMAX_DEMO_JOIN_AFTER", "-1")
    session = start_with_min_version(server, standin_dir, home)
    try:
        events = events_until(session, "online")
        assert "outdated" not in [e.kind for e in events]
        assert session.qs_version == "15.61.3" and session.tv_id == OWN_ID
    finally:
        stop_and_check_nothing_left(session, home)


# A console of its own for the session command, as a consultant's cmd.exe window is: the driver starts the
# session in a process group of its own there, waits for the ID and sends Ctrl+Break to that group.
_CTRL_BREAK_DRIVER = """
import json, os, signal, subprocess, sys
config, out = sys.argv[1], sys.argv[2]
proc = subprocess.Popen([sys.executable, "-m", "launcher", "--lang", "en", "session", "--config", config,
                         "--no-input"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                        encoding="utf-8", creationflags=subprocess.CREATE_NEW_PROCESS_GROUP)
lines, error = [], ""
for line in proc.stdout:
    lines.append(line.rstrip("\\n"))
    if line.startswith("ID "):
        break
try:
    os.kill(proc.pid, signal.CTRL_BREAK_EVENT)
except Exception as exc:  # Wine: GenerateConsoleCtrlEvent fails
    error = repr(exc)
    proc.kill()
rest = proc.communicate(timeout=120)[0]
with open(out, "w", encoding="utf-8") as fh:
    json.dump({"lines": lines + rest.splitlines(), "rc": proc.returncode, "error": error}, fh)
"""


@pytest.mark.wine_gap("console control events cannot be sent (GenerateConsoleCtrlEvent fails with "
                      "ERROR_INVALID_ACCESS, also in a console of its own)")
def test_ctrl_break_in_the_consultants_console_ends_the_session_with_nothing_left(server, standin_dir, home,
                                                                                  tmp_path, monkeypatch):
    monkeypatch.setenv("OVERMAX_DEMO_LEAVE_AFTER", "-1")  # the consultant stays: Ctrl+Break ends it
    served = serve_exe(server, (standin_dir / "TeamViewerQS.exe").read_bytes(), home["data"])
    config, out = served.config_file(tmp_path / "config.toml"), tmp_path / "result.json"
    driver = subprocess.run([sys.executable, "-c", _CTRL_BREAK_DRIVER, str(config), str(out)],
                            cwd=Path(__file__).resolve().parents[2], creationflags=subprocess.CREATE_NEW_CONSOLE,
                            env=dict(os.environ, PYTHONUTF8="1"), timeout=300)
    assert driver.returncode == 0
    result = json.loads(out.read_text(encoding="utf-8"))
    assert qs_processes(home) == []  # however it ended
    assert result["error"] == "", result
    assert result["rc"] == 0, result
    assert "STOPPING sigbreak" in result["lines"] and result["lines"][-1].startswith("STOPPED "), result
