"""Ctrl+C in the first moments of `python -m launcher` (and of the frozen app's entry script), before main()
runs: the package and `launcher.__main__`'s own imports take a while, and an interrupt there printed Python's
KeyboardInterrupt traceback. Real subprocesses; the moments are states (the child's `-X importtime` line for
each module it has just imported), not times. What is left is Python's own start-up before the launcher
package is imported (site, .pth files, runpy): no project code runs there.

Importing `launcher` as a library (tests, `-c`, `-m launcher.<submodule>`) must leave Ctrl+C alone."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

import launcher
from tests.support.processes import killed_if_left, signal_and_collect

pytestmark = [pytest.mark.e2e, pytest.mark.skipif(not sys.platform.startswith("linux"), reason="POSIX signals")]

REPO = Path(__file__).resolve().parents[2]
LIMIT_S = 60.0
CRASH_SIGNS = ("Traceback", "KeyboardInterrupt", "Fatal Python error", "Exception ignored")
FIRST_OF_OURS = "launcher"  # the package's import line: from here on the launcher's own code has run
LAST_BEFORE_MAIN = "launcher.cli.parser"  # the last import `launcher.__main__` makes at its top
ENTRIES = {"python -m launcher": ["-m", "launcher"], "frozen entry script": [str(REPO / "installer" / "entry.py")]}


def _env(tmp: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO), "LANG": "pl_PL.UTF-8", "TMPDIR": str(tmp),
            "QT_QPA_PLATFORM": "offscreen"}


def _imported(line: str) -> str:
    return line.rsplit("|", 1)[-1].strip() if line.startswith("import time:") else ""


def _start(entry: list[str], tmp: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-X", "importtime", *entry, "version"], stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env(tmp), cwd=tmp)


def _moments(entry: list[str], tmp: Path) -> list[int]:
    """Indexes of the import lines from the launcher package's first to `launcher.__main__`'s last (read
    from one run to the end), every one of them: each is a moment to interrupt at."""
    done = subprocess.run([sys.executable, "-X", "importtime", *entry, "version"], stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, env=_env(tmp), cwd=tmp, timeout=LIMIT_S)
    assert done.returncode == 0, done.stderr
    names = [_imported(line) for line in done.stderr.splitlines()]
    first, last = names.index(FIRST_OF_OURS), names.index(LAST_BEFORE_MAIN)
    assert last > first + 10, names  # the window is real: many imports between the two
    return list(range(first + 1, last + 2))  # n lines read: the n-th module has been imported


@pytest.mark.parametrize("entry", sorted(ENTRIES))
def test_ctrl_c_while_the_program_loads_ends_it_quietly(tmp_path, entry):
    argv = ENTRIES[entry]
    moments = _moments(argv, tmp_path)
    assert len(moments) > 20  # every import of the start-up is a moment
    for moment in moments:
        proc = _start(argv, tmp_path)
        lines = []
        with killed_if_left(proc):
            while len(lines) < moment:  # the state: this many modules imported
                line = proc.stderr.readline()
                if not line:
                    break
                lines.append(line)
            out, err = signal_and_collect(proc, signal.SIGINT, LIMIT_S)
        err = "".join(lines) + err
        said = [line for line in err.splitlines() if not line.startswith("import time:")]
        where = _imported(lines[-1]) if lines else "start"
        assert not [sign for sign in CRASH_SIGNS if sign in err], (where, said)
        # ended by the signal itself as any program that catches nothing; once main() runs, as an interrupted
        # command (130) or done before the signal arrived (0)
        assert proc.returncode in (-signal.SIGINT, 130, 0), (where, proc.returncode, said)
        assert said == [] or proc.returncode == 0, (where, said)


def test_ctrl_c_still_ends_a_command_with_its_clean_up_once_main_runs(tmp_path):
    """main() takes over the interrupt the start-up set: once Qt is loaded, Ctrl+C is a stop of the network
    commands (launcher.cli.stopping), so their clean-up runs and they end with 130."""
    script = ("import signal, sys\n"
              "sys.argv = ['-m']\n"  # as while `python -m launcher` locates the package
              "sys.orig_argv = [sys.executable, '-m', 'launcher']\n"
              "import launcher\n"
              "assert signal.getsignal(signal.SIGINT) is signal.SIG_DFL\n"
              "from launcher.__main__ import _run\n"
              "import launcher.__main__ as m\n"
              "def doctor(args, lang, stop):\n"
              "    signal.raise_signal(signal.SIGINT)\n"  # Ctrl+C while the command runs
              "    assert stop.wait(30), 'Ctrl+C was no stop'\n"
              "    raise m.Stopped(stop.reason)\n"
              "m.cmd_doctor = doctor\n"
              "code = m.main(['doctor'])\n"
              "assert signal.getsignal(signal.SIGINT) is signal.SIG_DFL\n"  # left as the start-up set it
              "print('ok', code)\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=_env(tmp_path),
                          cwd=tmp_path, timeout=LIMIT_S)
    assert done.returncode == 0 and done.stdout.strip() == "ok 130", done.stderr


@pytest.mark.parametrize(("argv", "orig", "ours"), [
    (["-m"], ["python", "-m", "launcher", "version"], True),
    (["-m"], ["python", "-X", "importtime", "-m", "launcher"], True),
    (["-m"], ["python", "-mlauncher"], True),
    (["-m"], ["python", "-m", "launcher.demo.standin", "--root", "x"], False),  # a submodule's own program
    (["-m"], ["python", "-m", "pytest"], False),
    (["-m"], ["python", "-Im", "launcher"], False),  # combined flags: not recognised, so left alone
    (["-c"], ["python", "-c", "import launcher"], False),
    (["/usr/bin/pytest"], ["python", "/usr/bin/pytest", "-m", "launcher"], False),  # `-m` of another program
])
def test_only_python_dash_m_launcher_counts_as_running_the_program(monkeypatch, argv, orig, ours):
    monkeypatch.setattr(sys, "argv", argv)
    monkeypatch.setattr(sys, "orig_argv", orig)
    assert launcher._run_as_program() is ours


def test_importing_the_package_as_a_library_leaves_ctrl_c_alone(tmp_path):
    script = ("import signal\nimport launcher, launcher.__main__, launcher.config\n"
              "print(signal.getsignal(signal.SIGINT) is signal.default_int_handler)\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=_env(tmp_path),
                          cwd=tmp_path, timeout=LIMIT_S)
    assert done.stdout.strip() == "True", done.stderr


def test_an_interrupt_the_parent_ignores_stays_ignored(tmp_path):
    """A background job (`launcher version &` in a shell without job control) starts with Ctrl+C ignored."""
    script = ("import signal, subprocess, sys\n"
              "signal.signal(signal.SIGINT, signal.SIG_IGN)\n"
              "child = subprocess.Popen([sys.executable, '-c', 'import sys; sys.argv = [\"-m\"]; "
              "sys.orig_argv = [sys.executable, \"-m\", \"launcher\"]; import signal, launcher; "
              "print(signal.getsignal(signal.SIGINT) is signal.SIG_IGN)'])\n"
              "sys.exit(child.wait())\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=_env(tmp_path),
                          cwd=tmp_path, timeout=LIMIT_S)
    assert done.returncode == 0 and done.stdout.strip() == "True", done.stderr
