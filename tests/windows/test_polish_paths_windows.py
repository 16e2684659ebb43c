"""Paths a Polish customer really has, on Windows: a profile named with Polish letters and a space
(C:\\Users\\Łukasz Żółć), %TEMP% under it in its 8.3 short form (Windows writes TEMP so, by design, when the
profile's name is no valid 8.3 name: C:\\Users\\UKASZ~1\\AppData\\Local\\Temp; reported as C:\\Users\\RUNNER~1 in
actions/runner-images#712, C:\\Users\\MARCUS~1.GRE in pharo-project/pharo#18961), the Desktop and Documents moved into
OneDrive (OneDrive\\Pulpit, OneDrive\\Dokumenty), the launcher started from Pobrane (Downloads) with the
current folder elsewhere, and no Python UTF-8 mode (a customer's machine has none: the ANSI code page is 1250,
the console's 852).

The profile is simulated the way Windows itself finds it: the per-user folders are read from the registry
(HKCU ...\\Explorer\\User Shell Folders, which folder redirection and OneDrive's known-folder move rewrite;
SHGetFolderPathW, platformdirs, Qt and NSIS all read them there), and the environment names the same
folders (USERPROFILE, APPDATA, LOCALAPPDATA, TEMP, TMP, USERNAME), as a logon sets it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psutil
import pytest

from launcher import APP_ID, ORG_NAME
from launcher.core.download import open_verified
from launcher.core.fetch import fetch_quicksupport
from launcher.core.paths import app_paths
from launcher.core.quicksupport.launch import prepare
from launcher.core.quicksupport.process import process_info
from launcher.core.quicksupport.session import QuickSupportSession
from tests.support.demo_config import write_config
from tests.support.loopback_http import LoopbackServer
from tests.support.polling import poll_until, wait_until
from tests.windows.polish_profile import (
    DOWNLOADS_GUID,
    PROFILE_NAME,
    long_path,
    make_profile_folders,
    redirected_shell_folders,
    short_path,
    standin_processes,
)
from tests.windows.served import serve_exe
from tests.windows.standin_session import DEMO_OPTIONS, answer_q_after

CONSULTANT = ("1987654320", "Łukasz Żółć")  # the Windows stand-in's default consultant
REPO = Path(__file__).resolve().parents[2]


@dataclass
class Profile:
    root: Path  # C:\Users\Łukasz Żółć (long form)
    local: Path  # AppData\Local
    roaming: Path  # AppData\Roaming
    temp: Path  # AppData\Local\Temp (long form; %TEMP% holds its short form)
    temp_short: str
    desktop: Path  # OneDrive\Pulpit
    documents: Path  # OneDrive\Dokumenty
    downloads: Path  # Pobrane

    @property
    def user_data(self) -> Path:
        """Where platformdirs puts the launcher's data: Local AppData\\Overmax\\OvermaxPomocZdalna."""
        return self.local / ORG_NAME / APP_ID


# A Polish customer, and a Ukrainian one living in Poland: letters neither cp1250 nor cp852 have.
PROFILE_NAMES = [PROFILE_NAME, "Олександр Шевченко"]


@pytest.fixture(params=PROFILE_NAMES, ids=["polish", "ukrainian"])
def profile(request, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Profile]:
    name = request.param
    root = tmp_path / "Users" / name
    folders, temp, temp_short = make_profile_folders(root)
    env = {"USERPROFILE": str(root), "USERNAME": name, "HOMEPATH": str(root)[2:],
           "APPDATA": str(folders["AppData"]), "LOCALAPPDATA": str(folders["Local AppData"]),
           "TEMP": temp_short, "TMP": temp_short, **DEMO_OPTIONS}
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    for name in ("PYTHONUTF8", "PYTHONIOENCODING", "PYTHONLEGACYWINDOWSSTDIO"):  # as on a customer's machine
        monkeypatch.delenv(name, raising=False)
    found = Profile(root=root, local=folders["Local AppData"], roaming=folders["AppData"], temp=temp,
                    temp_short=temp_short, desktop=folders["Desktop"], documents=folders["Personal"],
                    downloads=folders[DOWNLOADS_GUID])
    with redirected_shell_folders({name: str(folder) for name, folder in folders.items()}):
        yield found
    for proc in standin_processes(temp, found.user_data):
        proc.kill()


@pytest.fixture
def server():
    with LoopbackServer() as srv:
        yield srv


def user_folders_config(server: LoopbackServer, standin_dir: Path, path: Path, data_dir: str = "") -> Path:
    """A config for the signed stand-in served on loopback, with the per-user folders platformdirs names
    (`data_dir` empty, as shipped) or `data_dir`."""
    overrides = serve_exe(server, (standin_dir / "TeamViewerQS.exe").read_bytes(), Path("unused")).overrides()
    overrides["paths"] = {"data_dir": data_dir}
    return write_config(path, overrides)


def launcher_command(*args: str, cwd: Path, stdin=subprocess.DEVNULL, **kwargs) -> subprocess.Popen:
    """`python -m launcher ARGS` started in `cwd` as a customer's Python starts it: no UTF-8 mode, pipes."""
    return subprocess.Popen([sys.executable, "-m", "launcher", *args], cwd=cwd, stdin=stdin,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kwargs)


# ---------------------------------------------------------------- the process tree under a short spelling


def started_session(server: LoopbackServer, standin_dir: Path, profile: Profile,
                    data_dir: Path | None = None) -> QuickSupportSession:
    """The signed stand-in served on loopback, fetched and verified into the profile's data folder (or
    `data_dir`, as written), unpacked and started as QuickSupport (its ID not yet seen); the caller stops it."""
    served = serve_exe(server, (standin_dir / "TeamViewerQS.exe").read_bytes(), data_dir or profile.user_data)
    config = served.config()
    paths = app_paths(config.paths.data_dir).ensure()
    verified = fetch_quicksupport(config, paths)
    session = QuickSupportSession(prepare(verified.path, verified.artifact, paths.runtime, open_verified),
                                  id_timeout_s=60)
    session.start()
    return session


def test_rozlacz_ends_teamviewer_exe_unpacked_under_a_data_folder_written_in_8dot3_short_form(server, standin_dir,
                                                                                             profile):
    """QuickSupport unpacks itself into the temporary folder its TMP names (its own, inside the launcher's data
    folder), as that is written: here in 8.3 short form (C:\\Users\\UKASZ~1\\..., as Windows writes %TEMP% and a
    config's data_dir may), and its TeamViewer.exe outlives its parent: only the folder net finds it. It compared
    the long form only, so Rozłącz left TeamViewer.exe running (until the launcher itself ended) and said nothing
    was left."""
    profile.user_data.mkdir(parents=True)
    data_short = short_path(profile.user_data)
    assert "~" in data_short
    session = started_session(server, standin_dir, profile, Path(data_short))
    try:
        kinds = [e.kind for e in poll_until(session, "id", 60)]
        assert "id" in kinds, kinds
        assert wait_until(lambda: session._proc.poll() is not None, 30)  # noqa: SLF001 - handed over, exited
        assert wait_until(lambda: len(standin_processes(profile.user_data)) >= 2, 30)
        running = standin_processes(profile.user_data)
        programs = [(process_info(p, ("cmdline",))["cmdline"] or [""])[0] for p in running]
        assert any("~" in program for program in programs), programs  # started from the short spelling
        assert {Path(long_path(program)).parent for program in programs} == {
            Path(long_path(str(session.prepared.temp_dir))) / "TeamViewer"}
        assert {p.pid for p in running} <= set(session.pids)
    finally:
        session.stop()
    assert standin_processes(profile.temp, profile.user_data) == []
    assert session.pids == []
    assert not (profile.temp / "TeamViewer").exists()


def test_a_tmp_naming_another_folder_is_not_where_quicksupport_unpacks_itself(server, standin_dir, profile,
                                                                             monkeypatch):
    """Windows' temporary folder (GetTempPathW) is %TMP% first, then %TEMP%: a machine whose TMP names another
    folder (a second disk, a policy, a C:\\Temp other users may write) had QuickSupport unpacked and run there.
    Now TMP and TEMP in QuickSupport's environment name its own folder: nothing reaches the other one, and its
    processes are found and ended all the same."""
    other = profile.root / "Tymczasowe Łukasza"
    other.mkdir()
    monkeypatch.setenv("TMP", str(other))
    session = started_session(server, standin_dir, profile)
    try:
        assert "id" in [e.kind for e in poll_until(session, "id", 60)]
        assert wait_until(lambda: session._proc.poll() is not None, 30)  # noqa: SLF001 - handed over, exited
        assert wait_until(lambda: len(standin_processes(profile.user_data)) >= 2, 30)
        assert {p.pid for p in standin_processes(profile.user_data)} <= set(session.pids)
        assert standin_processes(other, profile.temp) == [] and list(other.iterdir()) == []
        assert "exited" not in [e.kind for e in session.poll()]
    finally:
        session.stop()
        left = standin_processes(other, profile.temp, profile.user_data)
        for proc in left:  # the test has failed by then; the next one must not meet them (QS-ALREADY)
            proc.kill()
    assert left == []
    assert list(other.iterdir()) == []


def test_the_watchdog_ends_a_helper_running_from_the_short_temp_when_the_launcher_is_killed(profile):
    """A QuickSupport helper started from outside the Job Object (a broker), from the short spelling of its
    folder: only the watchdog can end it once the launcher is killed outright, and it must recognise it."""
    from tests.windows.test_process_windows import CHILDREN, alive, all_gone, registered, start_launcher, tree_argv

    folder, qs = profile.root / "pids", profile.temp / "TeamViewer"
    folder.mkdir()
    qs.mkdir()
    launcher, info = start_launcher(folder, qs, tree_argv(folder, 0), watchdog=True)
    try:
        helper_script = Path(shutil.copyfile(CHILDREN, qs / "tv_x64.py"))
        qs_short = short_path(qs)
        assert "~" in qs_short
        helper = subprocess.Popen(tree_argv(folder, 0, Path(qs_short) / helper_script.name), cwd=qs_short,
                                  stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        assert wait_until(lambda: len(registered(folder)) == 3, 30)
        launcher.kill()  # TerminateProcess: none of the launcher's own cleanup runs; the job ends its child
        launcher.wait()
        assert wait_until(lambda: not alive(helper.pid), 20)  # the job cannot: only the watchdog does
        assert wait_until(lambda: all_gone(registered(folder)) and not alive(info["watchdog"]), 15)
    finally:
        for pid in registered(folder):
            if alive(pid):
                psutil.Process(pid).kill()


# ---------------------------------------------------------------- the command line in the profile


def test_the_session_command_started_from_pobrane_runs_in_the_polish_profile_and_leaves_nothing(
        server, standin_dir, profile):
    """Config saved in Pobrane, the shipped per-user folders (platformdirs: the redirected Local AppData),
    the current folder Pobrane, the consultant's Polish name on a pipe without UTF-8 mode."""
    config = user_folders_config(server, standin_dir, profile.downloads / "konfiguracja Łukasza.toml")
    proc = launcher_command("--lang", "pl", "session", "--config", config.name, cwd=profile.downloads,
                            stdin=subprocess.PIPE, text=True, encoding="utf-8")
    lines, out, err = answer_q_after(proc, lambda line: line.startswith("JOINED "))
    lines += out.splitlines()
    assert proc.returncode == 0, "\n".join(lines) + err
    assert "ID 1 660 388 656" in lines, lines
    assert f"JOINED {CONSULTANT[0]} {CONSULTANT[1]}" in lines, lines
    assert "STOPPING q" in lines and lines[-1].startswith("STOPPED "), lines
    assert "Traceback" not in err, err
    assert standin_processes(profile.temp, profile.user_data) == []
    cached = list((profile.user_data / "Cache").glob("*.exe"))
    assert len(cached) == 1, list(profile.user_data.rglob("*"))
    log = profile.user_data / "Logs" / "launcher.log"
    assert "QuickSupport ended, nothing left" in log.read_text(encoding="utf-8")
    assert not list((profile.user_data / "Cache" / "run").glob("qs-*"))  # the unpacked copy is gone
    assert [p.name for p in profile.downloads.iterdir()] == [config.name]  # nothing lands in the current folder


def test_fetch_prints_a_path_outside_the_code_pages_on_a_pipe_without_utf8_mode(server, standin_dir, profile):
    """A data folder whose name holds letters neither cp1250 nor cp852 has (a Ukrainian customer's
    name beside a Polish one): the printed path, on a pipe whose default is the ANSI code page, is exact."""
    data = profile.local / "Dane Олександра Żółć"
    config = user_folders_config(server, standin_dir, profile.downloads / "fetch.toml", str(data))
    proc = launcher_command("--lang", "pl", "fetch", "--config", str(config), cwd=profile.downloads)
    out, err = proc.communicate(timeout=180)
    assert proc.returncode == 0, (out + err).decode("utf-8", "replace")
    printed = Path(out.decode("utf-8").strip().splitlines()[-1])
    assert printed.is_file() and data in printed.parents
    assert b"Traceback" not in err


# A console of its own for the command, as a customer's cmd.exe window is: stdout is the console, stderr a
# pipe the driver reads.
_CONSOLE_DRIVER = """
import json, subprocess, sys
out, args = sys.argv[1], sys.argv[2:]
proc = subprocess.run([sys.executable, "-m", "launcher", *args], stdin=subprocess.DEVNULL, stderr=subprocess.PIPE)
info = {"rc": proc.returncode, "stderr": proc.stderr.decode("utf-8", "replace"), "tty": sys.stdout.isatty(),
        "encoding": sys.stdout.encoding}
with open(out, "w", encoding="utf-8") as fh:
    json.dump(info, fh)
"""


@pytest.mark.wine_gap("a console of its own takes no output under Wine without a display: every write to it, "
                      "an ASCII print() too, fails with EBADF")
def test_fetch_prints_a_path_outside_the_code_pages_on_a_console(server, standin_dir, profile, tmp_path):
    """On Windows the console is Python's UTF-16 console stream; in legacy mode (PYTHONLEGACYWINDOWSSTDIO,
    cp852) a letter the code page lacks is escaped, never a UnicodeEncodeError."""
    data = profile.local / "Dane Олександра Żółć"
    config = user_folders_config(server, standin_dir, profile.downloads / "fetch.toml", str(data))
    result = tmp_path / "console.json"
    driver = subprocess.run([sys.executable, "-c", _CONSOLE_DRIVER, str(result), "--lang", "pl", "fetch",
                             "--config", str(config)], cwd=profile.downloads,
                            creationflags=subprocess.CREATE_NEW_CONSOLE, timeout=300)
    assert driver.returncode == 0
    info = json.loads(result.read_text(encoding="utf-8"))
    assert info["tty"], info  # the command's stdout really was the console
    assert info["rc"] == 0, info
    assert "Traceback" not in info["stderr"] and "UnicodeEncodeError" not in info["stderr"], info
    assert len(list((data / "cache").glob("*.exe"))) == 1


# ---------------------------------------------------------------- the per-user folders and the report


def test_the_per_user_folders_follow_the_redirected_profile(profile):
    paths = app_paths("").ensure()
    assert paths.data == profile.user_data
    assert profile.local in paths.cache.parents and profile.local in paths.logs.parents
    from PySide6.QtCore import QStandardPaths

    from launcher.ui.single_instance import default_lock_dir

    assert default_lock_dir() == profile.user_data  # the lock follows it too, whatever %LOCALAPPDATA% says
    # where the ended page's „Zapisz” dialog opens: Documents, moved into OneDrive
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    assert Path(documents) == profile.documents


def test_the_report_is_saved_on_the_onedrive_desktop(profile):
    """The Desktop moved into OneDrive\\Pulpit: the report goes there, whole, under an ASCII name."""
    from launcher.core.diagnostics import report_folder, save_report

    assert report_folder() == profile.desktop
    text = "Raport: Łukasz Żółć, C:\\Users\\Łukasz Żółć\\Pobrane\n"
    saved = save_report(text, report_folder())
    assert saved.parent == profile.desktop and saved.name.isascii()
    assert saved.read_text(encoding="utf-8") == text
    assert [p.name for p in profile.desktop.iterdir()] == [saved.name]  # no temporary left beside it


def test_the_report_goes_to_documents_when_the_onedrive_desktop_is_gone(profile):
    """OneDrive unlinked: the registry still names OneDrive\\Pulpit, which no longer exists."""
    from launcher.core.diagnostics import report_folder

    shutil.rmtree(profile.desktop)
    assert report_folder() == profile.documents


# ---------------------------------------------------------------- the window, offscreen


def _launcher_log(profile: Profile) -> str:
    log = profile.user_data / "Logs" / "launcher.log"
    return log.read_text(encoding="utf-8", errors="replace") if log.is_file() else ""


def test_a_second_start_in_the_polish_profile_says_app_running(profile):
    """The single-instance lock in the redirected Local AppData and the come-forward pipe named after the
    user "Łukasz Żółć": the second start, from Pobrane, is turned away and the first window comes forward."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    first = launcher_command("--lang", "en", cwd=profile.downloads, env=env)
    try:
        assert wait_until(lambda: "first window painted" in _launcher_log(profile) or first.poll() is not None,
                          120), "the first launcher never came up"
        assert first.poll() is None, first.stderr.read().decode("utf-8", "replace")
        second = launcher_command("--lang", "en", cwd=profile.root, env=env)
        out, err = second.communicate(timeout=120)
        assert second.returncode == 1, (out + err).decode("utf-8", "replace")
        assert b"ERROR APP-RUNNING" in err
        assert wait_until(lambda: "this window comes forward" in _launcher_log(profile), 30)
        assert "running without" not in _launcher_log(profile)
        assert list(profile.user_data.glob("*.lock"))
    finally:
        first.kill()
        first.communicate()


def test_the_demo_walk_runs_in_the_polish_profile_from_pobrane_and_leaves_nothing(profile):
    """`--self-test --demo`: Regulamin, check, verified download, the stand-in unpacked in the demo's folder
    under the short %TEMP%, the ID on the session page, Rozłącz, nothing left, the demo's folder removed."""
    from launcher.demo import windows_standin

    if not windows_standin.STANDIN_EXE.is_file():
        pytest.skip(f"{windows_standin.STANDIN_EXE} was not built: scripts/build_windows_standin.py")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", OVERMAX_DEMO_JOIN_AFTER="0.5")
    proc = launcher_command("--lang", "pl", "--self-test", "--demo", cwd=profile.downloads, env=env)
    out, err = proc.communicate(timeout=300)
    text = (out + err).decode("utf-8", "replace")
    assert proc.returncode == 0, text
    assert "SELFTEST OK" in text and "nothing left running" in text, text
    assert standin_processes(profile.temp, profile.user_data) == []
    assert not list(profile.temp.glob("overmax-demo-*")), list(profile.temp.iterdir())
