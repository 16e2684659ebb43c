"""Windows' temporary folder as customers' machines have it: deleted whole by a cleaning tool (Windows does not make
it again), or %TEMP%/%TMP% naming a drive that is gone (a RAM disk, a USB stick) or a file. QuickSupport unpacks
itself there (GetTempPathW); without it, it exited at once and the customer read QS-EXITED ("if you did not
close it, try again"), which no retry could mend. Now a missing Temp folder whose parent is there is made again,
and one that cannot be used is QS-TEMP before anything starts. The real `session` command, the signed stand-in.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.windows.served import serve_exe
from tests.windows.test_session_windows import (  # noqa: F401 - fixtures
    check_session_lines,
    home,
    run_session_command,
    server,
    standin_processes,
)

pytestmark = pytest.mark.skipif(sys.platform != "win32", reason="the Windows suite: scripts/windows-lane.sh test")


def _config(server, standin_dir: Path, home: dict[str, Path], tmp_path: Path) -> Path:  # noqa: F811
    served = serve_exe(server, (standin_dir / "TeamViewerQS.exe").read_bytes(), home["data"])
    return served.config_file(tmp_path / "konfiguracja.toml")


def test_a_temp_folder_a_cleaning_tool_deleted_is_made_again_and_the_session_runs(server, standin_dir,  # noqa: F811
                                                                                   home, tmp_path):  # noqa: F811
    config = _config(server, standin_dir, home, tmp_path)
    home["TEMP"].rmdir()
    proc = run_session_command(config, "--for", "4", "--no-input")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    check_session_lines(proc.stdout)
    assert home["TEMP"].is_dir()
    assert standin_processes(home["TEMP"]) == []


@pytest.mark.parametrize("where", ["a drive that is gone", "a file", "a folder under one that is gone"])
def test_a_temp_folder_that_cannot_be_used_is_qs_temp_and_nothing_starts(server, standin_dir, home,  # noqa: F811
                                                                         tmp_path, monkeypatch, where):
    config = _config(server, standin_dir, home, tmp_path)
    if where == "a drive that is gone":
        temp = "R:\\Temp"
    elif where == "a file":
        (tmp_path / "Temp ż").write_bytes(b"not a folder")
        temp = str(tmp_path / "Temp ż")
    else:
        temp = str(tmp_path / "usunięty profil" / "AppData" / "Local" / "Temp")
    monkeypatch.setenv("TEMP", temp)
    monkeypatch.setenv("TMP", temp)
    proc = run_session_command(config, "--no-input")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert proc.stderr.startswith("ERROR QS-TEMP: Windows' temporary folder (TEMP) does not exist, cannot be "
                                  "written to"), proc.stderr
    assert temp in proc.stderr and "Traceback" not in proc.stderr
    assert "STARTED" not in proc.stdout.splitlines(), proc.stdout
    assert not Path(temp).is_dir()  # nothing made where it is no temporary folder
    assert standin_processes(Path(temp)) == [] and standin_processes(home["TEMP"]) == []


# ---------------------------------------------------------------- a Temp folder on a drive of its own that is full

def test_a_temp_folder_on_a_full_drive_of_its_own_is_qs_temp_and_nothing_starts_or_stays(server, standin_dir,  # noqa: F811
                                                                                         home, tmp_path,  # noqa: F811
                                                                                         monkeypatch):
    """%TEMP% on a drive of its own (a RAM disk, a second disk) that is full, while the data folder's drive has
    room: the start check looked only at the data folder's and the log folders' drives, so QuickSupport started,
    could not unpack itself and exited: QS-EXITED, "try again", which never helps. Now the start check asks
    Temp's drive for the artifact's size (from the signed manifest) and says QS-TEMP before anything starts;
    nothing is left running, nothing of the unpacked folder stays. A real full tmpfs, seen through Wine's Z:."""
    from tests.support.tmpfs import fill_up
    from tests.windows.unix_tmpfs import mounted_tmpfs

    config = _config(server, standin_dir, home, tmp_path)
    with mounted_tmpfs() as drive:
        temp = drive / "Temp"
        temp.mkdir()
        monkeypatch.setenv("TEMP", str(temp))
        monkeypatch.setenv("TMP", str(temp))
        filler = fill_up(drive)
        proc = run_session_command(config, "--no-input")
        assert proc.returncode == 1, proc.stdout + proc.stderr
        assert proc.stderr.startswith("ERROR QS-TEMP: Windows' temporary folder (TEMP) does not exist, cannot be "
                                      "written to, or has no room left on its drive"), proc.stderr
        assert str(temp) in proc.stderr and "Traceback" not in proc.stderr
        assert "STARTED" not in proc.stdout.splitlines(), proc.stdout
        assert standin_processes(temp) == []
        assert sorted(p.name for p in drive.iterdir()) == ["Temp", filler.name] and not any(temp.iterdir())
        assert list((home["data"] / "run").glob("qs-*")) == []  # the copy made for the start is gone too


def test_a_small_temp_drive_with_room_for_quicksupport_runs_the_session(server, standin_dir, home,  # noqa: F811
                                                                        tmp_path, monkeypatch):
    """The threshold is what QuickSupport needs, not a round number: its copy of itself (the stand-in, about
    85 KB) and then the 256 KiB under which a running session is ended (QS-DISK-FULL: its log may be in Temp).
    A 512 KiB drive has room for that and runs the whole session. (Measured: with the copy alone as the
    threshold, a 256 KiB drive let it start and then ended it with QS-DISK-FULL.)"""
    from tests.windows.unix_tmpfs import mounted_tmpfs

    config = _config(server, standin_dir, home, tmp_path)
    with mounted_tmpfs(512 * 1024) as drive:
        temp = drive / "Temp"
        temp.mkdir()
        monkeypatch.setenv("TEMP", str(temp))
        monkeypatch.setenv("TMP", str(temp))
        proc = run_session_command(config, "--for", "4", "--no-input")
        assert proc.returncode == 0, proc.stdout + proc.stderr
        check_session_lines(proc.stdout)
        assert standin_processes(temp) == []
