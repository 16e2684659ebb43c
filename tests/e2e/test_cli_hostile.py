"""The command line as a demanding user meets it: Ctrl+C at any moment of the start, a temporary folder with
no room left, an unexpected failure before the log is open. Real subprocesses; every outcome is a code and a
plain sentence or a quiet end, never a traceback, never an aborted interpreter, never a folder left behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.polling import wait_until
from tests.support.processes import killed_if_left, processes_mentioning, signal_and_collect
from tests.support.tmpfs import mounted_tmpfs

pytestmark = [pytest.mark.e2e,
              pytest.mark.skipif(not sys.platform.startswith("linux"), reason="POSIX signals, /proc, tmpfs")]

REPO = Path(__file__).resolve().parents[2]
LIMIT_S = 60.0
CRASH_SIGNS = ("Traceback", "Fatal Python error", "--- Logging error ---", "Exception ignored")


def _env(tmp: Path, **extra: str) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO), "LANG": "pl_PL.UTF-8", "TMPDIR": str(tmp),
            "QT_QPA_PLATFORM": "offscreen", **extra}


def _spawn(args: list[str], tmp: Path, **extra: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "launcher", *args], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env(tmp, **extra),
                            cwd=tmp)


def _maps(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/maps").read_text()
    except OSError:
        return ""


def _loading(library: str):
    def state(proc: subprocess.Popen) -> bool:
        return proc.poll() is not None or library in _maps(proc.pid)
    return state


# Moments of the start: at once (the interpreter still importing), while Qt's bindings load (an interrupt
# there aborted the interpreter in shiboken), while requests loads (a traceback from inside an import).
MOMENTS = {
    "at-once": lambda proc: True,
    "qt-loading": _loading("libshiboken6"),
    "ssl-loading": _loading("_ssl"),
}


@pytest.mark.parametrize("moment", sorted(MOMENTS))
@pytest.mark.parametrize("command", [["session", "--demo", "--no-input"], ["doctor", "--demo"]])
def test_ctrl_c_at_any_moment_of_the_start_ends_quietly_and_leaves_nothing(tmp_path, command, moment):
    for attempt in range(3):  # the moment is a state, not a time; three tries catch more of its neighbours
        tmp = tmp_path / f"{attempt}"
        tmp.mkdir()
        proc = _spawn(command, tmp)
        with killed_if_left(proc):
            assert wait_until(lambda proc=proc: MOMENTS[moment](proc), LIMIT_S)
            out, err = signal_and_collect(proc, signal.SIGINT, LIMIT_S)
        assert not [sign for sign in CRASH_SIGNS if sign in err], err
        # ended by the signal itself (nothing was started yet), as a stop, or as an interrupted command
        assert proc.returncode in (0, 1, -signal.SIGINT, 130), (proc.returncode, out, err)
        if proc.returncode == 1:  # only a real failure of the check, said with its code
            assert err.startswith("ERROR "), err
        if "STOPPING" in out:
            assert "STOPPED" in out, out
        assert wait_until(lambda tmp=tmp: processes_mentioning(str(tmp)) == [], 10), processes_mentioning(str(tmp))
        assert not list(tmp.glob("overmax-demo-*")), list(tmp.iterdir())


def test_ctrl_c_while_the_demo_starts_is_a_stop_like_any_other(tmp_path):
    """Once the session has its handlers (the demo server is being built), Ctrl+C is said as a stop."""
    proc = _spawn(["session", "--demo", "--no-input"], tmp_path)
    with killed_if_left(proc):
        assert wait_until(lambda: proc.poll() is not None or list(tmp_path.glob("overmax-demo-*")), LIMIT_S)
        out, err = signal_and_collect(proc, signal.SIGINT, LIMIT_S)
    assert proc.returncode == 0, (out, err)
    assert "STOPPING sigint" in out and "STOPPED" in out, (out, err)
    assert not [sign for sign in CRASH_SIGNS if sign in err], err
    assert wait_until(lambda: not list(tmp_path.glob("overmax-demo-*")), 10)


@pytest.fixture
def full_disk(tmp_path):
    """A temporary folder with no room for the demo: a tmpfs of one page."""
    with mounted_tmpfs(tmp_path / "full", "size=4k") as folder:
        yield folder


@pytest.mark.parametrize(("lang", "sentence"), [("pl", "Program nie może zapisać swoich plików"),
                                                 ("en", "The program cannot save its files")])
@pytest.mark.parametrize("command", [["session", "--demo", "--no-input", "--for", "1"], ["doctor", "--demo"]])
def test_a_full_temporary_folder_is_app_data_dir_not_a_traceback(full_disk, command, lang, sentence):
    proc = _spawn([*command, "--lang", lang], full_disk)
    out, err = proc.communicate(timeout=LIMIT_S)
    assert proc.returncode == 1, (out, err)
    assert err.startswith(f"ERROR APP-DATA-DIR: {sentence}"), err
    assert not [sign for sign in CRASH_SIGNS if sign in err], err
    assert list(full_disk.iterdir()) == []  # no half-made demo folder


def test_an_unexpected_failure_before_the_log_is_open_prints_no_traceback(tmp_path):
    """APP-INTERNAL is a code and a sentence on the console; the traceback belongs in the log file only."""
    script = ("import sys, launcher.__main__ as m\n"
              "def boom(args, lang, stop):\n    raise RuntimeError('planted')\n"
              "m.cmd_doctor = boom\nsys.exit(m.main(['doctor']))\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=_env(tmp_path),
                          cwd=tmp_path, timeout=LIMIT_S)
    assert done.returncode == 1
    assert done.stderr.startswith("ERROR APP-INTERNAL: W programie wystąpił nieoczekiwany błąd."), done.stderr
    assert "Traceback" not in done.stderr, done.stderr


@pytest.mark.parametrize("command", [["version"], ["doctor", "--demo"], ["--help"], ["--self-test"],
                                     ["--self-test", "--lang", "en"]])
def test_nobody_reading_the_output_is_no_internal_error(tmp_path, command):
    """`python -m launcher version | true`: the reader is gone before the answer is written. That was
    APP-INTERNAL with a BrokenPipeError traceback; now the command ends quietly (1: the answer went nowhere)."""
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader went away before anything was written
    try:
        done = subprocess.run([sys.executable, "-m", "launcher", *command], stdin=subprocess.DEVNULL,
                              stdout=write_end, stderr=subprocess.PIPE, text=True, env=_env(tmp_path), cwd=tmp_path,
                              timeout=LIMIT_S)
    finally:
        os.close(write_end)
    assert "APP-INTERNAL" not in done.stderr, done.stderr
    assert not [sign for sign in CRASH_SIGNS if sign in done.stderr], done.stderr
    assert done.returncode in (0, 1), done.stderr
    assert not list(tmp_path.glob("overmax-demo-*")) and not list(tmp_path.glob("overmax-selftest-*"))


@pytest.mark.parametrize(("env_lang", "args", "sentence"), [
    ("pl_PL.UTF-8", ["--bogus"], "Program uruchomiono z nieznaną albo błędnie wpisaną opcją."),
    ("pl_PL.UTF-8", ["doctr", "--lang", "en"], "The program was started with an unknown or mistyped option."),
    ("en_US.UTF-8", ["session", "--for", "0"], "The program was started with an unknown or mistyped option."),
    ("", ["verify"], "Program uruchomiono z nieznaną albo błędnie wpisaną opcją."),  # LANG unset: Polish
])
def test_a_mistyped_command_line_is_app_usage_in_the_users_language(tmp_path, env_lang, args, sentence):
    env = _env(tmp_path, LANG=env_lang)
    for name in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        env.pop(name, None)
    done = subprocess.run([sys.executable, "-m", "launcher", *args], stdin=subprocess.DEVNULL, capture_output=True,
                          text=True, env=env, cwd=tmp_path, timeout=LIMIT_S)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.startswith(f"ERROR APP-USAGE: {sentence}"), done.stderr
    assert "usage:" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize(("args", "sentence"), [
    (["--demo"], "Program nie może otworzyć okna: na tym komputerze nie ma teraz pulpitu."),
    (["--lang", "en"], "The program cannot open its window: this computer has no desktop available right now."),
])
def test_the_window_without_a_display_is_app_no_display_not_an_abort(tmp_path, args, sentence):
    """Started from a remote shell (no DISPLAY, no WAYLAND_DISPLAY): Qt aborted the process (exit 134) with its
    own words about platform plugins and no code for the consultant."""
    env = _env(tmp_path)
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        env.pop(name, None)
    done = subprocess.run([sys.executable, "-m", "launcher", *args], stdin=subprocess.DEVNULL, capture_output=True,
                          text=True, env=env, cwd=tmp_path, timeout=LIMIT_S)
    assert done.returncode == 1, (done.returncode, done.stderr)
    assert done.stderr.startswith(f"ERROR APP-NO-DISPLAY: {sentence}"), done.stderr
    assert "platform plugin" not in done.stderr and not [sign for sign in CRASH_SIGNS if sign in done.stderr]
    assert not list(tmp_path.glob("overmax-demo-*"))


@pytest.mark.parametrize("stderr", ["closed", "full disk"])
def test_a_usage_error_with_nowhere_to_say_it_still_exits_2_and_writes_no_stdout(tmp_path, stderr):
    """With standard error closed argparse put the usage line on stdout (a script reading stdout took it for the
    answer); on a full disk the failed write ended the program with 1."""
    def close_stderr() -> None:
        os.close(2)

    with open("/dev/full", "w") if stderr == "full disk" else open(os.devnull, "w") as sink:
        done = subprocess.run([sys.executable, "-m", "launcher", "--bogus"], stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE, stderr=sink, text=True, env=_env(tmp_path), cwd=tmp_path,
                              timeout=LIMIT_S, preexec_fn=close_stderr if stderr == "closed" else None)
    assert (done.returncode, done.stdout) == (2, "")


@pytest.fixture
def read_only_folder(tmp_path):
    """A read-only tmpfs (a locked-down home folder; root ignores file modes, so a mount it is)."""
    with mounted_tmpfs(tmp_path / "ro", "ro,size=4k") as folder:
        yield folder


@pytest.mark.parametrize(("lang", "call"), [("pl", "powiedz konsultantowi ten kod"),
                                            ("en", "tell the consultant this code")])
def test_a_read_only_data_folder_is_app_data_dir_and_names_the_consultant(tmp_path, read_only_folder, lang, call):
    """Freeing disk space does not help a read-only folder: the sentence now also says to tell the code."""
    config = tmp_path / "ro.toml"
    config.write_text(f'[paths]\ndata_dir = "{read_only_folder / "data"}"\n', encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "launcher", "--config", str(config), "--lang", lang],
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, env=_env(tmp_path), cwd=tmp_path,
                          timeout=LIMIT_S)
    assert done.returncode == 1, done.stderr
    first = done.stderr.splitlines()[0]
    assert first.startswith("ERROR APP-DATA-DIR: ") and first.endswith(f"{call}."), first
    assert "Traceback" not in done.stderr


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("command", [["version"], ["doctor", "--demo"], ["--self-test"],
                                     ["session", "--demo", "--no-input", "--for", "1"]])
def test_output_to_a_full_disk_is_disk_full_not_an_internal_error(tmp_path, command):
    """`doctor > report.txt` with no room left said APP-INTERNAL; freeing space is what helps. `--self-test`
    printed a traceback and APP-INTERNAL, `session` ended with 0 as if its events had been written."""
    with open("/dev/full", "w") as full:
        done = subprocess.run([sys.executable, "-m", "launcher", *command], stdin=subprocess.DEVNULL, stdout=full,
                              stderr=subprocess.PIPE, text=True, env=_env(tmp_path), cwd=tmp_path, timeout=LIMIT_S)
    assert done.returncode == 1
    assert done.stderr.startswith("ERROR DL-DISK-FULL: Na dysku komputera zabrakło miejsca."), done.stderr
    assert not [sign for sign in CRASH_SIGNS if sign in done.stderr], done.stderr
    assert not list(tmp_path.glob("overmax-demo-*")) and not list(tmp_path.glob("overmax-selftest-*"))
    assert not processes_mentioning(str(tmp_path))  # the session's stand-in QuickSupport ended too


def _quicksupport_running(tmp: Path) -> bool:
    return any(f"{os.sep}qs-" in " ".join([*(p.cmdline() or []), p.cwd() or ""])
               for p in processes_mentioning(str(tmp)) if p.is_running())


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
@pytest.mark.parametrize("moment", ["folder made", "demo session walked"])
def test_a_signal_during_the_self_test_leaves_no_folder(tmp_path, signum, moment):
    """Ctrl+C or SIGTERM during `--self-test --demo` left its throwaway data folder in the temporary one for
    good (nothing sweeps it): now the step under way is given up, the folders are removed, the demo's
    stand-in is ended, and the exit says the signal."""
    proc = _spawn(["--self-test", "--demo"], tmp_path)
    with killed_if_left(proc):
        if moment == "folder made":
            reached = wait_until(lambda: proc.poll() is not None or list(tmp_path.glob("overmax-selftest-*")), LIMIT_S)
        else:  # the stand-in QuickSupport of the walked session runs in its unpacked folder, <runtime>/qs-<hex>
            reached = wait_until(lambda: proc.poll() is not None or _quicksupport_running(tmp_path), LIMIT_S)
        assert reached and proc.poll() is None, "the self-test ended before the signal"
        out, err = signal_and_collect(proc, signum, LIMIT_S)
    assert proc.returncode == 128 + signum, (proc.returncode, out, err)
    assert not [sign for sign in CRASH_SIGNS if sign in err], err
    assert "SELFTEST OK" not in out
    assert not list(tmp_path.glob("overmax-selftest-*")) and not list(tmp_path.glob("overmax-demo-*"))
    assert wait_until(lambda: not _quicksupport_running(tmp_path), 10)  # the walked session's stand-in ended


def test_sigterm_during_doctor_demo_cleans_up_its_demo_folder(tmp_path):
    """SIGTERM ended `doctor --demo` outright, leaving its demo folder for the next demo to find."""
    proc = _spawn(["doctor", "--demo"], tmp_path)
    with killed_if_left(proc):
        assert wait_until(lambda: proc.poll() is not None or list(tmp_path.glob("overmax-demo-*")), LIMIT_S)
        out, err = signal_and_collect(proc, signal.SIGTERM, LIMIT_S)
    assert proc.returncode in (0, 143), (proc.returncode, err)  # 0: it had finished before the signal came
    assert not [sign for sign in CRASH_SIGNS if sign in err], err
    assert not list(tmp_path.glob("overmax-demo-*"))


@pytest.mark.parametrize(("variable", "value"), [("OVERMAX_DEMO_SCENARIO", "imposter"),
                                                 ("OVERMAX_DEMO_JOIN_WORDING", "roles")])
@pytest.mark.parametrize("command", [["session", "--demo", "--no-input"], ["doctor", "--demo"],
                                     ["--self-test", "--demo"]])
def test_a_mistyped_demo_option_is_named_before_anything_starts(tmp_path, variable, value, command):
    """The stand-in refused it by ending at once, which read as QS-EXITED "run the command again" (contracts
    review): the launcher now names the variable and the values it takes, and starts nothing. A usage error
    found after the parse exits 2 as every usage error does (it was 1)."""
    proc = _spawn(command, tmp_path, **{variable: value})
    with killed_if_left(proc):
        out, err = proc.communicate(timeout=LIMIT_S)
    assert proc.returncode == 2, (out, err)
    assert err.startswith("ERROR APP-USAGE: ") and f"{variable}='{value}' is not one of" in err, err
    assert out == "" and list(tmp_path.glob("overmax-demo-*")) == list(tmp_path.glob("overmax-selftest-*")) == []
    assert not [sign for sign in CRASH_SIGNS if sign in err], err
