"""The command line as a hostile Windows user meets it: config files as Windows editors and shells hand them
over (BOM, UTF-16, CRLF, a folder, a device name, a name Windows refuses, an empty --config, Polish letters
and spaces, a path longer than MAX_PATH), `verify` of the operator's own file (kept, and said to be kept),
and `session --demo` leaving nothing of its throw-away folder in %TEMP%.

Each answer is a stable code and plain words, never a traceback; every case runs the real entry point in a
Windows Python of its own.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from launcher.demo import windows_standin
from launcher.demo.session import DEMO_PREFIX
from tests.support.loopback_http import LoopbackServer
from tests.windows.served import serve_exe
from tests.windows.standin_session import DEMO_OPTIONS

pytestmark = pytest.mark.skipif(sys.platform != "win32", reason="the Windows suite: scripts/windows-lane.sh test")

REPO = Path(__file__).resolve().parents[2]
CONFIG = "[session]\nmax_minutes = 5\n"


def run_cli(args: list[str], env_extra: dict[str, str] | None = None,
            code: str | None = None) -> subprocess.CompletedProcess[str]:
    """`python -m launcher ARGS` (or `python -c CODE ARGS`) with output as UTF-8 pipes and no input."""
    env = dict(os.environ, PYTHONUTF8="1", PYTHONIOENCODING="utf-8", QT_QPA_PLATFORM="offscreen",
               **(env_extra or {}))
    head = ["-c", code] if code else ["-m", "launcher"]
    return subprocess.run([sys.executable, *head, *args], cwd=REPO, env=env, capture_output=True, text=True,
                          encoding="utf-8", stdin=subprocess.DEVNULL, timeout=180)


def check_error(proc: subprocess.CompletedProcess[str], code: str) -> str:
    """The first stderr line of a failure with `code`, English, exit 1, no traceback."""
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert proc.stderr.startswith(f"ERROR {code}: "), proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    return proc.stderr.splitlines()[0]


# ---------------------------------------------------------------- --config as Windows hands it over


def _long_folder(tmp_path: Path) -> Path:
    """A folder whose path is longer than MAX_PATH (260), made through the \\\\?\\ prefix."""
    folder = Path("\\\\?\\" + str(tmp_path)).joinpath(*["katalog ż " + "a" * 50] * 5)
    os.makedirs(folder)
    return folder


ENCODINGS = {
    "bom.toml": lambda text: b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode(),  # "UTF-8 with BOM", CRLF
    "utf16.toml": lambda text: text.replace("\n", "\r\n").encode("utf-16"),  # Notepad's "Unicode" (LE, BOM)
    "utf16be.toml": lambda text: b"\xfe\xff" + text.encode("utf-16-be"),
    "cr only.toml": lambda text: text.replace("\n", "\r").encode(),
    "Zażółć gęślą jaźń.toml": lambda text: text.encode(),
}


@pytest.mark.parametrize("name", sorted(ENCODINGS))
def test_a_config_as_windows_editors_save_it_is_read(tmp_path: Path, name: str) -> None:
    path = tmp_path / "Łukasz Żółć" / name
    path.parent.mkdir()
    path.write_bytes(ENCODINGS[name](CONFIG))
    proc = run_cli(["--lang", "en", "--config", str(path), "version"])
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("Overmax Pomoc Zdalna ")
    # read, not skipped: the same file with a wrong value is refused naming the key
    path.write_bytes(ENCODINGS[name](CONFIG.replace("5", '"pięć"')))
    refused = run_cli(["--lang", "en", "--config", str(path), "version"])
    check_error(refused, "CFG-INVALID")
    assert "session.max_minutes has the wrong type" in refused.stderr


def _long_paths_enabled() -> bool:
    """Windows opens paths longer than MAX_PATH without the \\\\?\\ prefix only where LongPathsEnabled is set
    (python.exe is long-path aware); Wine always does."""
    import winreg

    from tests.windows.conftest import IS_WINE

    try:
        with winreg.OpenKey(winreg.HKEY_LOCAL_MACHINE, r"SYSTEM\CurrentControlSet\Control\FileSystem") as key:
            return IS_WINE or winreg.QueryValueEx(key, "LongPathsEnabled")[0] == 1
    except OSError:
        return IS_WINE


def test_a_config_beyond_max_path_is_read_or_said_to_be_missing(tmp_path: Path) -> None:
    path = _long_folder(tmp_path) / "konfiguracja ł.toml"
    path.write_bytes(CONFIG.encode())
    plain = str(path).removeprefix("\\\\?\\")  # as a customer types it
    assert len(plain) > 260
    proc = run_cli(["--lang", "en", "--config", plain, "version"])
    if _long_paths_enabled():
        assert proc.returncode == 0, proc.stderr
    else:
        check_error(proc, "CFG-NOT-FOUND")
    proc = run_cli(["--lang", "en", "--config", str(path), "version"])  # the \\?\ form works everywhere
    assert proc.returncode == 0, proc.stderr


@pytest.mark.parametrize("config, code", [
    ("", "CFG-NOT-FOUND"),  # an unset variable in a batch file: never ignored, also by `version`
    ("{tmp}\\nie ma mnie.toml", "CFG-NOT-FOUND"),
    ("\\\\serwer-ktorego-nie-ma\\udział\\c.toml", "CFG-NOT-FOUND"),  # a UNC path to nowhere
    ("{tmp}", "CFG-INVALID"),  # a folder
    ("NUL", "CFG-INVALID"),  # Windows' device names are no config files
    ("CON", "CFG-INVALID"),
    ("{tmp}\\a<b.toml", "CFG-INVALID"),  # a name Windows refuses (ERROR_INVALID_NAME)
    ("{tmp}\\huge.toml", "CFG-INVALID"),  # far larger than any config
])
@pytest.mark.parametrize("command", [["version"], ["verify", "{tmp}\\any.exe"]])  # version's own path; the rest's
def test_a_config_that_cannot_be_one_is_a_code_for_every_command(tmp_path: Path, config: str, code: str,
                                                                   command: list[str]) -> None:
    (tmp_path / "huge.toml").write_bytes(b"# " + b"x" * (3 << 20) + b"\n")
    (tmp_path / "any.exe").write_bytes(b"MZ")
    args = ["--lang", "en", "--config", config.format(tmp=tmp_path), *(a.format(tmp=tmp_path) for a in command)]
    check_error(run_cli(args), code)


def test_a_config_another_program_holds_is_app_file_unreadable_not_invalid(tmp_path: Path) -> None:
    """An editor or a scanner with the file open without sharing: the file is fine, only unreadable now."""
    from tests.windows.winapi import LockedFile

    path = tmp_path / "konfiguracja.toml"
    path.write_bytes(CONFIG.encode())
    with LockedFile(path):
        first = check_error(run_cli(["--lang", "en", "--config", str(path), "version"]), "APP-FILE-UNREADABLE")
    assert "Close the program that uses it" in first
    assert run_cli(["--lang", "en", "--config", str(path), "version"]).returncode == 0  # once it is free


# ---------------------------------------------------------------- verify FILE: the operator's file stays


@pytest.fixture
def server():
    with LoopbackServer() as srv:
        yield srv


def test_verify_of_a_different_file_keeps_it_and_says_so(server, signed_dir: Path, tmp_path: Path) -> None:
    served = serve_exe(server, (signed_dir / "tv-signed.exe").read_bytes(), tmp_path / "dane ż")
    config = served.config_file(tmp_path / "c.toml")
    mine = tmp_path / "Pobrane ą" / "TeamViewerQS.exe"
    mine.parent.mkdir()
    for body in [(signed_dir / "tv-tampered.exe").read_bytes(), b"MZ short"]:  # same size / another size
        mine.write_bytes(body)
        first = check_error(run_cli(["--lang", "en", "--config", str(config), "verify", str(mine)]),
                            "APP-VERIFY-MISMATCH")
        assert "was not deleted" in first and "was deleted" not in first.replace("was not deleted", "")
        assert mine.read_bytes() == body


def test_verify_of_the_right_bytes_without_the_publishers_signature_keeps_the_file(
        server, signed_dir: Path, tmp_path: Path) -> None:
    """The manifest names these very bytes, but WinVerifyTrust's signer is not TeamViewer: refused, kept."""
    body = (signed_dir / "wrong-signed.exe").read_bytes()
    served = serve_exe(server, body, tmp_path / "dane")
    mine = tmp_path / "qs.exe"
    mine.write_bytes(body)
    proc = run_cli(["--config", str(served.config_file(tmp_path / "c.toml")), "--lang", "pl", "verify", str(mine)])
    first = check_error(proc, "APP-VERIFY-PUBLISHER")
    assert "nie ma podpisu producenta TeamViewer" in first and "plik nie został usunięty" in first
    assert mine.read_bytes() == body


def test_verify_of_a_file_a_scanner_holds_is_app_file_unreadable(server, signed_dir: Path, tmp_path: Path) -> None:
    from tests.windows.winapi import LockedFile

    body = (signed_dir / "tv-signed.exe").read_bytes()
    served = serve_exe(server, body, tmp_path / "dane")
    mine = tmp_path / "qs.exe"
    mine.write_bytes(body)
    with LockedFile(mine):
        proc = run_cli(["--lang", "en", "--config", str(served.config_file(tmp_path / "c.toml")), "verify",
                        str(mine)])
    check_error(proc, "APP-FILE-UNREADABLE")
    assert mine.read_bytes() == body


# ---------------------------------------------------------------- session --demo: nothing left in %TEMP%


def test_session_demo_leaves_no_demo_folder_in_temp(lane_dir: Path, tmp_path: Path) -> None:
    """The demo's folder holds the session's launcher.log, open until the end: Windows deletes no open file,
    so the folder stayed behind after every `session --demo` until the log was closed first."""
    exe = lane_dir / "standin" / "TeamViewerQS-unsigned.exe"  # the build as the compiler made it
    if not exe.is_file():
        pytest.skip(f"{exe} was not built: run the suite with scripts/windows-lane.sh test")
    temp, appdata = tmp_path / "Temp Łódź", tmp_path / "Roaming ż"
    temp.mkdir()
    appdata.mkdir()
    env = {**DEMO_OPTIONS, "OVERMAX_DEMO_LEAVE_AFTER": "0.5", "TEMP": str(temp), "TMP": str(temp),
           "APPDATA": str(appdata)}
    code = ("import sys; from pathlib import Path; import launcher.demo.windows_standin as w; "
            f"w.STANDIN_EXE = Path({str(exe)!r}); "
            "from launcher.__main__ import main; sys.exit(main(sys.argv[1:]))")
    assert windows_standin.STANDIN_EXE.name == "TeamViewerQS.exe"  # the name patched in the child
    proc = run_cli(["--lang", "en", "session", "--demo", "--no-input", "--for", "2"], env, code=code)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.splitlines()[-1].startswith("STOPPED "), proc.stdout
    assert [p.name for p in temp.iterdir() if p.name.startswith(DEMO_PREFIX)] == []
