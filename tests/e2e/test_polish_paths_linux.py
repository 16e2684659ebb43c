"""A Linux user whose home and XDG folders have Polish letters and spaces, under the locales met in the wild:
C and POSIX (Python then runs in UTF-8 mode), C.UTF-8, pl_PL.UTF-8, and an older Polish install's
pl_PL.ISO-8859-2, where Python names files in ISO-8859-2 while Qt 6 names them in UTF-8 whatever the locale."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.support.polling import wait_until
from tests.support.processes import terminate_and_wait

pytestmark = [pytest.mark.e2e,
              pytest.mark.skipif(sys.platform == "win32", reason="per-user folders redirected through HOME / XDG_*")]

REPO = Path(__file__).resolve().parents[2]
LATIN2 = "pl_PL.ISO-8859-2"
POLISH_UTF8 = "pl_PL.UTF-8"


@pytest.fixture(scope="session")
def compiled_locales(tmp_path_factory) -> Path:
    """A folder (LOCPATH) holding pl_PL.UTF-8 and pl_PL.ISO-8859-2 compiled with localedef, without touching
    the system's locales."""
    localedef = shutil.which("localedef")
    if localedef is None:
        pytest.skip("no localedef to compile the Polish locales (Debian: libc-bin)")
    folder = tmp_path_factory.mktemp("locales")
    for name, charset in ((POLISH_UTF8, "UTF-8"), (LATIN2, "ISO-8859-2")):
        proc = subprocess.run([localedef, "-i", "pl_PL", "-f", charset, str(folder / name)],
                              capture_output=True, text=True, timeout=120)
        if not (folder / name).is_dir():
            pytest.skip(f"localedef could not compile {name}: {proc.stderr.strip()[-200:]}")
    return folder


LOCALES = ["C", "POSIX", "C.UTF-8", POLISH_UTF8, LATIN2]


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
    if request.param in (POLISH_UTF8, LATIN2):
        env["LOCPATH"] = str(request.getfixturevalue("compiled_locales"))
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
        terminate_and_wait(first)
    assert first.returncode == 0


def test_the_demo_session_runs_and_ends_in_a_polish_home(polish_user):
    """Config, cache, the verified download, the unpacked stand-in and its log under Polish folder names;
    output that never fails on a Polish letter, in the locale's encoding where it has the Polish letters."""
    home = Path(polish_user["HOME"])
    proc = subprocess.run([sys.executable, "-m", "launcher", "--lang", "pl", "session", "--demo", "--for", "2",
                           "--no-input"], env=polish_user, cwd=home, capture_output=True, timeout=180)
    encoding = "iso-8859-2" if polish_user["LC_ALL"] == LATIN2 else "utf-8"  # the locale's own, or UTF-8
    out, err = proc.stdout.decode(encoding), proc.stderr.decode(encoding)
    assert proc.returncode == 0, out + err
    lines = out.splitlines()
    assert any(line.startswith("ID ") for line in lines), lines
    assert "STOPPING for" in lines and lines[-1].startswith("STOPPED "), lines
    assert "Traceback" not in err and "UnicodeEncodeError" not in err
    assert not list(Path(polish_user["TMPDIR"]).glob("overmax-demo-*"))  # the demo's folder is gone


# ---------------------------------------------------------------- paths printed exactly, whatever their bytes

# "łódź" as ISO-8859-2 writes it: a name an old Polish system, or `unzip` of an archive made on Polish Windows,
# leaves on the disk; under a UTF-8 locale Python holds those bytes as surrogate escapes.
LATIN2_NAME = b"Pobrane " + "łódź".encode("iso-8859-2")


def _cli(args: list[str], env: dict, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "launcher", *args], env=env, cwd=cwd, capture_output=True,
                          timeout=120)


@pytest.fixture
def served_config(tmp_path, demo_server) -> Path:
    from launcher.demo.session import demo_overrides
    from tests.support.demo_config import write_config

    overrides = demo_overrides(demo_server, tmp_path / "unused")
    overrides["paths"] = {"data_dir": ""}  # the per-user folders: platformdirs, from XDG_* and HOME
    return write_config(tmp_path / "konfiguracja ż.toml", overrides)


def test_fetch_and_verify_print_a_path_with_bytes_the_locale_cannot_decode(polish_user, served_config):
    """The cache under a folder named in ISO-8859-2 while the locale is UTF-8 (and the reverse): `fetch` prints
    the verified path and `verify` names it with the very bytes on the disk, never a UnicodeEncodeError."""
    env = {k.encode(): v.encode() for k, v in polish_user.items()}
    home = os.fsencode(polish_user["HOME"])
    cache_home = home + b"/" + LATIN2_NAME
    os.makedirs(cache_home, exist_ok=True)
    env[b"XDG_CACHE_HOME"] = cache_home
    fetched = _cli(["--lang", "pl", "fetch", "--config", str(served_config)], env, Path(polish_user["HOME"]))
    assert fetched.returncode == 0, fetched.stdout + fetched.stderr
    assert b"Traceback" not in fetched.stderr
    path = fetched.stdout.rstrip(b"\n").splitlines()[-1]
    assert path.startswith(cache_home + b"/") and os.path.isfile(path), path
    copy = home + b"/" + LATIN2_NAME + b"/TeamViewerQS kopia " + "ż".encode("iso-8859-2") + b".tar.gz"
    with open(path, "rb") as src, open(copy, "wb") as dst:
        dst.write(src.read())
    verified = _cli(["--lang", "pl", "verify", os.fsdecode(copy), "--config", str(served_config)], env,
                    Path(polish_user["HOME"]))
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert verified.stdout.startswith(b"OK " + copy + b" "), verified.stdout


def test_the_program_unpacked_into_a_polish_folder_finds_its_translations_and_icon(polish_user):
    """The launcher in ~/Pobrane/Overmax Pomoc Zdalna Łukasza (a tarball unpacked there): Qt loads the
    translations and the icon by file name, so under pl_PL.ISO-8859-2 it missed them (APP-RESOURCE)."""
    if not (REPO / "resources" / "translations" / "launcher_en.qm").is_file():
        pytest.skip("launcher_en.qm not built (./test.sh and ./run.sh build it)")
    program = Path(polish_user["HOME"]) / "Pobrane" / "Overmax Pomoc Zdalna Łukasza"
    shutil.copytree(REPO / "launcher", program / "launcher", ignore=shutil.ignore_patterns("__pycache__", "*.exe"))
    shutil.copytree(REPO / "resources", program / "resources")
    env = dict(polish_user, PYTHONPATH=str(program))
    proc = subprocess.run([sys.executable, "-m", "launcher", "--self-test", "--lang", "en"], env=env,
                          cwd=polish_user["HOME"], capture_output=True, timeout=180)
    out = (proc.stdout + proc.stderr).decode("utf-8", "replace")
    assert proc.returncode == 0, out
    assert "SELFTEST OK" in out and "APP-RESOURCE" not in out, out
