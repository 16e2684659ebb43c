"""One launcher per user: a lock file decides, a request in the lock folder brings the first window forward."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from PySide6.QtCore import QLockFile
from PySide6.QtGui import QIcon

from launcher.ui import single_instance
from launcher.ui.single_instance import REQUEST_SUFFIX, SingleInstance, lock_name
from tests.support.polling import wait_until


def _requests(folder) -> list:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(REQUEST_SUFFIX))


def test_second_start_asks_the_first_to_come_forward(qtbot, tmp_path):
    name = lock_name(uuid.uuid4().hex)
    nobody = SingleInstance(name, tmp_path)
    assert not nobody.ask_first_to_come_forward(timeout_ms=200)  # nobody there yet
    assert _requests(tmp_path) == []  # and the unanswered request is not left behind
    first = SingleInstance(name, tmp_path)
    assert first.acquire()
    assert first.listen()  # the folder is watched
    second = SingleInstance(name, tmp_path)
    assert not second.acquire()  # the lock decides
    asker = _ask_from_another_process(name, tmp_path)  # a second start is another process
    try:
        with qtbot.waitSignal(first.raiseRequested, timeout=5000):
            pass
        assert asker.stdout.readline().strip() == "True"  # answered: the request was taken
    finally:
        asker.kill()
        asker.wait()
    assert _requests(tmp_path) == []
    first.release()
    assert second.acquire()  # the first one ended: the next start is the only launcher
    second.release()


def _ask_from_another_process(name: str, folder, timeout_ms: int = 5000) -> subprocess.Popen:
    code = ("import sys; from pathlib import Path; from launcher.ui.single_instance import SingleInstance;"
            "print(SingleInstance(sys.argv[1], Path(sys.argv[2])).ask_first_to_come_forward(int(sys.argv[3])),"
            " flush=True)")
    return subprocess.Popen([sys.executable, "-c", code, name, str(folder), str(timeout_ms)],
                            stdout=subprocess.PIPE, text=True)


def test_a_request_made_while_the_first_was_starting_is_answered_when_it_listens(qtbot, tmp_path):
    name = lock_name(uuid.uuid4().hex)
    first = SingleInstance(name, tmp_path)
    assert first.acquire()  # painting its first window: not listening yet
    asker = _ask_from_another_process(name, tmp_path)
    try:
        assert wait_until(lambda: _requests(tmp_path), 10)
        with qtbot.waitSignal(first.raiseRequested, timeout=5000):
            first.listen()
        assert asker.stdout.readline().strip() == "True"
    finally:
        asker.kill()
        asker.wait()
        first.release()


def test_where_the_folder_cannot_be_watched_it_is_polled(qtbot, tmp_path, monkeypatch):
    monkeypatch.setattr(single_instance.QFileSystemWatcher, "addPath", lambda self, path: False)
    name = lock_name(uuid.uuid4().hex)
    first = SingleInstance(name, tmp_path)
    assert first.acquire()
    assert first.listen() is False  # polled
    asker = _ask_from_another_process(name, tmp_path)
    try:
        with qtbot.waitSignal(first.raiseRequested, timeout=5000):
            pass
        assert asker.stdout.readline().strip() == "True"
    finally:
        asker.kill()
        asker.wait()
        first.release()


def test_lock_of_a_crashed_launcher_is_taken_over(qtbot, tmp_path):
    name = lock_name(uuid.uuid4().hex)
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


def test_old_requests_are_cleared_without_a_raise_and_others_users_are_left_alone(qtbot, tmp_path):
    """A request a long-gone second start left behind does not pull the window forward at start-up."""
    name = lock_name(uuid.uuid4().hex)
    old = tmp_path / f"{name}.123-1{REQUEST_SUFFIX}"
    old.write_text("come forward\n")
    hour_ago = time.time() - 3600
    os.utime(old, (hour_ago, hour_ago))
    other = tmp_path / f"{lock_name('someone else')}.5-1{REQUEST_SUFFIX}"
    other.write_text("come forward\n")
    first = SingleInstance(name, tmp_path)
    assert first.acquire()
    raised = []
    first.raiseRequested.connect(lambda: raised.append(True))
    first.listen()
    qtbot.wait(100)
    assert not old.exists() and raised == []
    assert other.exists()  # another lock name's request is not ours to answer
    first.release()


def test_no_qtnetwork_is_loaded_by_the_guard(tmp_path):
    """The point of the folder watch: the whole session runs without QtNetwork (2.6 MiB)."""
    code = ("import sys, os; os.environ['QT_QPA_PLATFORM'] = 'offscreen';"
            "from pathlib import Path; from PySide6.QtCore import QCoreApplication; app = QCoreApplication([]);"
            "from launcher.ui.single_instance import SingleInstance;"
            "a = SingleInstance('x', Path(sys.argv[1])); assert a.acquire(); a.listen();"
            "b = SingleInstance('x', Path(sys.argv[1])); assert not b.acquire();"
            "print(b.ask_first_to_come_forward(200) in (True, False), 'PySide6.QtNetwork' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["True", "False"]


def test_names_differ_per_suffix():
    assert lock_name("a") != lock_name("b")
    assert lock_name("a") == lock_name("a")


def test_lock_file_is_per_user_and_private(tmp_path):
    folder = tmp_path / "locks"
    guard = SingleInstance(lock_name(uuid.uuid4().hex), folder)
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
    guard = SingleInstance(lock_name(uuid.uuid4().hex), folder / "blocker" / "locks")
    assert guard.acquire()
    guard.release()


def test_a_lock_file_we_cannot_write_runs_unguarded(tmp_path):
    name = lock_name(uuid.uuid4().hex)
    (tmp_path / f"{name}.lock").mkdir()  # something that is not a lock file sits where the lock goes
    guard = SingleInstance(name, tmp_path)
    assert guard.acquire()


def test_a_damaged_lock_file_is_replaced(tmp_path):
    name = lock_name(uuid.uuid4().hex)
    (tmp_path / f"{name}.lock").write_bytes(b"\x00\x00garbage")  # torn by a crash or a full disk
    guard = SingleInstance(name, tmp_path)
    assert guard.acquire()
    assert not SingleInstance(name, tmp_path).acquire()  # and it is a real lock again
    guard.release()


def test_a_lock_left_under_another_host_name_is_taken_over(tmp_path):
    """macOS changes the host name with the network; Qt alone would never call such a lock stale."""
    name = lock_name(uuid.uuid4().hex)
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
    name = lock_name(uuid.uuid4().hex)
    holder = SingleInstance(name, tmp_path)
    assert holder.acquire()  # holds the lock, never answers
    paths = app_paths(str(tmp_path / "data")).ensure()
    with pytest.raises(LauncherError) as err:
        start_gui(load_config(), paths, language="pl", instance_name=name, lock_dir=tmp_path)
    assert err.value.code == "APP-RUNNING"
    assert _requests(tmp_path) == []  # the unanswered request is taken back
    holder.release()


def test_the_icon_and_qts_own_translations_arrive_right_after_the_first_paint(qapp, tmp_path):
    """start_gui leaves them out of the first paint (QIcon's first use and the qtbase catalogue cost
    start-up time); the customer still gets both, a moment later."""
    from PySide6.QtCore import QCoreApplication

    from launcher.config import load_config
    from launcher.core.paths import app_paths
    from launcher.selftest import spin_until
    from launcher.ui.app import start_gui

    qapp.setWindowIcon(QIcon())
    paths = app_paths(str(tmp_path / "data")).ensure()
    started = start_gui(load_config(), paths, language="pl", instance_name=lock_name(uuid.uuid4().hex),
                        lock_dir=tmp_path)
    try:
        assert spin_until(started.app, lambda: started.window.startup_finished, 20)
        assert not started.app.windowIcon().isNull()
        assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Anuluj"
    finally:
        started.window.close()
        started.controller.shutdown()
        started.instance.release()
        from PySide6.QtCore import QTranslator

        for translator in started.app.findChildren(QTranslator):  # other tests expect Qt's own English
            started.app.removeTranslator(translator)


def _refuse_taking_requests(monkeypatch, times: int | None = None) -> list[str]:
    """Make deleting a come-forward request fail (as Windows does for a file another process holds
    open) the first `times` times, or always; returns the names refused."""
    import pathlib

    real_unlink = pathlib.Path.unlink
    refused: list[str] = []

    def unlink(self, *args, **kwargs):
        if self.name.endswith(REQUEST_SUFFIX) and (times is None or len(refused) < times):
            refused.append(self.name)
            raise PermissionError(32, "The process cannot access the file")
        return real_unlink(self, *args, **kwargs)

    monkeypatch.setattr(pathlib.Path, "unlink", unlink)
    return refused


def test_a_request_held_open_for_a_moment_is_taken_when_it_is_free(qtbot, tmp_path, monkeypatch):
    """Windows refuses to delete a file another process (an antivirus scan) still has open, and no new
    change notice follows: the first instance tries again until it can take the request."""
    name = lock_name(uuid.uuid4().hex)
    first = SingleInstance(name, tmp_path)
    assert first.acquire() and first.listen()
    refused = _refuse_taking_requests(monkeypatch, times=1)
    asker = _ask_from_another_process(name, tmp_path)
    try:
        with qtbot.waitSignal(first.raiseRequested, timeout=5000):
            pass
        assert asker.stdout.readline().strip() == "True"
        assert refused  # the first attempt was refused and a later one took it
    finally:
        asker.kill()
        asker.wait()
        first.release()
    assert _requests(tmp_path) == [] and not list(tmp_path.glob("*.writing"))


def test_a_request_appears_whole_under_its_name(tmp_path):
    """Written under another name and renamed once closed: the first instance never sees a request it
    cannot take yet, and a failed ask leaves nothing behind."""
    name = lock_name(uuid.uuid4().hex)
    asker = SingleInstance(name, tmp_path)
    seen = []
    real_replace = os.replace

    def spy(src, dst):
        seen.append((os.path.basename(src), os.path.basename(dst), Path(src).read_text()))
        return real_replace(src, dst)

    import unittest.mock

    with unittest.mock.patch.object(single_instance.os, "replace", spy):
        assert not asker.ask_first_to_come_forward(timeout_ms=100)  # nobody answers
    (src, dst, text), = seen
    assert src.endswith(".writing") and dst.endswith(REQUEST_SUFFIX) and text == "come forward\n"
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX owners and modes")
def test_the_temporary_fallback_is_a_private_folder_of_this_user(tmp_path, monkeypatch):
    import tempfile

    monkeypatch.setattr(tempfile, "gettempdir", lambda: str(tmp_path / "shared-tmp"))
    (tmp_path / "shared-tmp").mkdir()
    (tmp_path / "blocker").write_text("")
    name = lock_name(uuid.uuid4().hex)
    guard = SingleInstance(name, tmp_path / "blocker" / "locks")  # the real folder cannot be made
    assert guard.folder == tmp_path / "shared-tmp" / name
    assert guard.folder.stat().st_mode & 0o077 == 0 and guard.folder.stat().st_uid == os.getuid()
    assert guard.acquire()
    guard.release()


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX owners and modes")
def test_a_temporary_folder_others_can_reach_is_not_used(tmp_path, monkeypatch):
    import tempfile

    monkeypatch.setattr(tempfile, "gettempdir", lambda: str(tmp_path / "shared-tmp"))
    name = lock_name(uuid.uuid4().hex)
    planted = tmp_path / "shared-tmp" / name
    planted.mkdir(parents=True)
    planted.chmod(0o777)  # as another user could have made it
    (tmp_path / "blocker").write_text("")
    guard = SingleInstance(name, tmp_path / "blocker" / "locks")
    assert guard.folder != planted and not guard.folder.exists()
    assert guard.acquire()  # runs unguarded rather than not at all
    assert guard.listen() is False  # and answers nobody
    guard.release()


def test_a_request_that_can_never_be_taken_is_given_up(qtbot, tmp_path, monkeypatch):
    """No endless retries: after a few seconds the first instance leaves it (the asker gave up long ago)."""
    monkeypatch.setattr(single_instance, "MAX_RETRIES", 3)
    name = lock_name(uuid.uuid4().hex)
    first = SingleInstance(name, tmp_path)
    assert first.acquire() and first.listen()
    attempts = _refuse_taking_requests(monkeypatch)
    (tmp_path / f"{name}.1-1{REQUEST_SUFFIX}").write_text("come forward\n")
    qtbot.waitUntil(lambda: len(attempts) >= 4, timeout=5000)  # the first try and three retries
    qtbot.wait(300)
    settled = len(attempts)
    qtbot.wait(500)
    assert len(attempts) == settled <= 8  # then no more (one chain per change notice, each capped)
    monkeypatch.undo()
    first.release()
