"""The log file as the `session` command meets it, in a real process against the loopback demo server:
created for this user's eyes only (0600) whatever the umask, and a log file that cannot be opened is said as
`WARNING APP-LOG` once while the session goes on (it was an APP-INTERNAL end, and the window's warning had
no code)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from launcher.demo.session import demo_overrides
from tests.support.demo_config import write_config
from tests.support.polling import wait_until
from tests.support.processes import processes_mentioning

pytestmark = [pytest.mark.e2e,
              pytest.mark.skipif(not sys.platform.startswith("linux"), reason="POSIX modes, Linux demo stand-in")]

REPO = Path(__file__).resolve().parents[2]
CRASH_SIGNS = ("Traceback", "Fatal Python error", "--- Logging error ---", "Exception ignored", "APP-INTERNAL")


def _session(config: Path, tmp: Path, lang: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO), "LANG": "pl_PL.UTF-8", "TMPDIR": str(tmp),
           "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([sys.executable, "-m", "launcher", "session", "--no-input", "--for", "2", "--lang", lang,
                           "--config", str(config)], stdin=subprocess.DEVNULL, capture_output=True, text=True,
                          env=env, cwd=tmp, timeout=120, umask=0o022)


def _ran_on(done: subprocess.CompletedProcess) -> bool:
    """The session went on past the log file to the check, and ended as a session ends: by --for, or (on a
    shared machine where another program's TeamViewer runs) with QS-ALREADY, which is not this test's subject."""
    checked = "CHECK OK" in done.stdout
    ended = done.returncode == 0 and "STOPPED" in done.stdout
    other_teamviewer = done.returncode == 1 and "ERROR QS-ALREADY" in done.stderr
    return checked and (ended or other_teamviewer)


@pytest.fixture
def session_config(demo_server, tmp_path):
    data = tmp_path / "data"
    return data, write_config(tmp_path / "demo.toml", demo_overrides(demo_server, data))


def test_the_session_log_is_made_private_to_the_user_under_the_usual_umask(session_config, tmp_path):
    data, config = session_config
    done = _session(config, tmp_path, "en")
    assert _ran_on(done), (done.stdout, done.stderr)
    log_file = data / "logs" / "launcher.log"
    assert stat.S_IMODE(log_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(log_file.parent.stat().st_mode) == 0o700
    assert "manifest serial 1 verified" in log_file.read_text(encoding="utf-8")  # the session wrote to it
    assert not [s for s in CRASH_SIGNS if s in done.stderr], done.stderr


@pytest.mark.parametrize(("lang", "sentence"), [
    ("pl", "WARNING APP-LOG: Program nie może zapisywać swojego dziennika pracy"),
    ("en", "WARNING APP-LOG: The program cannot write its log"),
])
def test_a_log_file_that_cannot_be_opened_is_app_log_and_the_session_goes_on(session_config, tmp_path, lang, sentence):
    data, config = session_config
    (data / "logs" / "launcher.log").mkdir(parents=True)  # in the way of the file: it cannot be opened
    done = _session(config, tmp_path, lang)
    assert _ran_on(done), (done.stdout, done.stderr)  # the session itself went on
    assert done.stderr.count("WARNING APP-LOG:") == 1 and done.stderr.startswith(sentence), done.stderr
    assert f"{data / 'logs' / 'launcher.log'}" in done.stderr  # the detail names the file
    assert not [s for s in CRASH_SIGNS if s in done.stderr], done.stderr
    assert wait_until(lambda: processes_mentioning(str(tmp_path)) == [], 10), processes_mentioning(str(tmp_path))
