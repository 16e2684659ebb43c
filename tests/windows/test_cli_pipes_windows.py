"""The console twin's output piped into a program that stops reading (`doctor | more` quit with q, a script that
went away). Windows reports a write to such a pipe as EINVAL, not as a broken pipe (python/cpython#79935), and
the launcher said APP-INTERNAL, "an unexpected error ... tell the consultant this code", for a reader that had
simply gone: now it ends quietly with exit 1, as on Linux. `session` whose reader goes ends QuickSupport and
leaves nothing. Run as a customer's Python runs: no UTF-8 mode.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.windows.served import serve_exe
from tests.windows.test_session_windows import home, qs_processes, server  # noqa: F401 - fixtures

pytestmark = pytest.mark.skipif(sys.platform != "win32", reason="the Windows suite: scripts/windows-lane.sh test")

REPO = Path(__file__).resolve().parents[2]


def customer_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONUTF8", "PYTHONIOENCODING")}
    env["QT_QPA_PLATFORM"] = "offscreen"
    return env


def run_reader_gone(*args: str) -> tuple[int, str]:
    """`python -m launcher ARGS` whose stdout pipe's reading end is closed before it writes a byte: its exit
    status and what it said on stderr."""
    proc = subprocess.Popen([sys.executable, "-m", "launcher", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, cwd=REPO, env=customer_env())
    proc.stdout.close()  # the reader is gone: `| more` quit
    err = proc.stderr.read()
    proc.wait(timeout=180)
    return proc.returncode, err.decode("utf-8", "replace")


@pytest.fixture
def loopback_config(server, signed_dir, tmp_path):  # noqa: F811
    """A config whose probes all answer on loopback (doctor passes)."""
    served = serve_exe(server, (signed_dir / "tv-signed.exe").read_bytes(), tmp_path / "dane ż")
    return served.config_file(tmp_path / "konfiguracja.toml")


def test_doctor_passes_when_read(loopback_config):
    """The control: the same doctor, read to the end, passes (exit 0) and says nothing on stderr."""
    proc = subprocess.run([sys.executable, "-m", "launcher", "--lang", "pl", "doctor", "--config",
                           str(loopback_config)], capture_output=True, stdin=subprocess.DEVNULL, cwd=REPO,
                          env=customer_env(), timeout=180)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stderr == b"" and proc.stdout.decode("utf-8").startswith("OK   dns ")


@pytest.mark.parametrize("command", [["version"], ["doctor"], ["--self-test"]])
def test_a_reader_that_went_away_is_no_internal_error(loopback_config, command):
    status, err = run_reader_gone("--lang", "pl", *command, "--config", str(loopback_config))
    assert status == 1
    assert err == "", err  # no APP-INTERNAL, no "Exception ignored ... OSError: [Errno 22]" at the exit


def test_session_whose_reader_went_away_ends_with_nothing_left(server, standin_dir, home, tmp_path):  # noqa: F811
    served = serve_exe(server, (standin_dir / "TeamViewerQS.exe").read_bytes(), home["data"])
    config = served.config_file(tmp_path / "konfiguracja.toml")
    status, err = run_reader_gone("--lang", "pl", "session", "--config", str(config))
    assert "APP-INTERNAL" not in err and "Traceback" not in err, err
    assert status in (0, 1), err
    assert qs_processes(home) == []


def test_output_redirected_to_a_file_is_utf8(loopback_config, tmp_path):
    """`OvermaxPomocZdalna-cli.exe doctor > wynik.txt 2>&1`, the file a customer e-mails to support: every
    Polish letter as UTF-8 (which Notepad opens as such), the event lines and the error line both there."""
    target = tmp_path / "wynik żółć.txt"
    with open(target, "wb") as out:
        proc = subprocess.run([sys.executable, "-m", "launcher", "--lang", "pl", "doctor", "--config",
                               str(loopback_config)], stdout=out, stderr=subprocess.STDOUT,
                              stdin=subprocess.DEVNULL, cwd=REPO, env=customer_env(), timeout=180)
        proc = subprocess.run([sys.executable, "-m", "launcher", "--lang", "pl", "verify",
                               str(tmp_path / "nie ma żółć.exe")], stdout=out, stderr=subprocess.STDOUT,
                              stdin=subprocess.DEVNULL, cwd=REPO, env=customer_env(), timeout=180)
    assert proc.returncode == 1
    text = target.read_bytes().decode("utf-8")  # strict: a cp1250 byte would fail here
    assert "Połączenie z siecią TeamViewer" in text, text
    assert "ERROR APP-NO-FILE: Nie ma pliku wskazanego w poleceniu. Sprawdź ścieżkę" in text, text
    assert "nie ma żółć.exe: no such file" in text
