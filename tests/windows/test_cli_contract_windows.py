"""DESIGN.md's command line on Windows as a support person's script meets it: no PYTHONUTF8 or
PYTHONIOENCODING (the lane sets PYTHONUTF8 for its own pytest; a customer's machine has neither), so a pipe
defaults to the ANSI code page (cp1250 on a Polish Windows, which the lane is), and yet every Polish letter
arrives as UTF-8: the `ERROR <CODE>: <sentence>` lines (exit 1), the usage error (exit 2), `version` (exit 0)
and `session`'s event lines with a Polish consultant's name, ending with ENDED and the nothing-left line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from launcher import APP_NAME, __version__
from tests.windows.served import serve_exe
from tests.windows.standin_session import answer_q_after
from tests.windows.test_session_windows import home, qs_processes, server  # noqa: F401 - fixtures

pytestmark = pytest.mark.skipif(sys.platform != "win32", reason="the Windows suite: scripts/windows-lane.sh test")

REPO = Path(__file__).resolve().parents[2]
CONSULTANT = ("1357924680", "Łukasz Żółć")
STOPPED_PL = ("STOPPED QuickSupport zakończony, nic z niego już nie działa; konsultant nie może się "
              "ponownie połączyć.")


def plain_env(**extra: str) -> dict[str, str]:
    """This test's environment without what a customer's Windows lacks (the lane's PYTHONUTF8)."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONUTF8", "PYTHONIOENCODING")}
    env.update(QT_QPA_PLATFORM="offscreen", **extra)
    return env


def run_bytes(*args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "launcher", *args], cwd=REPO, env=plain_env(), capture_output=True,
                          stdin=subprocess.DEVNULL, timeout=180)


def test_a_pipe_defaults_to_the_ansi_code_page_here():
    """What the tests below stand on: without the launcher's own care, a pipe would get cp1250 (no „ł” as
    UTF-8 readers expect, and no „“” at all)."""
    proc = subprocess.run([sys.executable, "-c", "import sys; print(sys.stdout.encoding)"], env=plain_env(),
                          capture_output=True, text=True, timeout=120)
    assert proc.stdout.strip().lower() in ("cp1250", "mbcs"), proc.stdout


def test_a_polish_error_reaches_a_pipe_as_utf8_with_exit_1(tmp_path):
    missing = tmp_path / "nie ma żółć.exe"
    proc = run_bytes("--lang", "pl", "verify", str(missing))
    assert proc.returncode == 1
    err = proc.stderr.decode("utf-8")  # strict: a cp1250 byte would fail here
    assert err.startswith("ERROR APP-NO-FILE: Nie ma pliku wskazanego w poleceniu. Sprawdź ścieżkę do pliku"), err
    assert f"({missing}: no such file)" in err and proc.stdout == b""


def test_version_exits_0_and_a_usage_error_2(tmp_path):
    version = run_bytes("version")
    assert version.returncode == 0 and version.stdout.decode("utf-8").strip() == f"{APP_NAME} {__version__}"
    usage = run_bytes("--lang", "pl", "verify")
    assert usage.returncode == 2 and usage.stdout == b""
    err = usage.stderr.decode("utf-8")
    assert err.startswith("ERROR APP-USAGE: Program uruchomiono z nieznaną albo błędnie wpisaną opcją."), err
    assert "usage: python -m launcher verify [-h] [--config FILE] [--lang {pl,en}] FILE" in " ".join(err.split())
    missing = run_bytes("--lang", "pl", "doctor", "--config", str(tmp_path / "brak ść.toml"))
    assert missing.returncode == 1
    assert missing.stderr.decode("utf-8").startswith("ERROR CFG-NOT-FOUND: Nie ma pliku konfiguracji wskazanego")


def test_the_session_command_in_polish_through_a_pipe(server, standin_dir, home, tmp_path,  # noqa: F811
                                                      monkeypatch):
    monkeypatch.setenv("OVERMAX_DEMO_SUPPORTER_ID", CONSULTANT[0])  # inherited by the stand-in
    monkeypatch.setenv("OVERMAX_DEMO_SUPPORTER_NAME", CONSULTANT[1])
    served = serve_exe(server, (standin_dir / "TeamViewerQS.exe").read_bytes(), home["data"])
    config = served.config_file(tmp_path / "config.toml")
    proc = subprocess.Popen([sys.executable, "-m", "launcher", "--lang", "pl", "session", "--config", str(config)],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            encoding="utf-8", errors="strict", cwd=REPO, env=plain_env())
    lines, out, err = answer_q_after(proc, lambda line: line == "ENDED")
    lines += out.splitlines()
    assert proc.returncode == 0 and err == "", "\n".join(lines) + err
    assert lines[0].startswith("CHECK OK   dns") and "Połączenie z siecią TeamViewer" in "\n".join(lines), lines
    order = [lines.index(x) for x in ("STARTED", "ID 1 660 388 656", f"JOINED {CONSULTANT[0]} {CONSULTANT[1]}",
                                      "LEFT", "ENDED", "STOPPING q")]
    assert order == sorted(order), lines
    assert lines[-1] == STOPPED_PL
    assert qs_processes(home) == []
