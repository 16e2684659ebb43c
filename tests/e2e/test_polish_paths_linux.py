"""A Linux user whose home and XDG folders have Polish letters and spaces, under the locales met in the wild:
C and POSIX (Python then runs in UTF-8 mode), C.UTF-8, and an older Polish install's pl_PL.ISO-8859-2, where
Python names files in ISO-8859-2 while Qt 6 names them in UTF-8 whatever the locale."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.support.polling import wait_until

pytestmark = [pytest.mark.e2e,
              pytest.mark.skipif(sys.platform == "win32", reason="per-user folders redirected through HOME / XDG_*")]

REPO = Path(__file__).resolve().parents[2]
LATIN2 = "pl_PL.ISO-8859-2"


@pytest.fixture(scope="session")
def latin2_locales(tmp_path_factory) -> Path:
    """A folder holding pl_PL.ISO-8859-2 compiled with localedef (LOCPATH), without touching the system's."""
    localedef = shutil.which("localedef")
    if localedef is None:
        pytest.skip("no localedef to compile pl_PL.ISO-8859-2 (Debian: libc-bin)")
    folder = tmp_path_factory.mktemp("locales")
    proc = subprocess.run([localedef, "-i", "pl_PL", "-f", "ISO-8859-2", str(folder / LATIN2)],
                          capture_output=True, text=True, timeout=120)
    if not (folder / LATIN2).is_dir():
        pytest.skip(f"localedef could not compile {LATIN2}: {proc.stderr.strip()[-200:]}")
    return folder


LOCALES = ["C", "POSIX", "C.UTF-8", LATIN2]


@pytest.fixture
def runtime_dir():
    """A session's private runtime folder, as /run/user/UID is: short, this user's, 0700."""
    folder = tempfile.mkdtemp(prefix="sesja ż ")
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(params=LOCALES)
def polish_user(request, tmp_path, runtime_dir) -> dict[str, str]:
    """The environment of a user "Łukasz Żółć" (home, XDG folders, TMPDIR with Polish letters and spaces)
    under one of LOCALES, set the way a login sets it (LANG, and LC_ALL for the strict ones). The home is
    deep enough that a socket file in its data folder or temporary folder exceeds a Unix socket address."""
    home = tmp_path / "home" / "Łukasz Żółć"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG", "PYTHONUTF8", "PYTHONIO"))}
    env.update(QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(REPO), HOME=str(home),
               XDG_DATA_HOME=str(home / "dane użytkownika"), XDG_CACHE_HOME=str(home / "pamięć podręczna"),
               XDG_STATE_HOME=str(home / "stan ż"), XDG_CONFIG_HOME=str(home / "ustawienia ź"),
               TMPDIR=str(home / "tymczasowe ćma"), XDG_RUNTIME_DIR=runtime_dir)
    for var in ("XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME", "TMPDIR"):
        Path(env[var]).mkdir(parents=True, exist_ok=True)
    if request.param == LATIN2:
        env["LOCPATH"] = str(request.getfixturevalue("latin2_locales"))
    env["LANG"] = env["LC_ALL"] = request.param
    env["OVERMAX_TEST_LOCALE"] = request.param
    return env


def launcher_logs(home: Path) -> str:
    return "".join(p.read_bytes().decode("utf-8", "replace") for p in home.rglob("launcher.log"))


def test_a_second_start_in_a_polish_home_says_app_running(polish_user):
    """The single-instance lock (QLockFile) and socket (QLocalServer) live in the Polish data folder: a lock
    Qt could not write there let a second launcher, and a second QuickSupport, run."""
    home = Path(polish_user["HOME"])
    argv = [sys.executable, "-m", "launcher", "--lang", "en"]
    first = subprocess.Popen(argv, env=polish_user, cwd=home, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert wait_until(lambda: "first window painted" in launcher_logs(home) or first.poll() is not None, 60), \
            "the first launcher never came up"
        assert first.poll() is None, first.stderr.read().decode("utf-8", "replace")
        assert "running without it" not in launcher_logs(home)
        second = subprocess.run(argv, env=polish_user, cwd=home, capture_output=True, timeout=60)
        assert second.returncode == 1, second.stderr.decode("utf-8", "replace")
        assert b"ERROR APP-RUNNING" in second.stderr
        assert wait_until(lambda: "this window comes forward" in launcher_logs(home), 15)
        locks = list(Path(polish_user["XDG_DATA_HOME"]).rglob("*.lock"))
        assert len(locks) == 1, locks  # in the user's own data folder, as Python names it
    finally:
        first.send_signal(signal.SIGTERM)
        try:
            first.wait(30)
        except subprocess.TimeoutExpired:
            first.kill()
            first.wait()
    assert first.returncode == 0


def test_the_demo_session_runs_and_ends_in_a_polish_home(polish_user):
    """Config, cache, the verified download, the unpacked stand-in and its log under Polish folder names;
    output that never fails on a Polish letter, whatever the locale's encoding."""
    home = Path(polish_user["HOME"])
    proc = subprocess.run([sys.executable, "-m", "launcher", "--lang", "pl", "session", "--demo", "--for", "2",
                           "--no-input"], env=polish_user, cwd=home, capture_output=True, timeout=180)
    out, err = proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8")
    assert proc.returncode == 0, out + err
    lines = out.splitlines()
    assert any(line.startswith("ID ") for line in lines), lines
    assert "STOPPING for" in lines and lines[-1].startswith("STOPPED "), lines
    assert "Traceback" not in err and "UnicodeEncodeError" not in err
    assert not list(Path(polish_user["TMPDIR"]).glob("overmax-demo-*"))  # the demo's folder is gone
