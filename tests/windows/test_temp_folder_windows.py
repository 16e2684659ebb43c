"""QuickSupport's temporary folder. QuickSupport for Windows is a self-extractor: it unpacks itself into Windows'
temporary folder (GetTempPathW: %TMP%, else %TEMP%) as `TeamViewer\\` and runs TeamViewer.exe from there. The
user's own Temp is shared with every earlier run and anything else of this user (a TeamViewer.exe planted there,
or held open so the unpack cannot replace it, is what would run), and it kept what was unpacked after the session.
So the launcher gives QuickSupport a TMP and TEMP of its own: a new folder inside the folder it made for it
(launch.PRIVATE_TEMP), removed with it. The real `session` command and the core session, the signed stand-in
(which unpacks itself through GetTempPathW as the real one does).

What is proved here: the stand-in's TeamViewer.exe and its helper run from inside that folder and nothing is
written into the user's %TEMP%; a TeamViewer.exe planted (and held open) in the user's %TEMP%\\TeamViewer is never
run nor touched; a user's Temp that is missing, a file, on a drive that is gone or full no longer stops the
session (it was QS-TEMP); QS-TEMP now means QuickSupport's own folder's drive has no room, and nothing starts then.
"""

from __future__ import annotations

import ctypes
import os
import subprocess
import sys
from ctypes import wintypes as wt
from pathlib import Path

import psutil
import pytest

from launcher.core.download import open_verified
from launcher.core.errors import LauncherError
from launcher.core.fetch import fetch_quicksupport
from launcher.core.fsutil import free_bytes
from launcher.core.paths import app_paths
from launcher.core.quicksupport.launch import PRIVATE_TEMP, prepare
from launcher.core.quicksupport.process import process_info
from launcher.core.quicksupport.session import MIN_FREE_BYTES, QuickSupportSession
from tests.windows.served import serve_exe
from tests.windows.test_session_windows import (  # noqa: F401 - fixtures
    check_session_lines,
    home,
    qs_processes,
    run_session_command,
    server,
    standin_processes,
)

pytestmark = pytest.mark.skipif(sys.platform != "win32", reason="the Windows suite: scripts/windows-lane.sh test")

LOG_NAME = "TeamViewer15_Logfile.log"
REPO = Path(__file__).resolve().parents[2]


def _config(server, standin_dir: Path, home: dict[str, Path], tmp_path: Path) -> Path:  # noqa: F811
    served = serve_exe(server, (standin_dir / "TeamViewerQS.exe").read_bytes(), home["data"])
    return served.config_file(tmp_path / "konfiguracja.toml")


def _app_paths_in_log(home: dict[str, Path]) -> list[Path]:  # noqa: F811
    """The program paths the stand-in's TeamViewer.exe runs wrote into its log header (`AppPath: ...`): one per
    TeamViewer.exe that ran, whatever copy of it that was."""
    log = home["APPDATA"] / "TeamViewer" / LOG_NAME
    text = log.read_bytes().decode("utf-8", "replace") if log.is_file() else ""
    return [Path(line.split(":", 1)[1].strip()) for line in text.splitlines() if line.startswith("AppPath:")]


def _program(proc: psutil.Process) -> Path:
    return Path(str((process_info(proc, ("cmdline",))["cmdline"] or [""])[0]))


def _nothing_left(home: dict[str, Path]) -> None:  # noqa: F811
    assert qs_processes(home) == []
    assert list((home["data"] / "run").glob("qs-*")) == []  # its own folder, and Temp inside it, gone
    assert not (home["TEMP"] / "TeamViewer").exists()


# ---------------------------------------------------------------- where QuickSupport unpacks itself and runs


def test_quicksupport_runs_from_its_own_temporary_folder_and_leaves_nothing_after_q(
        server, standin_dir, home, tmp_path, monkeypatch):  # noqa: F811
    monkeypatch.setenv("OVERMAX_DEMO_LEAVE_AFTER", "-1")  # the consultant stays: q ends it
    config = _config(server, standin_dir, home, tmp_path)
    proc = subprocess.Popen([sys.executable, "-m", "launcher", "--lang", "en", "session", "--config", str(config)],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            encoding="utf-8", cwd=REPO, env=dict(os.environ, PYTHONUTF8="1"))
    lines: list[str] = []
    try:
        while (line := proc.stdout.readline()) and not line.startswith("JOINED "):
            lines.append(line.rstrip("\n"))
        lines.append(line.rstrip("\n"))
        # while the consultant is connected: every program of QuickSupport's runs from inside its own folder
        (root,) = [p for p in (home["data"] / "run").glob("qs-*") if p.is_dir()]
        unpacked = root / PRIVATE_TEMP / "TeamViewer"
        running = qs_processes(home)
        assert sorted(_program(p).name for p in running) == ["TeamViewer.exe", "tv_x64.exe"], running
        assert {_program(p).parent for p in running} == {unpacked}
        assert not (home["TEMP"] / "TeamViewer").exists() and list(home["TEMP"].iterdir()) == []
        assert _app_paths_in_log(home) == [unpacked / "TeamViewer.exe"]
        proc.stdin.write("q\n")
        proc.stdin.flush()
        out, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, "\n".join(lines) + out + err
    all_lines = check_session_lines("\n".join(lines) + "\n" + out)
    assert "STOPPING q" in all_lines
    _nothing_left(home)
    assert list(home["TEMP"].iterdir()) == []


# CreateFileW for a file held open as another program holds it: read, shared for reading only, so that the
# unpack of an earlier design (CopyFileW over it) failed; CloseHandle lets go.
GENERIC_READ, FILE_SHARE_READ, OPEN_EXISTING = 0x80000000, 0x1, 3
INVALID_HANDLE = wt.HANDLE(-1).value


def _kernel32():  # noqa: ANN202 - Windows' ctypes: loaded where the test runs
    return ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined]


def _hold_open(path: Path) -> int:
    kernel32 = _kernel32()
    kernel32.CreateFileW.restype = wt.HANDLE
    kernel32.CreateFileW.argtypes = [wt.LPCWSTR, wt.DWORD, wt.DWORD, ctypes.c_void_p, wt.DWORD, wt.DWORD, wt.HANDLE]
    handle = kernel32.CreateFileW(str(path), GENERIC_READ, FILE_SHARE_READ, None, OPEN_EXISTING, 0, None)
    assert handle not in (None, INVALID_HANDLE), ctypes.get_last_error()
    return handle


def test_a_teamviewer_exe_planted_in_the_users_temp_is_never_run_nor_touched(
        server, standin_dir, home, tmp_path):  # noqa: F811
    """A TeamViewer.exe (and a DLL) left or planted in the user's %TEMP%\\TeamViewer, held open by another program:
    a copy of the unsigned stand-in, which writes its own path into the log when it runs (the marker). The session
    runs all the same, only the verified copy in QuickSupport's own folder ran, the planted files are as they
    were."""
    config = _config(server, standin_dir, home, tmp_path)
    planted = home["TEMP"] / "TeamViewer"
    planted.mkdir()
    (planted / "TeamViewer.exe").write_bytes((standin_dir / "TeamViewerQS-unsigned.exe").read_bytes())
    (planted / "tv_x64.exe").write_bytes((standin_dir / "TeamViewerQS-unsigned.exe").read_bytes())
    (planted / "TeamViewer_Resource_pl.dll").write_bytes(b"MZ planted")
    before = {p.name: p.read_bytes() for p in planted.iterdir()}
    handle = _hold_open(planted / "TeamViewer.exe")
    try:
        proc = run_session_command(config, "--for", "4", "--no-input")
    finally:
        _kernel32().CloseHandle(wt.HANDLE(handle))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    check_session_lines(proc.stdout)
    ran = _app_paths_in_log(home)
    assert len(ran) == 1 and ran[0].parent.parent.name == PRIVATE_TEMP, ran  # the verified copy, in its own folder
    assert ran[0].parent.parent.parent.parent == home["data"] / "run"
    assert {p.name: p.read_bytes() for p in planted.iterdir()} == before
    assert qs_processes(home) == [] and list((home["data"] / "run").glob("qs-*")) == []


# ---------------------------------------------------------------- the user's own Temp broken: help all the same


@pytest.mark.parametrize("where", ["deleted by a cleaning tool", "a drive that is gone", "a file",
                                   "a folder under one that is gone"])
def test_a_users_temp_folder_that_cannot_be_used_no_longer_stops_the_session(server, standin_dir, home,  # noqa: F811
                                                                             tmp_path, monkeypatch, where):
    """It was QS-TEMP before anything started (and a Temp a cleaning tool deleted was made again behind the
    customer's back): QuickSupport unpacked itself there. Now the session runs, and nothing is made there."""
    config = _config(server, standin_dir, home, tmp_path)
    if where == "deleted by a cleaning tool":
        home["TEMP"].rmdir()
        temp = str(home["TEMP"])
    elif where == "a drive that is gone":
        temp = "R:\\Temp"
    elif where == "a file":
        (tmp_path / "Temp ż").write_bytes(b"not a folder")
        temp = str(tmp_path / "Temp ż")
    else:
        temp = str(tmp_path / "usunięty profil" / "AppData" / "Local" / "Temp")
    monkeypatch.setenv("TEMP", temp)
    monkeypatch.setenv("TMP", temp)
    proc = run_session_command(config, "--for", "4", "--no-input")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    check_session_lines(proc.stdout)
    assert "Traceback" not in proc.stderr
    assert not Path(temp).is_dir()  # nothing made where it was missing
    assert standin_processes(home["data"], Path(temp)) == []
    assert list((home["data"] / "run").glob("qs-*")) == []


def test_a_users_temp_on_a_full_drive_of_its_own_no_longer_stops_the_session(server, standin_dir, home,  # noqa: F811
                                                                             tmp_path, monkeypatch):
    """%TEMP% on a drive of its own (a RAM disk, a second disk) that is full, while the data folder's drive has
    room: it was QS-TEMP. A real full tmpfs, seen through Wine's Z:: untouched by the session."""
    from tests.support.tmpfs import fill_up
    from tests.windows.unix_tmpfs import mounted_tmpfs

    config = _config(server, standin_dir, home, tmp_path)
    with mounted_tmpfs() as drive:
        temp = drive / "Temp"
        temp.mkdir()
        monkeypatch.setenv("TEMP", str(temp))
        monkeypatch.setenv("TMP", str(temp))
        filler = fill_up(drive)
        proc = run_session_command(config, "--for", "4", "--no-input")
        assert proc.returncode == 0, proc.stdout + proc.stderr
        check_session_lines(proc.stdout)
        assert sorted(p.name for p in drive.iterdir()) == ["Temp", filler.name] and not any(temp.iterdir())
        assert standin_processes(home["data"], temp) == []


# ---------------------------------------------------------------- QS-TEMP: no room for QuickSupport's own folder


def test_no_room_on_the_drive_of_quicksupports_own_folder_is_qs_temp_and_nothing_starts_or_stays(
        server, standin_dir, home, monkeypatch):  # noqa: F811
    """The data folder on a drive of its own (config's data_dir) with room for the download and QuickSupport's
    copy but not for what it unpacks and the room a running session keeps: QS-TEMP before anything starts (the
    copy alone as the threshold let it start, and the session was ended at once: QS-DISK-FULL). A real tmpfs
    through Wine's Z:, filled after the copy was made to leave room between those two thresholds."""
    from tests.windows.unix_tmpfs import mounted_tmpfs

    with mounted_tmpfs(2 * 1024 * 1024) as drive:
        data = drive / "dane"
        served = serve_exe(server, (standin_dir / "TeamViewerQS.exe").read_bytes(), data)
        config = served.config()
        paths = app_paths(config.paths.data_dir).ensure()
        verified = fetch_quicksupport(config, paths)
        prepared = prepare(verified.path, verified.artifact, paths.runtime, open_verified)
        session = QuickSupportSession(prepared, id_timeout_s=60)
        size = prepared.unpack_bytes
        assert size is not None and size > 16 * 1024
        free = free_bytes(drive)
        assert free is not None
        (drive / "ballast.bin").write_bytes(b"\0" * (free - MIN_FREE_BYTES - size // 2))  # copy: no; session: yes
        assert MIN_FREE_BYTES < free_bytes(drive) < session.temp_room_needed()
        with pytest.raises(LauncherError) as info:
            session.start()
        assert info.value.code == "QS-TEMP", info.value.detail
        assert str(prepared.temp_dir) in info.value.detail and "bytes free on its drive" in info.value.detail
        assert session.pids == [] and standin_processes(data, home["TEMP"]) == []
        assert not prepared.root.exists() and list(paths.runtime.glob("qs-*")) == []
