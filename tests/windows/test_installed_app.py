"""The frozen Windows app as a customer gets it: the per-user setup installed silently, the installed app
run, then uninstalled, with nothing of it left.

The setup is the one `installer/windows/build-under-wine.sh` built (`scripts/windows-lane.sh build`;
`scripts/windows-lane.sh test` builds it first when OVERMAX_PACKAGING_TESTS=1, as CI does):
dist/windows/OvermaxPomocZdalna-<version>-setup.exe. The tests run in order on one installation: install,
run, uninstall. Under Wine the setup is the 64-bit one (no wine32 here); the folders are Wine's: %TEMP%
is C:\\users\\<user>\\Temp there, not AppData\\Local\\Temp.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from launcher import APP_ID, APP_NAME, __version__
from tests.support.demo_config import write_config
from tests.support.loopback_http import LoopbackServer
from tests.support.polling import wait_until
from tests.windows.built_setup import SETUP, SETUP_MARKS, setup_of_this_checkout  # noqa: F401 (autouse)
from tests.windows.registry import hkcu_key_exists
from tests.windows.served import serve_exe
from tests.windows.standin_session import answer_q_after

ROOT = Path(__file__).resolve().parents[2]
OWN_ID, CONSULTANT = "1660388656", ("1357924680", "Łukasz Żółć")
UNINST_KEY = rf"Software\Microsoft\Windows\CurrentVersion\Uninstall\{APP_ID}"
APP_KEY = rf"Software\Overmax\{APP_ID}"
# A silent uninstaller copies itself to %TEMP% and returns at once; the copy finishes in the background.
UNINSTALL_DEADLINE_S = 120
CSIDL_PROGRAMS, CSIDL_DESKTOPDIRECTORY = 0x02, 0x10

pytestmark = SETUP_MARKS


def _shell_folder(csidl: int) -> Path:
    """The folder NSIS writes $SMPROGRAMS / $DESKTOP into (SHGetFolderPathW, current user)."""
    buf = ctypes.create_unicode_buffer(260)
    if ctypes.windll.shell32.SHGetFolderPathW(None, csidl, None, 0, buf) != 0:  # type: ignore[attr-defined]
        raise OSError(f"SHGetFolderPathW({csidl:#x}) failed")
    return Path(buf.value)


def _values(path: str) -> dict[str, object]:
    import winreg

    out: dict[str, object] = {}
    with winreg.OpenKey(winreg.HKEY_CURRENT_USER, path) as key:
        for i in range(winreg.QueryInfoKey(key)[1]):
            name, value, _kind = winreg.EnumValue(key, i)
            out[name] = value
    return out


class Places:
    """Everything the setup, the app and a session may create, by the folders Windows names."""

    def __init__(self) -> None:
        local = Path(os.environ["LOCALAPPDATA"])
        self.install_dir = local / "Programs" / APP_NAME
        self.exe = self.install_dir / f"{APP_ID}.exe"
        self.cli_exe = self.install_dir / f"{APP_ID}-cli.exe"  # the console twin, for the commands
        self.uninstaller = self.install_dir / "uninstall.exe"
        self.start_menu = _shell_folder(CSIDL_PROGRAMS) / f"{APP_NAME}.lnk"
        self.desktop = _shell_folder(CSIDL_DESKTOPDIRECTORY) / f"{APP_NAME}.lnk"
        self.vendor_dir = local / "Overmax"  # data, Cache (downloaded QuickSupport), Logs
        self.user_data = self.vendor_dir / APP_ID
        # where TeamViewerQS.exe unpacks itself when another program starts it: the launcher's own copy unpacks in
        # its own folder (the app's cache), so this is never the app's to take
        self.quicksupport_unpacked = Path(os.environ["TEMP"]) / "TeamViewer"

    def left(self) -> list[str]:
        """What of the app is still there (files, shortcuts, registry keys)."""
        paths = [self.install_dir, self.start_menu, self.desktop, self.vendor_dir]
        found = [str(p) for p in paths if p.exists()]
        found += [f"HKCU\\{k}" for k in (UNINST_KEY, APP_KEY, r"Software\Overmax") if hkcu_key_exists(k)]
        return found


@pytest.fixture(scope="module")
def places() -> Places:
    found = Places()
    leftovers = found.left()
    if leftovers:  # a run that died half-way, or someone's own installation: never test over it
        pytest.fail(f"the prefix is not clean before installing: {leftovers}")
    return found


def _run(cmd: list[str], timeout: float = 300, **env: str) -> subprocess.CompletedProcess:
    full_env = dict(os.environ)
    full_env.update(env)
    # Pipes, never files: python-based programs under Wine fail at start with a file as stdout.
    return subprocess.run(cmd, capture_output=True, text=True, encoding="utf-8", errors="replace",
                          timeout=timeout, env=full_env)


@pytest.fixture(scope="module")
def installed(places: Places):
    started = time.monotonic()
    proc = _run([str(SETUP), "/S"])
    assert proc.returncode == 0, proc.stdout + proc.stderr
    print(f"installed in {time.monotonic() - started:.1f} s", file=sys.stderr)
    yield places
    # Whatever a failed test left: the uninstaller (if any) and then by hand, so the next run starts clean.
    if places.uninstaller.exists():
        _run([str(places.uninstaller), "/S"])
        _wait_until_gone(places)
    for path in (places.install_dir, places.vendor_dir):
        shutil.rmtree(path, ignore_errors=True)


def _wait_until_gone(places: Places) -> list[str]:
    deadline = time.monotonic() + UNINSTALL_DEADLINE_S
    while True:
        left = places.left()
        if not left or time.monotonic() > deadline:
            return left
        time.sleep(0.2)


def test_setup_installs_per_user_with_shortcuts_and_uninstall_entry(installed: Places) -> None:
    assert installed.exe.is_file() and installed.uninstaller.is_file()
    assert (installed.install_dir / "_internal" / "launcher" / "_resources" / "config.toml").is_file()
    assert installed.start_menu.is_file() and installed.desktop.is_file()
    entry = _values(UNINST_KEY)
    assert entry["DisplayName"] == APP_NAME
    assert entry["DisplayVersion"] == __version__
    assert Path(str(entry["InstallLocation"])) == installed.install_dir
    assert entry["QuietUninstallString"] == f'"{installed.uninstaller}" /S'
    assert int(entry["EstimatedSize"]) > 10_000  # KiB
    assert Path(str(_values(APP_KEY)["InstallDir"])) == installed.install_dir


def test_installed_app_reports_its_version(installed: Places) -> None:
    proc = _run([str(installed.exe), "version"], timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.strip() == f"{APP_NAME} {__version__}"


def _files_in(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts}


def _version_string(exe: Path, name: str) -> str:
    """One string of the exe's version resource (Explorer's Properties, Details), Polish table (041504B0)."""
    import ctypes
    from ctypes import wintypes

    version = ctypes.WinDLL("version")
    size = version.GetFileVersionInfoSizeW(str(exe), None)
    assert size, f"{exe} has no version resource"
    data = ctypes.create_string_buffer(size)
    assert version.GetFileVersionInfoW(str(exe), 0, size, data)
    value, length = ctypes.c_void_p(), wintypes.UINT()
    assert version.VerQueryValueW(data, f"\\StringFileInfo\\041504B0\\{name}", ctypes.byref(value),
                                  ctypes.byref(length)), name
    return ctypes.wstring_at(value.value, length.value).rstrip("\0")


def test_each_exe_names_itself_in_its_version_resource(installed: Places) -> None:
    """Explorer, Task Manager's details and support tools show OriginalFilename: the console twin said it was
    the window's exe."""
    for exe in (installed.exe, installed.cli_exe):
        assert _version_string(exe, "OriginalFilename") == exe.name
        assert _version_string(exe, "InternalName") == exe.stem
        assert _version_string(exe, "ProductVersion") == __version__


def _pe_subsystem(exe: Path) -> int:
    """The PE optional header's Subsystem: 2 a GUI program (cmd.exe does not wait for it), 3 a console one."""
    import struct

    data = exe.read_bytes()[:4096]
    pe = struct.unpack_from("<I", data, 0x3C)[0]
    assert data[pe:pe + 4] == b"PE\0\0"
    return struct.unpack_from("<H", data, pe + 24 + 68)[0]


def test_the_app_is_a_windowed_program_with_a_console_twin_for_the_commands(installed: Places) -> None:
    """An interactive cmd.exe does not wait for a GUI program: the commands' output came after the next
    prompt and `session` could not be ended with q. The console twin shares the app's _internal."""
    assert _pe_subsystem(installed.exe) == 2
    assert _pe_subsystem(installed.cli_exe) == 3
    for exe in (installed.exe, installed.cli_exe):
        proc = _run([str(exe), "version"], timeout=120)
        assert proc.returncode == 0 and proc.stdout.strip() == f"{APP_NAME} {__version__}", proc.stdout + proc.stderr


@pytest.mark.parametrize("which", ["exe", "cli_exe"])
def test_installed_app_says_its_errors_with_codes_and_its_own_name(installed: Places, tmp_path: Path,
                                                                   which: str) -> None:
    """A customer's typo: APP-USAGE, and the usage line names the program they started (it said
    "python -m launcher"); a missing or empty --config and a missing verify file: codes, no traceback."""
    exe = getattr(installed, which)
    proc = _run([str(exe), "--lang", "en", "--no-such-option"], timeout=120)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert proc.stderr.startswith("ERROR APP-USAGE: ")
    assert f"usage: {exe.name} [-h]" in proc.stderr
    unknown = tmp_path / "nieznany.toml"
    unknown.write_text('[hotline]\nfax = "61 000 00 00"\n', encoding="utf-8")
    for args, code in [(["--config", str(tmp_path / "brak ż.toml"), "version"], "CFG-NOT-FOUND"),
                       (["--config", "", "version"], "CFG-NOT-FOUND"),
                       (["--config", str(unknown), "version"], "CFG-INVALID"),
                       (["verify", str(tmp_path / "nie ma.exe")], "APP-NO-FILE")]:
        proc = _run([str(exe), "--lang", "en", *args], timeout=120)
        assert proc.returncode == 1 and proc.stderr.startswith(f"ERROR {code}: "), proc.stdout + proc.stderr
        assert "Traceback" not in proc.stdout + proc.stderr
        if code == "CFG-INVALID":
            assert "unknown keys: hotline.fax" in proc.stderr  # unknown keys are named


def test_the_console_twin_says_polish_errors_in_utf8_through_a_pipe(installed: Places, tmp_path: Path) -> None:
    """Without PYTHONUTF8 (a customer's Windows has none) a pipe's default is the ANSI code page (cp1250);
    a script reading the console twin's output still gets every Polish letter as UTF-8, exit 1."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONUTF8", "PYTHONIOENCODING")}
    missing = tmp_path / "nie ma żółć.exe"
    proc = subprocess.run([str(installed.cli_exe), "--lang", "pl", "verify", str(missing)], capture_output=True,
                          stdin=subprocess.DEVNULL, timeout=120, env=env)
    assert proc.returncode == 1 and proc.stdout == b""
    err = proc.stderr.decode("utf-8")  # strict
    assert err.startswith("ERROR APP-NO-FILE: Nie ma pliku wskazanego w poleceniu. Sprawdź ścieżkę do pliku"), err
    assert f"({missing}: no such file)" in err


def test_the_console_twin_doctor_prints_one_line_per_probe_exit_0_only_if_all_pass(installed: Places,
                                                                                     tmp_path: Path) -> None:
    import socket

    with LoopbackServer() as server, socket.socket() as nobody:
        url = server.serve("/quicksupport.json", b"{}")
        port = int(url.split(":")[2].split("/")[0])
        nobody.bind(("127.0.0.1", 0))  # a port nobody listens on: TeamViewer's network "blocked"
        for probe_port, code in ((port, 0), (nobody.getsockname()[1], 1)):
            config = write_config(tmp_path / f"doctor-{code}.toml", {
                "download": {"allowed_hosts": ["127.0.0.1"]},
                "connectivity": {"timeout_s": 2, "probes": [{"name": "download", "url": url},
                                                            {"name": "teamviewer", "host": "127.0.0.1",
                                                             "ports": [probe_port]}]},
                "paths": {"data_dir": str(tmp_path / "dane")}})
            proc = _run([str(installed.cli_exe), "--lang", "en", "doctor", "--config", str(config)], timeout=120)
            assert proc.returncode == code, proc.stdout + proc.stderr
            lines = proc.stdout.splitlines()
            assert [line.split()[1] for line in lines] == ["dns", "download", "teamviewer"], lines
            if code == 0:
                assert all(line.startswith("OK   ") for line in lines) and proc.stderr == "", proc.stdout + proc.stderr
            else:
                assert lines[2].startswith("FAIL teamviewer") and "NET-TV-BLOCKED" in lines[2], lines
                assert proc.stderr.startswith("ERROR NET-TV-BLOCKED: "), proc.stderr


def test_installed_app_passes_its_self_test(installed: Places) -> None:
    proc = _run([str(installed.exe), "--self-test"], timeout=300, QT_QPA_PLATFORM="offscreen")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "SELFTEST OK" in proc.stdout
    assert "ok 6 pages painted" in proc.stdout
    assert "ok 19 automation names" in proc.stdout  # every objectName DESIGN.md lists, with its accessibleName
    assert "(frozen, Python 3.11" in proc.stdout and "win32" in proc.stdout
    # Windows' own peak working set: Linux's /proc/self/status, read through Wine's Z: drive, said 9 MiB
    fields = dict(kv.split("=", 1) for kv in proc.stdout.split("SELFTEST OK", 1)[1].split())
    assert int(fields["peak_rss_kib"]) > 30_000, fields  # a process with Qt's widgets: tens of MiB


def test_installed_app_walks_the_demo_with_its_bundled_standin(installed: Places) -> None:
    """--self-test --demo: Regulamin, check, verified download of the bundled PE stand-in, ID, Rozłącz."""
    proc = _run([str(installed.exe), "--self-test", "--demo"], timeout=300, QT_QPA_PLATFORM="offscreen",
                OVERMAX_DEMO_JOIN_AFTER="0.5", OVERMAX_DEMO_MAX_SECONDS="120")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "SELFTEST OK" in proc.stdout


@pytest.fixture
def signed_standin(lane_dir: Path) -> bytes:
    """The Windows stand-in signed as TeamViewer by the lane's test root (trusted in the prefix)."""
    exe = lane_dir / "standin" / "TeamViewerQS.exe"
    if not exe.is_file():
        pytest.skip("the signed stand-in was not built: run the suite with scripts/windows-lane.sh test")
    return exe.read_bytes()


def _start_installed_session(installed: Places, server: LoopbackServer, signed_standin: bytes, tmp_path: Path, *,
                             leave_after: str, max_seconds: str) -> subprocess.Popen:
    """The installed console twin's `session` (English, pipes for input and output) against `server` serving the
    signed stand-in, in the app's own per-user folders (%LOCALAPPDATA%\\Overmax\\OvermaxPomocZdalna); the
    consultant joins after half a second and leaves after `leave_after` seconds (-1: stays)."""
    overrides = serve_exe(server, signed_standin, tmp_path / "unused").overrides()
    del overrides["paths"]
    config = write_config(tmp_path / "session.toml", overrides)
    env = dict(os.environ, OVERMAX_DEMO_ID=OWN_ID, OVERMAX_DEMO_SUPPORTER_ID=CONSULTANT[0],
               OVERMAX_DEMO_SUPPORTER_NAME=CONSULTANT[1], OVERMAX_DEMO_JOIN_AFTER="0.5",
               OVERMAX_DEMO_LEAVE_AFTER=leave_after, OVERMAX_DEMO_MAX_SECONDS=max_seconds)
    return subprocess.Popen([str(installed.cli_exe), "--lang", "en", "session", "--config", str(config)],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            encoding="utf-8", env=env)


def test_installed_app_runs_a_session_and_leaves_nothing_running(installed: Places, signed_standin: bytes,
                                                                   tmp_path: Path) -> None:
    """`session` of the installed app against a loopback server with a signed manifest and the signed
    stand-in, in the app's own per-user folders (the uninstaller must clear its cache afterwards)."""
    as_installed = _files_in(installed.install_dir)
    temp_before = _files_in(installed.quicksupport_unpacked) if installed.quicksupport_unpacked.is_dir() else None
    with LoopbackServer() as server:
        proc = _start_installed_session(installed, server, signed_standin, tmp_path, leave_after="1.5",
                                        max_seconds="120")
        # until the session has ended (DESIGN.md's last event line) or the command ended by itself: then q
        lines, out, err = answer_q_after(proc, lambda line: line == "ENDED")
    lines += out.splitlines()
    assert proc.returncode == 0, "\n".join(lines) + err
    # the program folder holds what the setup put there, nothing a run wrote (comtypes wrote its generated
    # UI Automation wrappers into _internal/comtypes/gen while the password was read)
    assert _files_in(installed.install_dir) == as_installed
    assert any(x.startswith("VERIFIED 15.99.0 sha256=") for x in lines), lines
    assert "ID 1 660 388 656" in lines and "ONLINE" in lines, lines
    order = [lines.index(x) for x in ("STARTED", "ID 1 660 388 656", f"JOINED {CONSULTANT[0]} {CONSULTANT[1]}",
                                      "LEFT", "ENDED", "STOPPING q")]
    assert order == sorted(order), lines
    assert lines[-1] == "STOPPED QuickSupport ended, nothing of it is left running; the consultant cannot reconnect."
    assert (installed.user_data / "Cache").is_dir()  # the verified download: the uninstaller must take it
    # QuickSupport unpacked itself into its own folder under Cache\run, gone with it: nothing in the user's Temp
    after = _files_in(installed.quicksupport_unpacked) if installed.quicksupport_unpacked.is_dir() else None
    assert after == temp_before
    assert list((installed.user_data / "Cache" / "run").glob("qs-*")) == []
    # the files DESIGN.md's per-user folders hold: the log and the highest manifest serial accepted
    assert (installed.user_data / "Logs" / "launcher.log").is_file()
    assert '"highest_serial": 1' in (installed.user_data / "manifest_state.json").read_text(encoding="utf-8")


def _nsis_uninstallers() -> list:
    """The silent uninstaller's copy that does the work (started from %TEMP% with `_?=<install folder>`)."""
    import psutil

    from launcher.core.quicksupport.process import process_info

    return [p for p in psutil.process_iter()
            if any(str(arg).startswith("_?=") for arg in (process_info(p, ("cmdline",))["cmdline"] or []))]


def test_uninstall_and_setup_while_a_session_runs_change_nothing(installed: Places, signed_standin: bytes,
                                                                   tmp_path: Path) -> None:
    """The customer finds "Odinstaluj" (or runs the setup again) while the consultant is connected: a running
    program's files cannot be removed or replaced on Windows, so the uninstaller must not start removing (half
    an app left, the session's QuickSupport cache pulled away), and the setup must not half-overwrite it. Both
    give up (silently: /S), the session goes on, q ends it with nothing left."""
    with LoopbackServer() as server:
        proc = _start_installed_session(installed, server, signed_standin, tmp_path, leave_after="-1",
                                        max_seconds="300")
        before = sorted(str(p.relative_to(installed.install_dir)) for p in installed.install_dir.rglob("*"))
        cache = sorted(p.name for p in (installed.user_data / "Cache").rglob("*"))

        def meanwhile(line: str) -> bool:
            if not line.startswith("JOINED "):
                return False
            uninstall = _run([str(installed.uninstaller), "/S"])
            assert uninstall.returncode == 0, uninstall.stdout + uninstall.stderr  # its copy does the work
            assert wait_until(lambda: not _nsis_uninstallers(), UNINSTALL_DEADLINE_S)
            setup = _run([str(SETUP), "/S"])
            assert setup.returncode == 2, setup.stdout + setup.stderr  # NSIS: aborted by the script
            assert proc.poll() is None, "the session ended while the setup ran"
            return True

        lines, out, err = answer_q_after(proc, meanwhile)
    lines += out.splitlines()
    assert proc.returncode == 0, "\n".join(lines) + err
    assert "STOPPING q" in lines and lines[-1].startswith("STOPPED "), lines
    assert sorted(str(p.relative_to(installed.install_dir)) for p in installed.install_dir.rglob("*")) == before
    assert set(cache) <= {p.name for p in (installed.user_data / "Cache").rglob("*")}
    assert installed.start_menu.is_file() and hkcu_key_exists(UNINST_KEY)


def test_uninstall_leaves_nothing_and_takes_nothing_of_others(installed: Places) -> None:
    """Nothing of the app is left; a QuickSupport that another program unpacked in the user's Temp (the uninstaller
    removed %TEMP%\\TeamViewer, which the launcher no longer uses) is not the app's and stays."""
    assert installed.user_data.is_dir(), "the app left no data for the uninstaller to remove"
    others = installed.quicksupport_unpacked / "TeamViewer.exe"
    planted = not installed.quicksupport_unpacked.exists()
    if planted:
        installed.quicksupport_unpacked.mkdir(parents=True)
        others.write_bytes(b"MZ another program's QuickSupport")
    try:
        started = time.monotonic()
        proc = _run([str(installed.uninstaller), "/S"])
        assert proc.returncode == 0, proc.stdout + proc.stderr
        left = _wait_until_gone(installed)
        print(f"uninstalled in {time.monotonic() - started:.1f} s", file=sys.stderr)
        assert left == []
        assert installed.quicksupport_unpacked.is_dir()
        if planted:
            assert others.read_bytes() == b"MZ another program's QuickSupport"
    finally:
        if planted:
            shutil.rmtree(installed.quicksupport_unpacked, ignore_errors=True)
