"""`python -m launcher session` as a real process against the loopback demo server and the real stand-in:
every way of ending it, its errors, nothing left after, and never the password in its output or log."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from launcher.demo.session import demo_overrides
from tests.support.cli_session import CliSession
from tests.support.demo_config import write_config
from tests.support.loopback_http import LoopbackServer, Reply
from tests.support.polling import wait_until
from tests.support.processes import processes_mentioning

pytestmark = [pytest.mark.e2e,
              pytest.mark.skipif(not sys.platform.startswith("linux"), reason="POSIX signals, Linux demo stand-in")]

REPO = Path(__file__).resolve().parents[2]
PASSWORD = "zq7wk3xv"  # planted through OVERMAX_DEMO_PASSWORD: must never appear anywhere we can read
LIMIT_S = 60.0


class SessionProcess(CliSession):
    """The launcher's `session` command with the planted password; `finish` ends its input first."""

    def __init__(self, *args: str, tmp_path: Path, env: dict | None = None, **kwargs) -> None:
        super().__init__(*args, cwd=tmp_path, env={"OVERMAX_DEMO_PASSWORD": PASSWORD, **(env or {})}, **kwargs)

    def finish(self, timeout: float = LIMIT_S, *, close_input: bool = True) -> tuple[int, str, str]:
        return super().finish(timeout, close_input=close_input)


@pytest.fixture
def run(tmp_path):
    started: list[SessionProcess] = []

    def start(*args: str, **kwargs) -> SessionProcess:
        session = SessionProcess(*args, tmp_path=tmp_path, **kwargs)
        started.append(session)
        return session

    yield start
    for session in started:
        session.kill()


def assert_nothing_left(tmp_path: Path, out: str, err: str) -> None:
    runtime = tmp_path / "data" / "run"
    assert wait_until(lambda: processes_mentioning(str(tmp_path)) == [], 5), processes_mentioning(str(tmp_path))
    assert not runtime.exists() or list(runtime.iterdir()) == []
    assert "STOPPED QuickSupport zakończony" in out, out + err
    assert_no_password(tmp_path, out, err)


def assert_no_password(tmp_path: Path, out: str, err: str) -> None:
    assert PASSWORD not in out and PASSWORD not in err
    for path in tmp_path.rglob("*"):
        if path.is_file() and path.suffix in (".log", ".jsonl", ".json", ".txt", ""):
            assert PASSWORD.encode() not in path.read_bytes(), path


def test_q_ends_a_whole_session_with_every_event_on_its_own_line(run, config_file, tmp_path):
    session = run("--config", str(config_file))
    line = session.wait_for("ID ")
    groups = line.removeprefix("ID ").split(" ")  # grouped in threes from the right, as TeamViewer shows it
    assert all(g.isdigit() for g in groups) and 9 <= len("".join(groups)) <= 10
    assert 1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])
    assert session.wait_for("ONLINE") == "ONLINE"
    joined = session.wait_for("JOINED ").split(" ")
    assert joined[1].isdigit() and len(joined) >= 3  # JOINED <tv id> <name>
    assert session.wait_for("LEFT") == "LEFT"
    password = session.wait_for("PASSWORD ")  # offscreen, no accessibility bus: it says where to read it
    assert password in ("PASSWORD READ",) or password.startswith("PASSWORD UNREADABLE ")
    session.proc.stdin.write("q\n")
    session.proc.stdin.flush()
    code, out, err = session.finish()
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].startswith("CHECK OK") and any(x.startswith("VERIFIED 15.0.0+demo sha256=") for x in lines)
    assert lines.index("STARTED") < lines.index(line) < lines.index("STOPPING q") < len(lines) - 1
    assert lines[-1].startswith("STOPPED ")
    assert err == ""
    assert_nothing_left(tmp_path, out, err)


@pytest.mark.parametrize("how", ["eof", "sigterm", "sigint", "sighup", "terminal-ctrl-c"])
def test_end_of_input_signals_and_ctrl_c_end_quicksupport_first(run, config_file, tmp_path, how):
    session = run("--config", str(config_file), own_group=how == "terminal-ctrl-c")
    session.wait_for("ID ")
    if how == "eof":
        session.proc.stdin.close()
    elif how == "terminal-ctrl-c":  # a terminal sends SIGINT to its whole foreground process group
        os.killpg(session.proc.pid, signal.SIGINT)
    else:
        session.proc.send_signal({"sigterm": signal.SIGTERM, "sigint": signal.SIGINT, "sighup": signal.SIGHUP}[how])
    code, out, err = session.finish(close_input=False)  # input stays open: the signal alone ends it
    assert code == 0, err
    assert f"STOPPING {'sigint' if how == 'terminal-ctrl-c' else how}" in out.splitlines()
    assert_nothing_left(tmp_path, out, err)


def test_when_nobody_reads_the_output_any_more_the_session_ends(run, config_file, tmp_path):
    session = SessionProcess("--config", str(config_file), tmp_path=tmp_path, collect=False)  # read here
    piped = session.proc.stdout
    try:
        seen = []
        while not (seen and seen[-1].startswith("ID ")):
            line = piped.readline()
            assert line, f"ended before an ID: {seen}"
            seen.append(line)
        piped.close()  # `session | head`: the reader went away; ONLINE, JOINED, ... now go nowhere
        code = session.proc.wait(timeout=LIMIT_S)
        err = session.proc.stderr.read()
        assert code == 0, err
        assert "Traceback" not in err and "BrokenPipe" not in err
        assert wait_until(lambda: processes_mentioning(str(tmp_path)) == [], 5)
        runtime = tmp_path / "data" / "run"
        assert not runtime.exists() or list(runtime.iterdir()) == []
        assert PASSWORD not in "".join(seen) + err
    finally:
        session.kill()


def test_for_ends_it_after_so_many_seconds_without_reading_input(run, config_file, tmp_path):
    session = run("--config", str(config_file), "--for", "2", "--no-input", stdin=subprocess.DEVNULL)
    code, out, err = session.finish()
    assert code == 0, err
    lines = out.splitlines()
    assert lines.index("STARTED") < lines.index("STOPPING for")  # counted from QuickSupport's start
    assert_nothing_left(tmp_path, out, err)


def test_a_stop_before_quicksupport_started_leaves_nothing_either(run, config_file, tmp_path):
    session = run("--config", str(config_file))
    session.wait_for("CHECK ")
    session.proc.send_signal(signal.SIGTERM)  # during the check, the download or the start: all must end clean
    code, out, err = session.finish(close_input=False)
    assert code == 0, err
    assert "STOPPING sigterm" in out.splitlines() and out.splitlines()[-1].startswith("STOPPED ")
    assert wait_until(lambda: processes_mentioning(str(tmp_path)) == [], 5)
    assert_no_password(tmp_path, out, err)


def test_quicksupport_gone_by_itself_is_an_error_with_a_code(run, config_file, tmp_path):
    session = run("--config", str(config_file))
    session.wait_for("ID ")
    for proc in processes_mentioning(str(tmp_path / "data" / "run")):
        proc.kill()
    code, out, err = session.finish(close_input=False)
    assert code == 1
    assert err.startswith("ERROR QS-EXITED: ")
    assert out.splitlines()[-1].startswith("STOPPED ")
    assert_no_password(tmp_path, out, err)


def test_no_network_fails_the_check_with_its_code(run, tmp_path, server):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        closed = s.getsockname()[1]
    overrides = demo_overrides(server, tmp_path / "data")
    overrides["connectivity"]["probes"] = [
        {"name": "download", "url": f"http://127.0.0.1:{closed}/quicksupport.json"},
        {"name": "teamviewer", "host": "127.0.0.1", "ports": [closed]},
    ]
    overrides["connectivity"]["timeout_s"] = 1
    session = run("--config", str(write_config(tmp_path / "c.toml", overrides)))
    code, out, err = session.finish(close_input=False)  # its input's end during the check would be a stop
    assert code == 1
    assert err.startswith("ERROR NET-") and "Kliknij" not in err
    assert "FAIL" in out and "STARTED" not in out


def test_a_failed_check_does_not_wait_for_the_manifest_fetched_beside_it(run, tmp_path, server):
    with socket.socket() as silent, socket.socket() as nobody:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)  # takes the connection, never answers: the manifest would wait for its read timeout
        nobody.bind(("127.0.0.1", 0))  # a port nobody listens on: the check fails at once
        overrides = demo_overrides(server, tmp_path / "data")
        overrides["manifest"]["url"] = f"http://127.0.0.1:{silent.getsockname()[1]}/quicksupport.json"
        overrides["connectivity"]["probes"] = [
            {"name": "teamviewer", "host": "127.0.0.1", "ports": [nobody.getsockname()[1]]}]
        overrides["connectivity"]["timeout_s"] = 1
        session = run("--config", str(write_config(tmp_path / "c.toml", overrides)))
        code, out, err = session.finish(timeout=15, close_input=False)  # before its 20 s read timeout
    assert code == 1 and err.startswith("ERROR NET-TV-BLOCKED")
    assert "VERIFIED" not in out and "STARTED" not in out


@pytest.mark.parametrize(("text", "code"), [
    ("[manifest]\nno_such_key = 1\n", "CFG-INVALID"),
    ('[manifest]\nurl = "http://example.com/q.json"\n', "CFG-INVALID"),
    (None, "CFG-NOT-FOUND"),
])
def test_a_bad_config_fails_with_its_code_before_anything_runs(run, tmp_path, text, code):
    path = tmp_path / "bad.toml"
    if text is not None:
        path.write_text(text, encoding="utf-8")
    exit_code, out, err = run("--config", str(path)).finish()
    assert exit_code == 1
    assert err.startswith(f"ERROR {code}: ")
    assert out == ""


@pytest.mark.parametrize("args", [["--for", "0"], ["--for", "soon"], ["--no-such-option"]])
def test_usage_errors_exit_2(run, args):
    exit_code, out, err = run(*args).finish()
    assert exit_code == 2 and out == "" and "usage:" in err


def test_demo_runs_its_own_server_and_leaves_no_demo_folder(run, tmp_path):
    session = run("--demo")
    session.wait_for("ID ")
    session.proc.stdin.write("q\n")
    session.proc.stdin.flush()
    code, out, err = session.finish(close_input=False)
    assert code == 0, err
    assert "STOPPING q" in out.splitlines()
    assert out.splitlines()[-1].startswith("STOPPED ")
    assert wait_until(lambda: processes_mentioning(str(tmp_path)) == [], 5)
    assert list(tmp_path.glob("overmax-demo-*")) == []
    assert PASSWORD not in out and PASSWORD not in err


def test_english_sentences_with_lang_en(run, config_file, tmp_path):
    session = run("--config", str(config_file), "--lang", "en", "--for", "2", "--no-input",
                  stdin=subprocess.DEVNULL)
    code, out, err = session.finish()
    assert code == 0, err
    assert out.splitlines()[-1] == ("STOPPED QuickSupport ended, nothing of it is left running; "
                                    "the consultant cannot reconnect.")
    assert "Checking" in out or "DNS" in out  # the check's labels in English


def test_a_demo_killed_outright_leaves_a_folder_that_the_next_demo_removes(run, tmp_path):
    session = run("--demo")
    session.wait_for("ID ")
    (folder,) = [path for path in tmp_path.glob("overmax-demo-*") if path.is_dir()]
    assert Path(f"{folder}.lock").is_file() and (folder / "data" / "logs").is_dir()
    session.proc.kill()  # SIGKILL: nothing of the launcher runs after this
    session.proc.wait()
    # the watchdog ends QuickSupport; the folder (log, cache, consent record) is what stays behind
    assert wait_until(lambda: processes_mentioning(str(folder)) == [], 15), processes_mentioning(str(folder))
    assert folder.is_dir()
    nearby = tmp_path / "overmax-demo-not-a-folder"
    nearby.write_text("left alone")
    doctor = subprocess.run([sys.executable, "-m", "launcher", "doctor", "--demo"], capture_output=True, text=True,
                            env=session.env, cwd=tmp_path, timeout=LIMIT_S)
    assert doctor.returncode == 0, doctor.stderr
    assert not folder.exists()
    assert list(tmp_path.glob("overmax-demo-*")) == [nearby] and nearby.read_text() == "left alone"


def test_a_launcher_killed_outright_leaves_its_unpacked_quicksupport_until_the_next_session(run, config_file,
                                                                                          tmp_path):
    session = run("--config", str(config_file))
    session.wait_for("ID ")
    runtime = tmp_path / "data" / "run"
    (left,) = [path for path in runtime.glob("qs-*") if path.is_dir()]
    session.proc.kill()  # SIGKILL (Task Manager, a crash): nothing of the launcher runs after this
    session.proc.wait()
    # the watchdog ends QuickSupport; the unpacked copy, its TeamViewer log of who connected, is what stays
    assert wait_until(lambda: processes_mentioning(str(tmp_path)) == [], 15), processes_mentioning(str(tmp_path))
    assert (left / "teamviewerqs").is_dir()
    second = run("--config", str(config_file))
    second.wait_for("ID ")
    assert not left.exists() and not Path(f"{left}.lock").exists()  # swept before the new one was unpacked
    code, out, err = second.finish()
    assert code == 0, err
    assert_nothing_left(tmp_path, out, err)


def test_a_manifest_that_fails_after_the_check_passed_is_said_not_fetched_again(run, tmp_path, server):
    passed = threading.Event()
    with LoopbackServer() as manifests:
        # answers once the check has passed: its failure is the download step's own, said at once
        manifests.serve("/quicksupport.json", b"", Reply(status=404, hold=passed), Reply(status=404))
        overrides = demo_overrides(server, tmp_path / "data")
        overrides["manifest"]["url"] = manifests.url("/quicksupport.json")
        session = run("--config", str(write_config(tmp_path / "c.toml", overrides)))
        try:
            session.wait_for("CHECK ")  # its lines are said once the whole check is done
            passed.set()
            code, out, err = session.finish(close_input=False)  # its input's end would be a stop
        finally:
            passed.set()
        assert code == 1 and err.startswith("ERROR NET-HTTP"), out + err
        assert len(manifests.hits("/quicksupport.json")) == 1
        assert "VERIFIED" not in out and "STARTED" not in out


def test_a_stop_during_a_check_that_then_fails_is_said_as_a_stop(tmp_path, server, capfd):
    # in this process, so that the stop comes strictly before the check's end: one probe answers only once
    # the stop is set, the other has already failed
    from launcher.cli.session import StopRequest, run_session
    from launcher.config import load_config
    from launcher.core.paths import app_paths

    stop, stopped = StopRequest(), threading.Event()
    with LoopbackServer() as held, socket.socket() as nobody:
        nobody.bind(("127.0.0.1", 0))  # a port nobody listens on: that probe fails at once
        held.serve("/probe", b"", Reply(hold=stopped))
        overrides = demo_overrides(server, tmp_path / "data")
        overrides["connectivity"]["probes"] = [
            {"name": "download", "url": held.url("/probe")},
            {"name": "teamviewer", "host": "127.0.0.1", "ports": [nobody.getsockname()[1]]}]

        def stop_while_checking() -> None:
            if wait_until(lambda: bool(held.hits("/probe")), LIMIT_S):
                stop.set("sigterm")  # as the signal handler does
            stopped.set()

        stopper = threading.Thread(target=stop_while_checking)
        stopper.start()
        try:
            code = run_session(load_config(overrides=overrides), app_paths(str(tmp_path / "data")).ensure(), "pl",
                               read_input=False, stop=stop)
        finally:
            stopped.set()
            stopper.join()
    out, err = capfd.readouterr()
    assert code == 0 and "STOPPING sigterm" in out.splitlines(), out + err
    assert out.splitlines()[-1].startswith("STOPPED ") and "ERROR" not in err


def stopped_while_held(session: SessionProcess, held: Callable[[], object],
                       released: threading.Event) -> tuple[int, str, str]:
    """SIGTERM to `session` once `held()` is true (a loopback server has taken the request it holds back
    until `released`), then the command's (exit code, stdout, stderr), which must come well before that
    request's own timeout. `released` is set afterwards, whatever happened."""
    try:
        assert wait_until(lambda: bool(held()), LIMIT_S), session.stderr()
        session.proc.send_signal(signal.SIGTERM)
        return session.finish(timeout=15, close_input=False)
    finally:
        released.set()


def assert_stopped_before_quicksupport(tmp_path: Path, code: int, out: str, err: str) -> list[str]:
    """The command ended by that SIGTERM before QuickSupport was started: 0, said on stdout, nothing on
    stderr, none of its processes left. Returns the lines of stdout."""
    assert code == 0, err
    lines = out.splitlines()
    assert "STOPPING sigterm" in lines and lines[-1] == "STOPPED QuickSupport nie został uruchomiony; nic nie zostało."
    assert err == ""
    assert wait_until(lambda: processes_mentioning(str(tmp_path)) == [], 5), processes_mentioning(str(tmp_path))
    return lines


def test_a_stop_during_a_check_held_by_its_server_ends_the_command_at_once(run, tmp_path, server):
    # the server takes the probe's request and answers only when the test ends: the check would wait for its
    # timeout (a minute here); the stop must not
    released = threading.Event()
    with LoopbackServer() as held:
        held.serve("/probe", b"", Reply(hold=released))
        overrides = demo_overrides(server, tmp_path / "data")
        overrides["connectivity"]["probes"] = [{"name": "download", "url": held.url("/probe")}]
        overrides["connectivity"]["timeout_s"] = 60
        session = run("--config", str(write_config(tmp_path / "c.toml", overrides)))
        code, out, err = stopped_while_held(session, lambda: held.hits("/probe"), released)
    lines = assert_stopped_before_quicksupport(tmp_path, code, out, err)
    assert not any(line.startswith(("CHECK ", "VERIFIED", "STARTED")) for line in lines), out
    assert not (tmp_path / "data" / "run").exists() or list((tmp_path / "data" / "run").iterdir()) == []


def test_a_stop_while_a_server_holds_the_download_back_ends_the_command_at_once(run, tmp_path, server):
    from tests.faults.conftest import ARTIFACT_PATH, Supply

    released = threading.Event()
    with LoopbackServer() as vendor:
        supply = Supply(vendor, tmp_path)
        supply.publish(serve_artifact=False)
        vendor.serve(ARTIFACT_PATH, supply.body, Reply(hold=released))  # the download waits for its read timeout
        overrides = demo_overrides(server, tmp_path / "data")
        overrides["manifest"] = {"url": supply.config().manifest.url, "public_keys": [supply.public]}
        session = run("--config", str(write_config(tmp_path / "c.toml", overrides)))
        code, out, err = stopped_while_held(session, lambda: vendor.hits(ARTIFACT_PATH), released)
    lines = assert_stopped_before_quicksupport(tmp_path, code, out, err)
    assert lines[0].startswith("CHECK OK")
    assert not any(line.startswith(("VERIFIED", "STARTED")) for line in lines), out
