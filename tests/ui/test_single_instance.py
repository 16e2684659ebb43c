"""One launcher per user: a lock file decides, a local socket brings the first window forward."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid

from PySide6.QtCore import QLockFile

from launcher.ui.single_instance import SingleInstance, ask_running_instance_to_raise, server_name


def test_second_start_asks_the_first_to_come_forward(qtbot, tmp_path):
    name = server_name(uuid.uuid4().hex)
    assert not ask_running_instance_to_raise(name, timeout_ms=200)  # nobody there yet
    first = SingleInstance(name, tmp_path)
    assert first.acquire()
    assert first.listen()
    second = SingleInstance(name, tmp_path)
    assert not second.acquire()  # the lock decides, whatever the socket does
    with qtbot.waitSignal(first.raiseRequested, timeout=5000):
        assert ask_running_instance_to_raise(name)
    first.release()
    assert second.acquire()  # the first one ended: the next start is the only launcher
    second.release()


def test_lock_of_a_crashed_launcher_is_taken_over(qtbot, tmp_path):
    name = server_name(uuid.uuid4().hex)
    lock = tmp_path / f"{name}.lock"
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys,time; from PySide6.QtCore import QLockFile; l=QLockFile(sys.argv[1]); l.setStaleLockTime(0);"
         "assert l.tryLock(0); print('locked', flush=True); time.sleep(60)", str(lock)],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        alive = SingleInstance(name, tmp_path)
        assert not alive.acquire()  # its process is running
        os.utime(lock, (time.time() - 3600, time.time() - 3600))
        assert not alive.acquire()  # an hour-long session still holds it: age never makes a lock stale
    finally:
        holder.kill()
        holder.wait()
    crashed_left_behind = SingleInstance(name, tmp_path)
    assert lock.exists()
    assert crashed_left_behind.acquire()  # its process is gone: the lock is stale
    crashed_left_behind.release()


def test_a_stale_socket_does_not_stop_the_lock_holder_from_listening(qtbot, tmp_path):
    name = server_name(uuid.uuid4().hex)
    crashed = SingleInstance(name, tmp_path / "a")
    assert crashed.acquire() and crashed.listen()
    first = SingleInstance(name, tmp_path / "b")
    assert first.acquire()
    assert first.listen()  # holds the lock, so whatever socket is there was left by a crashed instance
    first.release()
    crashed.release()


def test_names_differ_per_suffix():
    assert server_name("a") != server_name("b")
    assert server_name("a") == server_name("a")


def test_lock_file_is_per_user_and_private(tmp_path):
    folder = tmp_path / "locks"
    guard = SingleInstance(server_name(uuid.uuid4().hex), folder)
    assert guard.acquire()
    assert QLockFile(guard.lock.fileName()).tryLock(0) is False
    if sys.platform != "win32":
        assert folder.stat().st_mode & 0o077 == 0
    guard.release()


def test_an_unwritable_lock_folder_does_not_keep_the_launcher_from_starting(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    (folder / "blocker").write_text("")
    # a lock "folder" that is a file: neither the folder nor the lock can be made
    guard = SingleInstance(server_name(uuid.uuid4().hex), folder / "blocker" / "locks")
    assert guard.acquire()
    guard.release()


def test_a_lock_file_we_cannot_write_runs_unguarded(tmp_path):
    name = server_name(uuid.uuid4().hex)
    (tmp_path / f"{name}.lock").mkdir()  # something that is not a lock file sits where the lock goes
    guard = SingleInstance(name, tmp_path)
    assert guard.acquire()


def test_a_damaged_lock_file_is_replaced(tmp_path):
    name = server_name(uuid.uuid4().hex)
    (tmp_path / f"{name}.lock").write_bytes(b"\x00\x00garbage")  # torn by a crash or a full disk
    guard = SingleInstance(name, tmp_path)
    assert guard.acquire()
    assert not SingleInstance(name, tmp_path).acquire()  # and it is a real lock again
    guard.release()


def test_a_lock_left_under_another_host_name_is_taken_over(tmp_path):
    """macOS changes the host name with the network; Qt alone would never call such a lock stale."""
    name = server_name(uuid.uuid4().hex)
    (tmp_path / f"{name}.lock").write_text("4194300\npython3\nsome-other-host.local\n\n")
    guard = SingleInstance(name, tmp_path)
    assert guard.acquire()
    guard.release()


def test_a_first_launcher_that_does_not_answer_is_app_running_in_a_window(qapp, tmp_path, monkeypatch):
    """The lock is held but nobody comes forward: the second start must say so (main shows it in a
    window), not vanish with a line on stderr."""
    import pytest

    from launcher.config import load_config
    from launcher.core.errors import LauncherError
    from launcher.core.paths import app_paths
    from launcher.ui import single_instance
    from launcher.ui.app import start_gui

    monkeypatch.setattr(single_instance, "ASK_TIMEOUT_MS", 300)
    name = server_name(uuid.uuid4().hex)
    holder = SingleInstance(name, tmp_path)
    assert holder.acquire()  # holds the lock, never listens
    paths = app_paths(str(tmp_path / "data")).ensure()
    with pytest.raises(LauncherError) as err:
        start_gui(load_config(), paths, language="pl", instance_name=name, lock_dir=tmp_path)
    assert err.value.code == "APP-RUNNING"
    holder.release()
