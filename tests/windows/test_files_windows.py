"""Windows file behaviour: the verified fetch end to end, files held open, antivirus-style locks, Polish
folder names with spaces, the per-user folders."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from launcher.core.download import ensure_artifact, final_path, open_verified
from launcher.core.errors import LauncherError
from launcher.core.fetch import fetch_quicksupport
from launcher.core.fsutil import atomic_write_bytes
from launcher.core.http import make_session
from launcher.core.paths import app_paths
from tests.support.loopback_http import LoopbackServer
from tests.windows.served import TV, serve_exe

REPO = Path(__file__).resolve().parents[2]
POLISH = "Zażółć gęślą jaźń"


@pytest.fixture
def server():
    with LoopbackServer() as srv:
        yield srv


@pytest.fixture
def polish_home(tmp_path: Path) -> dict[str, str]:
    """%TEMP%, %TMP%, %APPDATA%, %LOCALAPPDATA% and a data folder, all with Polish letters and spaces."""
    base = tmp_path / "Łukasz Żółć"
    env = {"TEMP": base / "Temp ćma", "TMP": base / "Temp ćma", "APPDATA": base / "AppData" / "Roaming ś",
           "LOCALAPPDATA": base / "AppData" / "Local ń", "DATA": base / f"{POLISH} dane"}
    for folder in env.values():
        folder.mkdir(parents=True, exist_ok=True)
    return {k: str(v) for k, v in env.items()}


def run_cli(args: list[str], env_extra: dict[str, str]) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONUTF8="1", PYTHONIOENCODING="utf-8", **env_extra)
    return subprocess.run([sys.executable, "-m", "launcher", *args], cwd=REPO, env=env, capture_output=True,
                          text=True, encoding="utf-8", stdin=subprocess.DEVNULL, timeout=120)


def test_fetch_command_downloads_hashes_and_checks_the_signer_in_polish_folders(server, signed_dir, polish_home,
                                                                                 tmp_path):
    exe = (signed_dir / "tv-signed.exe").read_bytes()
    served = serve_exe(server, exe, Path(polish_home["DATA"]))
    config = served.config_file(tmp_path / "config ą.toml")
    env = {k: v for k, v in polish_home.items() if k != "DATA"}
    proc = run_cli(["--lang", "en", "--config", str(config), "fetch"], env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    path = Path(proc.stdout.strip().splitlines()[-1])
    assert path.is_file() and path.read_bytes() == exe
    assert Path(polish_home["DATA"]) in path.parents
    assert [h.path for h in server.hits("/TeamViewerQS.exe")] == ["/TeamViewerQS.exe"]


def test_fetch_command_refuses_a_wrong_signer_and_leaves_no_file(server, signed_dir, polish_home, tmp_path):
    served = serve_exe(server, (signed_dir / "wrong-signed.exe").read_bytes(), Path(polish_home["DATA"]))
    proc = run_cli(["--lang", "en", "--config", str(served.config_file(tmp_path / "c.toml")), "fetch"],
                   {k: v for k, v in polish_home.items() if k != "DATA"})
    assert proc.returncode != 0
    assert "DL-PUBLISHER" in proc.stdout + proc.stderr
    assert not final_path(served.artifact, Path(polish_home["DATA"]) / "cache").exists()


def test_bytes_other_than_the_manifests_are_refused_before_any_signature_check(server, signed_dir, tmp_path):
    exe = (signed_dir / "tv-signed.exe").read_bytes()
    evil = (signed_dir / "wrong-signed.exe").read_bytes()[: len(exe)].ljust(len(exe), b"\0")
    served = serve_exe(server, exe, tmp_path / "data", body=evil)
    config = served.config()
    with pytest.raises(LauncherError) as info:
        fetch_quicksupport(config, app_paths(config.paths.data_dir).ensure())
    assert info.value.code == "DL-HASH"
    assert not list((tmp_path / "data" / "cache").iterdir())


def test_fetch_in_process_returns_the_verified_file(server, signed_dir, tmp_path):
    served = serve_exe(server, (signed_dir / "tv-signed.exe").read_bytes(), tmp_path / "data")
    config = served.config()
    verified = fetch_quicksupport(config, app_paths(config.paths.data_dir).ensure())
    assert verified.artifact.publisher == TV
    with open_verified(verified.path, verified.artifact) as fh:
        assert fh.read() == (signed_dir / "tv-signed.exe").read_bytes()


def test_a_stale_cache_file_locked_by_a_scanner_is_dl_locked(server, signed_dir, tmp_path):
    from tests.windows.winapi import LockedFile

    served = serve_exe(server, (signed_dir / "tv-signed.exe").read_bytes(), tmp_path / "data")
    cache = tmp_path / "cache"
    cache.mkdir()
    stale = final_path(served.artifact, cache)
    stale.write_bytes(b"an older, different download")
    with LockedFile(stale), make_session(served.config().download) as session, \
            pytest.raises(LauncherError) as info:
        ensure_artifact(session, served.artifact, cache, allowed_hosts=["127.0.0.1"])
    assert info.value.code == "DL-LOCKED"
    assert stale.read_bytes() == b"an older, different download"
    assert not list(cache.glob(".*.part"))


def test_a_verified_cache_file_locked_by_a_scanner_is_dl_locked_when_opened_to_run(server, signed_dir, tmp_path):
    from tests.windows.winapi import LockedFile

    served = serve_exe(server, (signed_dir / "tv-signed.exe").read_bytes(), tmp_path / "data")
    cache = tmp_path / "cache"
    with make_session(served.config().download) as session:
        path = ensure_artifact(session, served.artifact, cache, allowed_hosts=["127.0.0.1"])
    with LockedFile(path), pytest.raises(LauncherError) as info:
        open_verified(path, served.artifact)
    assert info.value.code == "DL-LOCKED"
    assert path.is_file()  # a lock is no tampering: the file stays


def test_the_verified_file_cannot_be_changed_while_the_launcher_holds_it(server, signed_dir, tmp_path):
    served = serve_exe(server, (signed_dir / "tv-signed.exe").read_bytes(), tmp_path / "data")
    with make_session(served.config().download) as session:
        path = ensure_artifact(session, served.artifact, tmp_path / "cache", allowed_hosts=["127.0.0.1"])
    other = tmp_path / "other.exe"
    other.write_bytes(b"MZ not the verified program")
    with open_verified(path, served.artifact):
        with pytest.raises(PermissionError):
            open(path, "r+b").close()  # noqa: SIM115 - the attempt is the test
        with pytest.raises(PermissionError):
            os.replace(other, path)
    assert path.read_bytes() == (signed_dir / "tv-signed.exe").read_bytes()


def test_a_file_held_open_for_a_moment_is_replaced_once_it_is_free(tmp_path):
    target = tmp_path / "manifest_state.json"
    target.write_bytes(b"old")
    holder = open(target, "rb")  # noqa: SIM115 - Python's open shares read/write, not delete: as a scanner
    release = threading.Timer(0.3, holder.close)
    release.start()
    try:
        atomic_write_bytes(target, b"new")
    finally:
        release.join()
        holder.close()
    assert target.read_bytes() == b"new"
    assert [p.name for p in tmp_path.iterdir()] == ["manifest_state.json"]


def test_a_file_held_open_throughout_keeps_its_old_content_and_no_temporary_is_left(tmp_path):
    target = tmp_path / "manifest_state.json"
    target.write_bytes(b"old")
    with open(target, "rb"), pytest.raises(PermissionError):
        atomic_write_bytes(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["manifest_state.json"]


def test_the_manifest_serial_cannot_be_stored_while_held_gives_a_coded_error(server, signed_dir, tmp_path):
    served = serve_exe(server, (signed_dir / "tv-signed.exe").read_bytes(), tmp_path / "data")
    paths = app_paths(served.config().paths.data_dir).ensure()
    from launcher.core.fetch import fetch_manifest

    paths.manifest_state_file.write_text('{"highest_serial": 0}\n')
    with open(paths.manifest_state_file, "rb"), pytest.raises(LauncherError) as info:
        fetch_manifest(served.config(), paths)  # serial 1 > 0: must be stored, but the file is held
    assert info.value.code == "APP-DATA-DIR"
    assert paths.manifest_state_file.read_text() == '{"highest_serial": 0}\n'
    fetch_manifest(served.config(), paths)  # free again: stored
    assert '"highest_serial": 1' in paths.manifest_state_file.read_text()


def test_per_user_folders_are_under_the_users_local_app_data():
    local = Path(os.environ["LOCALAPPDATA"])
    paths = app_paths("")
    for folder in (paths.data, paths.cache, paths.logs, paths.runtime):
        assert local in folder.parents, folder
        assert "Overmax" in folder.parts and "OvermaxPomocZdalna" in folder.parts
    assert len({paths.data, paths.cache, paths.logs}) == 3
    assert Path(os.environ["APPDATA"]) not in paths.data.parents  # never roams with the profile


def test_a_data_folder_with_polish_letters_and_spaces_is_made_and_used(tmp_path):
    paths = app_paths(str(tmp_path / f"{POLISH} ąę")).ensure()
    for folder in (paths.data, paths.cache, paths.logs, paths.runtime):
        assert folder.is_dir()
    atomic_write_bytes(paths.consent_file, "zgoda: tak, Łukasz\n".encode())
    assert paths.consent_file.read_text(encoding="utf-8") == "zgoda: tak, Łukasz\n"


def test_the_log_keeps_every_line_while_another_process_holds_it_and_rotates_once_free(tmp_path, monkeypatch,
                                                                                       capfd):
    """A second launcher (or a log viewer) with launcher.log open: Windows refuses the rollover's rename
    (WinError 32). The stdlib handler then lost every line past the size limit and said so on the console."""
    import logging

    from launcher.core import applog

    monkeypatch.setattr(applog, "MAX_BYTES", 4000)
    log_dir = tmp_path / "logi ż"
    path = applog.setup_logging(log_dir)
    log = logging.getLogger("launcher.test_rotation")
    holder = subprocess.Popen([sys.executable, "-c", "import sys; f = open(sys.argv[1], 'a'); print('held', "
                               "flush=True); sys.stdin.readline()", str(path)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        for i in range(200):
            log.warning("held line %03d %s", i, "x" * 40)
        text = path.read_text(encoding="utf-8")
        assert all(f"held line {i:03d} " in text for i in range(200))
        assert not (log_dir / "launcher.log.1").exists()  # could not rotate: the file took the lines instead
    finally:
        holder.stdin.close()
        holder.wait(timeout=60)
    try:
        for i in range(200):
            log.warning("free line %03d %s", i, "x" * 40)
        assert (log_dir / "launcher.log.1").exists()  # rotated once the other process let go
        assert path.stat().st_size <= 2 * applog.MAX_BYTES
        assert "free line 199 " in path.read_text(encoding="utf-8")
    finally:
        applog.shutdown_logging()
    assert capfd.readouterr().err == ""  # nothing on the console
