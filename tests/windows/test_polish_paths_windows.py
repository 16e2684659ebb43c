"""Paths a Polish customer really has, on Windows: a profile named with Polish letters and a space
(C:\\Users\\Łukasz Żółć), %TEMP% under it in its 8.3 short form (Windows writes TEMP so when the profile's
name is not a valid 8.3 name: C:\\Users\\UKASZ~1\\AppData\\Local\\Temp), folders redirected elsewhere
(OneDrive, folder redirection), a launcher started from Pobrane (Downloads) with the current folder elsewhere.
"""

from __future__ import annotations

import ctypes
import os
from pathlib import Path

import psutil
import pytest

from launcher.core.download import open_verified
from launcher.core.fetch import fetch_quicksupport
from launcher.core.paths import app_paths
from launcher.core.quicksupport.launch import prepare
from launcher.core.quicksupport.process import process_info
from launcher.core.quicksupport.session import QuickSupportSession
from tests.support.loopback_http import LoopbackServer
from tests.support.polling import poll_until, wait_until
from tests.windows.served import serve_exe
from tests.windows.standin_session import set_customer_home

PROFILE = "Łukasz Żółć"


def short_path(path: Path) -> str:
    """`path` in its 8.3 short form (GetShortPathNameW); the long form where the volume makes no short names."""
    buf = ctypes.create_unicode_buffer(32768)
    n = ctypes.windll.kernel32.GetShortPathNameW(str(path), buf, len(buf))  # type: ignore[attr-defined]
    return buf.value if 0 < n < len(buf) else str(path)


def long_path(path: str) -> str:
    buf = ctypes.create_unicode_buffer(32768)
    n = ctypes.windll.kernel32.GetLongPathNameW(path, buf, len(buf))  # type: ignore[attr-defined]
    return buf.value if 0 < n < len(buf) else path


@pytest.fixture(scope="session")
def standin_dir(lane_dir: Path) -> Path:
    folder = lane_dir / "standin"
    if not (folder / "TeamViewerQS.exe").is_file():
        pytest.skip("the signed stand-in was not built: run the suite with scripts/windows-lane.sh test")
    return folder


@pytest.fixture
def server():
    with LoopbackServer() as srv:
        yield srv


@pytest.fixture
def profile(tmp_path: Path) -> Path:
    folder = tmp_path / "Users" / PROFILE
    folder.mkdir(parents=True)
    return folder


def standin_processes(temp: Path) -> list[psutil.Process]:
    """Alive processes whose program lies in %TEMP%\\TeamViewer, however the path is written (long or 8.3)."""
    unpacked = os.path.normcase(long_path(str(temp / "TeamViewer")))
    found = []
    for proc in psutil.process_iter():
        cmdline = process_info(proc, ("cmdline",))["cmdline"] or []
        if cmdline and os.path.normcase(long_path(str(cmdline[0]))).startswith(unpacked + os.sep):
            found.append(proc)
    return found


@pytest.fixture
def short_temp_home(profile: Path, monkeypatch: pytest.MonkeyPatch):
    """%TEMP% and %TMP% as Windows writes them for this profile: in 8.3 short form."""
    folders = {"TEMP": profile / "AppData" / "Local" / "Temp", "APPDATA": profile / "AppData" / "Roaming",
               "LOCALAPPDATA": profile / "AppData" / "Local"}
    set_customer_home(monkeypatch, folders)
    short = short_path(folders["TEMP"])
    if short == str(folders["TEMP"]):
        pytest.skip("this volume makes no 8.3 short names")
    monkeypatch.setenv("TEMP", short)
    monkeypatch.setenv("TMP", short)
    folders["data"] = profile / "AppData" / "Local" / "Overmax" / "OvermaxPomocZdalna"
    yield folders
    for proc in standin_processes(folders["TEMP"]):
        proc.kill()


def test_rozlacz_ends_teamviewer_exe_unpacked_under_a_short_8dot3_temp(server, standin_dir, short_temp_home):
    home = short_temp_home
    served = serve_exe(server, (standin_dir / "TeamViewerQS.exe").read_bytes(), home["data"])
    config = served.config()
    paths = app_paths(config.paths.data_dir).ensure()
    verified = fetch_quicksupport(config, paths)
    prepared = prepare(verified.path, verified.artifact, paths.runtime, open_verified)
    session = QuickSupportSession(prepared, id_timeout_s=60)
    session.start()
    try:
        kinds = [e.kind for e in poll_until(session, "id", 60)]
        assert "id" in kinds, kinds
        # TeamViewerQS.exe has handed over to %TEMP%\TeamViewer\TeamViewer.exe and exited
        assert wait_until(lambda: session._proc.poll() is not None, 30)  # noqa: SLF001
        assert wait_until(lambda: len(standin_processes(home["TEMP"])) >= 2, 30)
        running = {p.pid for p in standin_processes(home["TEMP"])}
        assert running <= set(session.pids)  # the folder net sees TeamViewer.exe, however %TEMP% is written
    finally:
        session.stop()
    assert standin_processes(home["TEMP"]) == []
    assert session.pids == []
