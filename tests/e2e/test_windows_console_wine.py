"""The command line in a Windows console, as support staff type into cmd.exe: Wine on a pseudo-terminal gives
the program a real console (GetConsoleMode works, Python writes through WriteConsoleW), with the OEM code page a
Polish Windows has (852) or another one set with `chcp`. Polish sentences must read right whatever the code
page, the exit status reach cmd, and `q` typed at the console end `session` with nothing left.

Runs the Windows lane's CPython (and the frozen console twin, where `scripts/windows-lane.sh build` made it)
under the lane's prefix; skipped where the lane is not set up (`scripts/windows-lane.sh setup`). Nothing is
downloaded here: the signed manifest and the lane's signed stand-in are served on 127.0.0.1."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import shutil
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

from tests.support.build_stamp import require_current
from tests.support.demo_config import write_config
from tests.support.loopback_http import LoopbackServer
from tests.support.windows_lane import current_lane_env
from tests.windows.served import serve_exe

REPO = Path(__file__).resolve().parents[2]
LIMIT_S = 180.0
FROZEN_CLI = REPO / "dist" / "windows" / "OvermaxPomocZdalna" / "OvermaxPomocZdalna-cli.exe"
SENTENCE = ("ERROR APP-NO-FILE: Nie ma pliku wskazanego w poleceniu. Sprawdź ścieżkę do pliku i uruchom polecenie "
            "ponownie.")
CONSULTANT = ("1357924680", "Łukasz Żółć")

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux") or not shutil.which("script"),
                                reason="Wine on Linux (the Windows lane's prefix)")


@pytest.fixture(scope="module")
def lane() -> dict[str, str]:
    return current_lane_env()


@pytest.fixture
def teamviewer_folders(lane: dict[str, str]):
    """The prefix's own %TEMP%\\TeamViewer and %APPDATA%\\TeamViewer (Wine sets %TEMP% and %APPDATA% from its
    registry, not from the environment): what a session's QuickSupport leaves there, as the real one does,
    is removed after the test where it was not there before (the installed-app test wants a clean prefix)."""
    users = Path(lane["WINEPREFIX"]) / "drive_c" / "users"
    folders = [user / sub for user in users.iterdir() if user.name.lower() != "public"
               for sub in (Path("Temp") / "TeamViewer", Path("AppData") / "Roaming" / "TeamViewer")]
    there = {folder for folder in folders if folder.exists()}
    yield
    for folder in folders:
        if folder not in there:
            shutil.rmtree(folder, ignore_errors=True)


def windows_path(path: Path) -> str:
    return "Z:" + str(path).replace("/", "\\")


class Console:
    """`cmd /c LINE` (or the Windows program `argv`) under Wine on a pseudo-terminal: what the console showed
    (escape sequences and the console's own line wrapping taken out) and the exit status; `answer` types a
    line once the screen shows a text."""

    def __init__(self, env: dict[str, str], line: str = "", *, argv: list[str] | None = None,
                 answer: tuple[str, str] | None = None) -> None:
        master, slave = pty.openpty()
        # a session of its own with the terminal as its controlling one, as a shell starts a program: Ctrl+C
        # typed there reaches it (Wine makes it the console's Ctrl+C)
        proc = subprocess.Popen([env["WINE64"], *(argv or ["cmd", "/c", line])], stdin=slave, stdout=slave,
                                stderr=slave, env=env, cwd=REPO, close_fds=True, start_new_session=True,
                                preexec_fn=lambda: fcntl.ioctl(0, termios.TIOCSCTTY, 0))
        os.close(slave)
        raw = b""
        deadline = time.monotonic() + LIMIT_S
        try:
            while time.monotonic() < deadline:
                ready, _, _ = select.select([master], [], [], 1.0)
                if ready:
                    try:
                        data = os.read(master, 65536)
                    except OSError:  # EIO: every program on the terminal has closed it
                        break
                    if not data:
                        break
                    raw += data
                if answer is not None and answer[0] in self._text(raw):
                    if "\x1a" in answer[1]:
                        # Wine leaves the terminal's job control on (its Ctrl+Z would stop the process, as a
                        # Linux terminal's does): off, so that Ctrl+Z reaches the console as on Windows
                        attrs = termios.tcgetattr(master)
                        attrs[3] &= ~termios.ISIG
                        termios.tcsetattr(master, termios.TCSANOW, attrs)
                    # typed, then Enter (Ctrl+C alone: the terminal makes it the signal)
                    os.write(master, answer[1].encode() + (b"" if answer[1] == "\x03" else b"\r"))
                    answer = None
                if proc.poll() is not None and not ready:
                    break
            try:
                self.code = proc.wait(timeout=max(1.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                pytest.fail(f"still running after {LIMIT_S:.0f} s; the console showed: {self._text(raw)!r}")
        finally:
            if proc.poll() is None:
                proc.kill()
            os.close(master)
        self.text = self._text(raw)

    @staticmethod
    def _text(raw: bytes) -> str:
        text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", raw.decode("utf-8", errors="replace"))
        return text.replace("\r", "").replace("\n", "")  # the console wraps at its width, mid-word


@pytest.mark.parametrize("code_page", [852, 437, 1250, 65001])
def test_polish_errors_read_right_in_a_console_whatever_its_code_page(lane, tmp_path, code_page):
    missing = windows_path(tmp_path / "nie-ma-żółć.exe")
    shown = Console(lane, f"chcp {code_page} >NUL & {lane['WINPY_WIN']} -m launcher --lang pl verify {missing}")
    assert shown.code == 1, shown.text
    assert SENTENCE in shown.text and f"({missing}: no such file)" in shown.text, shown.text
    assert "\ufffd" not in shown.text  # no byte the terminal could not read


@pytest.mark.skipif(not FROZEN_CLI.is_file(), reason="no frozen Windows app: scripts/windows-lane.sh build")
@pytest.mark.parametrize("code_page", [852, 437])
def test_the_frozen_console_twin_in_a_console(lane, tmp_path, code_page):
    require_current(FROZEN_CLI.parents[1])
    missing = windows_path(tmp_path / "nie-ma-żółć.exe")
    shown = Console(lane, f"chcp {code_page} >NUL & {windows_path(FROZEN_CLI)} --lang pl verify {missing}")
    assert shown.code == 1 and SENTENCE in shown.text, shown.text
    usage = Console(lane, f"{windows_path(FROZEN_CLI)} --lang pl --no-such-option")
    assert usage.code == 2 and "ERROR APP-USAGE: Program uruchomiono z nieznaną" in usage.text, usage.text
    assert "usage: OvermaxPomocZdalna-cli.exe [-h]" in usage.text


# q; Ctrl+Z, Enter: the end of input at a Windows console; Ctrl+C; q to the frozen console twin
@pytest.mark.parametrize(("typed", "why", "program"), [("q", "q", "python"), ("\x1a", "eof", "python"),
                                                       ("\x03", "sigint", "python"), ("q", "q", "frozen")])
def test_q_ctrl_z_or_ctrl_c_typed_at_the_console_ends_the_session_with_nothing_left(lane, teamviewer_folders, tmp_path,
                                                                                      typed, why, program):
    if program == "frozen" and not FROZEN_CLI.is_file():
        pytest.skip("no frozen Windows app: scripts/windows-lane.sh build")
    if program == "frozen":
        require_current(FROZEN_CLI.parents[1])
    standin = Path(lane["WINDOWS_LANE_DIR"]) / "standin" / "TeamViewerQS.exe"
    if not standin.is_file():
        pytest.skip("the lane's signed stand-in is not built: scripts/windows-lane.sh setup")
    env = dict(lane, OVERMAX_DEMO_ID="1660388656", OVERMAX_DEMO_SUPPORTER_ID=CONSULTANT[0],
               OVERMAX_DEMO_SUPPORTER_NAME=CONSULTANT[1], OVERMAX_DEMO_JOIN_AFTER="0.5",
               OVERMAX_DEMO_LEAVE_AFTER="1.5", OVERMAX_DEMO_MAX_SECONDS="120")
    with LoopbackServer() as server:
        served = serve_exe(server, standin.read_bytes(), tmp_path / "dane")
        overrides = served.overrides()
        overrides["paths"]["data_dir"] = windows_path(tmp_path / "dane")
        config = write_config(tmp_path / "sesja.toml", overrides)
        program_argv = [lane["WINPY"], "-m", "launcher"] if program == "python" else [str(FROZEN_CLI)]
        command = [*program_argv, "--lang", "pl", "session", "--config", windows_path(config)]
        if typed == "\x03":  # the program alone on the console: Wine's cmd.exe itself ends on Ctrl+C (Windows' waits)
            shown = Console(env, argv=command, answer=("ENDED", typed))
        else:
            line = " ".join([windows_path(Path(command[0])), *command[1:]])
            shown = Console(env, f"chcp 852 >NUL & {line}", answer=("ENDED", typed))
    assert shown.code == 0, shown.text
    text = shown.text
    assert f"JOINED {CONSULTANT[0]} {CONSULTANT[1]}" in text and "ID 1 660 388 656" in text, text
    assert text.index("ENDED") < text.index(f"STOPPING {why}"), text
    assert "STOPPED QuickSupport zakończony, nic z niego już nie działa" in text, text
