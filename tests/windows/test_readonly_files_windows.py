"""Files with Windows' read-only attribute, which backup and sync tools, copies off a CD or out of a zip, and
programs that unpack read-only files (QuickSupport among them) leave behind. Windows' DeleteFile refuses such a
file (ERROR_ACCESS_DENIED) for every user, administrators too; so does MoveFileEx (os.replace) onto one; and
shutil.rmtree stops at the first one unless its onexc/onerror handler clears the attribute. Every place the
launcher deletes or replaces a file of its own clears it (launcher.core.fsutil: clear_readonly, remove_file,
remove_tree, replace_file).

Measured under Wine 8.0 with the lane's CPython 3.11.9 for Windows, running as Linux root (2026-11-30):
- os.chmod(path, stat.S_IREAD) sets FILE_ATTRIBUTE_READONLY (GetFileAttributesW 0x21), stat shows 0o444, and
  Wine keeps it as the Unix mode 0444.
- os.remove of that file: PermissionError, WinError 5, as on Windows (Wine's server refuses deleting a file
  without write bits, root or not); shutil.rmtree without a handler stops there and leaves the tree.
- os.rename of a read-only file: allowed, as on Windows.
- os.replace onto a read-only file, and opening one for writing: Wine allows both (as root, the Unix open() does
  not refuse). Windows refuses both: those tests state Windows' behaviour and are Wine gaps here.
- The read-only attribute on a folder: SetFileAttributesW succeeds but Wine does not keep it (attributes stay
  0x10), and os.rmdir removes the folder; on Windows RemoveDirectoryW refuses a read-only folder, which
  remove_tree clears the same way.
"""

from __future__ import annotations

import os
import shutil
import stat
import sys
import time
from pathlib import Path

import pytest

from launcher.core.download import ensure_artifact, final_path, open_verified, prune_cache
from launcher.core.errors import LauncherError
from launcher.core.fsutil import append_line, atomic_write_bytes, remove_file, remove_tree
from launcher.core.http import make_session
from launcher.core.paths import app_paths
from tests.windows.served import serve_exe
from tests.windows.test_session_windows import (  # noqa: F401 - fixtures
    home,
    server,
    start,
    stop_and_check_nothing_left,
)

pytestmark = pytest.mark.skipif(sys.platform != "win32", reason="the Windows suite: scripts/windows-lane.sh test")


def read_only(path: Path) -> Path:
    os.chmod(path, stat.S_IREAD)
    assert not os.stat(path).st_mode & stat.S_IWRITE
    return path


def read_only_folder(path: Path) -> Path:
    """The attribute on a folder (Windows keeps it and RemoveDirectoryW refuses the folder; Wine keeps none)."""
    os.chmod(path, stat.S_IREAD)
    return path


def made(path: Path, data: bytes = b"x") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


# ---------------------------------------------------------------- what Windows (and Wine) do


def test_windows_refuses_to_delete_a_read_only_file_and_rmtree_stops_at_it(tmp_path):
    lone = read_only(made(tmp_path / "plik ż.txt"))
    with pytest.raises(PermissionError) as info:
        os.remove(lone)
    assert info.value.winerror == 5  # ERROR_ACCESS_DENIED
    tree = tmp_path / "drzewo"
    read_only(made(tree / "TeamViewer" / "tv_x64.exe"))
    with pytest.raises(PermissionError):
        shutil.rmtree(tree)
    assert (tree / "TeamViewer" / "tv_x64.exe").is_file()


@pytest.mark.wine_gap("os.replace (MoveFileEx) onto a read-only file succeeds under Wine as root")
def test_windows_refuses_to_replace_a_read_only_file(tmp_path):
    target = read_only(made(tmp_path / "cel.txt", b"old"))
    with pytest.raises(PermissionError) as info:
        os.replace(made(tmp_path / "new.txt", b"new"), target)
    assert info.value.winerror == 5
    assert target.read_bytes() == b"old"


@pytest.mark.wine_gap("a read-only file opens for writing under Wine as root")
def test_windows_refuses_to_open_a_read_only_file_for_writing(tmp_path):
    target = read_only(made(tmp_path / "cel.txt", b"old"))
    with pytest.raises(PermissionError):
        open(target, "ab").close()  # noqa: SIM115 - the refusal is what is tested


# ---------------------------------------------------------------- the launcher's own helpers


def test_remove_file_and_remove_tree_clear_the_attribute(tmp_path):
    lone = read_only(made(tmp_path / "plik ż.txt"))
    remove_file(lone)
    assert not lone.exists()
    remove_file(lone, missing_ok=True)  # gone already: nothing to do
    tree = tmp_path / "qs-ąę"
    read_only(made(tree / "TeamViewer" / "tv_x64.exe"))
    read_only(made(tree / "TeamViewer" / "TeamViewer_Resource_pl.dll"))
    read_only(made(tree / "TeamViewerQS.exe"))
    read_only_folder(tree / "TeamViewer")  # Windows refuses RemoveDirectoryW on it (Wine keeps no attribute)
    remove_tree(tree)
    assert not tree.exists()
    remove_tree(tree)  # gone already: no error


def test_remove_tree_raises_for_a_file_another_program_holds_and_does_not_wait(tmp_path):
    from tests.windows.winapi import LockedFile

    tree = tmp_path / "qs-held"
    held = read_only(made(tree / "TeamViewer.exe"))
    began = time.monotonic()
    with LockedFile(held), pytest.raises(PermissionError):
        remove_tree(tree)
    assert time.monotonic() - began < 5  # one try, no loop: the caller decides what comes next
    assert held.is_file()
    remove_tree(tree)  # free again: removed
    assert not tree.exists()


def test_a_read_only_file_of_the_launchers_own_is_replaced_whole(tmp_path):
    target = read_only(made(tmp_path / "manifest_state.json", b'{"highest_serial": 1}\n'))
    atomic_write_bytes(target, b'{"highest_serial": 2}\n')
    assert target.read_bytes() == b'{"highest_serial": 2}\n'
    assert os.listdir(tmp_path) == ["manifest_state.json"]


@pytest.mark.wine_gap("os.replace onto a read-only file succeeds under Wine as root, so the copy is written")
def test_a_customers_read_only_file_chosen_for_a_copy_keeps_windows_refusal(tmp_path):
    from launcher.core.receipt import save_copy

    target = read_only(made(tmp_path / "potwierdzenie.txt", b"the customer's own"))
    with pytest.raises(LauncherError) as info:
        save_copy("Potwierdzenie sesji\n", target)
    assert info.value.code == "APP-DATA-DIR"
    assert target.read_bytes() == b"the customer's own"
    assert os.listdir(tmp_path) == ["potwierdzenie.txt"]


def test_a_line_is_appended_to_a_read_only_consent_file(tmp_path):
    """Also: each line ends in a bare LF (os.open without O_BINARY wrote CR LF on Windows)."""
    consent = read_only(made(tmp_path / "consent.jsonl", b'{"a": 1}\n'))
    append_line(consent, '{"b": 2}')
    assert consent.read_bytes() == b'{"a": 1}\n{"b": 2}\n'


# ---------------------------------------------------------------- the download cache


def test_the_cache_prunes_read_only_old_builds_and_stale_parts(tmp_path):
    cache = tmp_path / "cache"
    keep = made(cache / "TeamViewerQS-15.99.0-aaaaaaaaaaaaaaaa.exe")
    old = read_only(made(cache / "TeamViewerQS-15.1.0-bbbbbbbbbbbbbbbb.exe"))
    part = read_only(made(cache / ".TeamViewerQS-15.2.0-cccccccccccccccc.exe.x1.part"))
    other = read_only(made(cache / "notatki.txt"))
    removed = prune_cache(cache, keep, now=time.time() + 7200)
    assert sorted(removed) == sorted([old, part])
    assert sorted(p.name for p in cache.iterdir()) == sorted([keep.name, other.name])


def test_a_read_only_stale_cache_file_is_replaced_by_the_new_download(server, signed_dir, tmp_path):  # noqa: F811
    served = serve_exe(server, (signed_dir / "tv-signed.exe").read_bytes(), tmp_path / "data")
    cache = tmp_path / "cache"
    stale = read_only(made(final_path(served.artifact, cache), b"an older, different download"))
    with make_session(served.config().download) as session:
        path = ensure_artifact(session, served.artifact, cache, allowed_hosts=["127.0.0.1"])
    assert path == stale and path.read_bytes() == (signed_dir / "tv-signed.exe").read_bytes()
    assert sorted(p.name for p in cache.iterdir()) == [stale.name]


def test_a_read_only_cache_file_changed_after_download_is_deleted_as_the_message_says(server, signed_dir,  # noqa: F811
                                                                                       tmp_path):
    served = serve_exe(server, (signed_dir / "tv-signed.exe").read_bytes(), tmp_path / "data")
    cache = tmp_path / "cache"
    changed = read_only(made(final_path(served.artifact, cache), b"changed after the download"))
    with pytest.raises(LauncherError) as info:
        open_verified(changed, served.artifact)
    assert info.value.code == "DL-TAMPERED"  # "... was changed after download and was deleted"
    assert not changed.exists()


# ---------------------------------------------------------------- the serial store, the log


def test_a_read_only_serial_store_and_lock_file_take_the_new_serial(server, signed_dir, tmp_path):  # noqa: F811
    from launcher.core.fetch import fetch_manifest

    served = serve_exe(server, (signed_dir / "tv-signed.exe").read_bytes(), tmp_path / "data")
    paths = app_paths(served.config().paths.data_dir).ensure()
    read_only(made(paths.manifest_state_file, b'{"highest_serial": 0}\n'))
    read_only(made(paths.manifest_state_file.with_name(paths.manifest_state_file.name + ".lock"), b""))
    fetch_manifest(served.config(), paths)  # serial 1 > 0: stored
    assert '"highest_serial": 1' in paths.manifest_state_file.read_text()


def test_the_log_rotates_over_read_only_files(tmp_path, monkeypatch, capfd):
    """A backup tool marked the launcher's log files read-only: the live one took no line (APP-LOG) and no
    rollover could delete the oldest backup, so none happened and the log grew without end."""
    import logging

    from launcher.core import applog

    monkeypatch.setattr(applog, "MAX_BYTES", 4000)
    log_dir = tmp_path / "logi ż"
    log_dir.mkdir()
    live = read_only(made(log_dir / "launcher.log", b"old live line\n"))
    for n in range(1, applog.BACKUPS + 1):
        read_only(made(log_dir / f"launcher.log.{n}", f"old backup {n}\n".encode()))
    applog.setup_logging(log_dir)
    log = logging.getLogger("launcher.test_readonly_rotation")
    try:
        for i in range(300):
            log.warning("line %03d %s", i, "x" * 40)
        assert "line 299 " in live.read_text(encoding="utf-8")
        assert live.stat().st_size <= 2 * applog.MAX_BYTES  # rotated: it did not grow without end
        backups = [(log_dir / f"launcher.log.{n}").read_text(encoding="utf-8") for n in range(1, applog.BACKUPS + 1)]
        assert all("old backup" not in text for text in backups), backups  # each old one rotated away
    finally:
        applog.shutdown_logging()
    assert capfd.readouterr().err == ""  # no APP-LOG, no logging traceback


# ---------------------------------------------------------------- the unpacked folder at disconnect


def test_disconnect_leaves_nothing_when_quicksupport_unpacked_read_only_files(server, standin_dir, home):  # noqa: F811
    """QuickSupport runs in the launcher's private folder and may leave read-only files there (as unpackers
    do). Rozłącz must still leave nothing: no process, no folder."""
    session = start(server, standin_dir, home)
    root = session.prepared.root
    try:
        read_only(made(root / "TeamViewer" / "TeamViewer_Resource_pl.dll"))
        read_only(made(root / "TeamViewer" / "tv_x64.exe"))
        read_only_folder(root / "TeamViewer")
        for exe in root.glob("*.exe"):
            read_only(exe)
    finally:
        stop_and_check_nothing_left(session, home)  # no process left, and the folder is gone
    assert not root.exists()
