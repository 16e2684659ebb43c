"""Folders the launcher may not write to, made for real: a tmpfs remounted read-only, seen through Wine's Z:
(Windows answers ERROR_ACCESS_DENIED for every new file on it, as for a folder whose access list denies writing).

Found: Python's tempfile on Windows (3.11, 3.12) reads "access denied" as a clash with a folder of the chosen name
and draws another name, up to 2,147,483,647 times (python/cpython#66305): with a read-only %TEMP% `session` printed
nothing for 10+ minutes (Ctrl+C unheard), and with a read-only data\\cache `fetch` hung until Ctrl+C. The launcher
now makes its files and folders through launcher/core/unique_names.py (a refusal raised on the first try):
APP-DATA-DIR comes out at once (and a read-only %TEMP% no longer matters: QuickSupport unpacks itself into a
temporary folder of its own in the data folder). And a data folder made earlier (a cache in it) that turned
read-only said QS-UNPACK, "run the command again" (the unpack folder's lock file was refused), which never helps:
now the start writes a file into each data folder and says APP-DATA-DIR before anything is downloaded or started.

Each command waits on its process with a generous limit (LIMIT_S): a hang comes back as a failed test, never a
stuck run; no time is asserted.
"""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest

from launcher.core import unique_names
from launcher.core.fsutil import atomic_write_bytes
from tests.windows.served import serve_exe
from tests.windows.test_session_windows import (  # noqa: F401 - fixtures
    home,
    qs_processes,
    run_session_command,
    server,
    standin_processes,
)

pytestmark = pytest.mark.skipif(sys.platform != "win32", reason="the Windows suite: scripts/windows-lane.sh test")

LIMIT_S = 120  # the bug tried names for weeks; an answer comes in seconds
REPO = Path(__file__).resolve().parents[2]
DATA_DIR_EN = "ERROR APP-DATA-DIR: The program cannot save its files on this computer."


def run_command(config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`python -m launcher --lang en ARGS --config CONFIG`, waited on for at most LIMIT_S (then killed, and the
    test fails with TimeoutExpired)."""
    return subprocess.run([sys.executable, "-m", "launcher", "--lang", "en", *args, "--config", str(config)],
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, encoding="utf-8", cwd=REPO,
                          env=dict(os.environ, PYTHONUTF8="1"), timeout=LIMIT_S)


def _served(server, standin_dir: Path, data: Path, tmp_path: Path) -> Path:  # noqa: F811
    served = serve_exe(server, (standin_dir / "TeamViewerQS.exe").read_bytes(), data)
    return served.config_file(tmp_path / "konfiguracja.toml")


def mounted_tmpfs(size_bytes: int = 256 * 1024, name: str = ""):  # noqa: ANN201 - a context manager
    from tests.windows.unix_tmpfs import mounted_tmpfs  # Windows' ctypes: imported where the test runs

    return mounted_tmpfs(size_bytes, name)


def remount(folder: Path, *, read_only: bool) -> None:
    from tests.windows.unix_tmpfs import remount

    remount(folder, read_only=read_only)


def _files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


# ---------------------------------------------------------------- %TEMP% read-only


def test_a_read_only_temp_folder_no_longer_stops_the_session(server, standin_dir, home, tmp_path,  # noqa: F811
                                                             monkeypatch):
    """It was QS-TEMP before anything started: QuickSupport unpacked itself into the user's Temp. Now it unpacks
    into a temporary folder of its own inside the folder the launcher made for it, so the session runs, and
    nothing is written to the read-only drive."""
    from tests.windows.test_session_windows import check_session_lines

    config = _served(server, standin_dir, home["data"], tmp_path)
    with mounted_tmpfs() as temp:
        remount(temp, read_only=True)
        monkeypatch.setenv("TEMP", str(temp))
        monkeypatch.setenv("TMP", str(temp))
        proc = run_session_command(config, "--for", "4", "--no-input", limit_s=LIMIT_S)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        check_session_lines(proc.stdout)
        assert standin_processes(temp, home["data"]) == [] and list(temp.iterdir()) == []
    assert list((home["data"] / "run").glob("qs-*")) == []  # its own folder, Temp inside it, gone too


# ---------------------------------------------------------------- the data folder read-only


@pytest.mark.parametrize("command", [["fetch"], ["session", "--no-input"]])
def test_an_empty_read_only_data_folder_is_app_data_dir(server, standin_dir, home, tmp_path, command):  # noqa: F811
    with mounted_tmpfs() as data:
        config = _served(server, standin_dir, data, tmp_path)
        remount(data, read_only=True)
        proc = run_command(config, *command)
        assert proc.returncode == 1, proc.stdout + proc.stderr
        assert proc.stderr.startswith(DATA_DIR_EN), proc.stderr
        assert str(data) in proc.stderr and "Traceback" not in proc.stderr
        assert proc.stdout.splitlines() == [], proc.stdout  # nothing checked, downloaded or started
        assert list(data.iterdir()) == []
    assert qs_processes(home) == []


@pytest.mark.parametrize("command", [["fetch"], ["session", "--no-input"]])
def test_a_data_folder_with_a_cache_that_turned_read_only_is_app_data_dir(server, standin_dir, home,  # noqa: F811
                                                                          tmp_path, command):
    """It said QS-UNPACK ("run the command again") from `session`, the unpack folder's lock file refused, and `fetch`
    printed the cached file's path as if all were well: the next session would fail all the same."""
    with mounted_tmpfs(1024 * 1024) as data:
        config = _served(server, standin_dir, data, tmp_path)
        fetched = run_command(config, "fetch")
        assert fetched.returncode == 0, fetched.stdout + fetched.stderr
        cached = Path(fetched.stdout.strip())
        assert cached.parent == data / "cache" and cached.is_file()
        before = _files(data)
        assert not [name for name in before if "overmax-probe" in name], before  # the start's check leaves nothing
        remount(data, read_only=True)
        proc = run_command(config, *command)
        assert proc.returncode == 1, proc.stdout + proc.stderr
        assert proc.stderr.startswith(DATA_DIR_EN), proc.stderr
        assert "QS-UNPACK" not in proc.stderr and "Traceback" not in proc.stderr
        assert "[Errno 13]" in proc.stderr or "[WinError 5]" in proc.stderr, proc.stderr  # access denied
        assert proc.stdout.splitlines() == [], proc.stdout
        assert _files(data) == before
    assert qs_processes(home) == []


@pytest.mark.parametrize("command", [["fetch"], ["session", "--no-input"]])
def test_a_read_only_cache_folder_alone_is_app_data_dir(server, standin_dir, home, tmp_path, command):  # noqa: F811
    """The reviewer's data\\cache: the rest of the data folder writable, the cache a read-only drive. `fetch` hung
    (tempfile.mkstemp of the download's .part) until Ctrl+C."""
    with mounted_tmpfs(name="cache") as cache:
        data = cache.parent
        config = _served(server, standin_dir, data, tmp_path)
        remount(cache, read_only=True)
        proc = run_command(config, *command)
        assert proc.returncode == 1, proc.stdout + proc.stderr
        assert proc.stderr.startswith(DATA_DIR_EN), proc.stderr
        assert str(cache) in proc.stderr and "Traceback" not in proc.stderr
        assert proc.stdout.splitlines() == [], proc.stdout
        assert list(cache.iterdir()) == []
    assert qs_processes(home) == []


# ---------------------------------------------------------------- the rule itself, on Windows


def test_a_new_file_in_a_read_only_folder_is_refused_on_the_first_try(monkeypatch):
    """Python 3.11's tempfile.mkstemp would draw names here for weeks; the launcher's own asks once."""
    draws: list[str] = []
    real = unique_names.secrets.token_hex

    def counted(nbytes: int | None = None) -> str:
        draws.append(real(nbytes))
        return draws[-1]

    with mounted_tmpfs() as folder:
        (folder / "manifest_state.json").write_bytes(b'{"highest_serial": 1}\n')
        remount(folder, read_only=True)
        monkeypatch.setattr(unique_names.secrets, "token_hex", counted)
        with pytest.raises(PermissionError) as err:
            unique_names.create_file(folder, ".part.")
        assert err.value.errno == errno.EACCES, err.value  # what os.open says for ERROR_ACCESS_DENIED
        assert len(draws) == 1
        with pytest.raises(PermissionError):
            unique_names.create_folder(folder, "qs-mount-")
        with pytest.raises(PermissionError):  # the old file stays whole, no temporary file is left
            atomic_write_bytes(folder / "manifest_state.json", b'{"highest_serial": 2}\n')
        assert len(draws) == 3
        assert (folder / "manifest_state.json").read_bytes() == b'{"highest_serial": 1}\n'
        assert [p.name for p in folder.iterdir()] == ["manifest_state.json"]


def test_a_folder_of_the_drawn_name_is_a_clash_and_another_name_is_drawn(tmp_path, monkeypatch):
    """Windows refuses to open a folder as a new file with ERROR_ACCESS_DENIED: that one PermissionError is a clash
    (the folder is there), so the next name is drawn; the folder is left as it was."""
    names = iter(["a" * 16, "b" * 16])
    monkeypatch.setattr(unique_names.secrets, "token_hex", lambda nbytes=None: next(names))
    (tmp_path / f".part.{'a' * 16}").mkdir()
    fd, path = unique_names.create_file(tmp_path, ".part.")
    os.close(fd)
    assert path.name == f".part.{'b' * 16}" and path.is_file()
    assert (tmp_path / f".part.{'a' * 16}").is_dir()


def test_the_start_check_leaves_no_file_behind(tmp_path):
    """Its file is deleted on close by Windows (O_TEMPORARY), not by a later DeleteFile a scanner could refuse."""
    unique_names.check_writable(tmp_path)
    assert list(tmp_path.iterdir()) == []
