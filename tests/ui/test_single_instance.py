"""One launcher per user: a lock file decides, a local socket brings the first window forward."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from PySide6.QtCore import QByteArray, QLockFile, QObject, Slot
from PySide6.QtGui import QIcon
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from launcher.ui import instance_channel, single_instance
from launcher.ui.single_instance import SingleInstance, lock_name


def _ask_from_another_process(name: str, folder, timeout_ms: int = 5000) -> subprocess.Popen:
    """A second start is another process: it prints "asking", then whether the first one answered."""
    code = ("import sys; from pathlib import Path; from PySide6.QtCore import QCoreApplication;"
            "app = QCoreApplication([]); from launcher.ui.single_instance import SingleInstance;"
            "asker = SingleInstance(sys.argv[1], Path(sys.argv[2])); print('asking', flush=True);"
            "print(asker.ask_first_to_come_forward(int(sys.argv[3])), flush=True)")
    return subprocess.Popen([sys.executable, "-c", code, name, str(folder), str(timeout_ms)],
                            stdout=subprocess.PIPE, text=True)


def _answer_of(asker: subprocess.Popen, qtbot) -> str:
    """What the asking process said last, once it has ended. The first launcher answers from its event
    loop, which runs meanwhile: a second start that asks again on a new connection (no answer within
    instance_channel.ANSWER_WAIT_MS on a busy machine) is answered on that one too."""
    qtbot.waitUntil(lambda: asker.poll() is not None, timeout=60_000)
    return asker.stdout.read().strip()


def test_second_start_asks_the_first_to_come_forward(qtbot, tmp_path):
    name = lock_name(uuid.uuid4().hex)
    nobody = SingleInstance(name, tmp_path)
    assert not nobody.ask_first_to_come_forward(timeout_ms=200)  # nobody there yet
    first = SingleInstance(name, tmp_path)
    assert first.acquire()
    assert first.listen()
    second = SingleInstance(name, tmp_path)
    assert not second.acquire()  # the lock decides
    asker = _ask_from_another_process(name, tmp_path)
    try:
        assert asker.stdout.readline().strip() == "asking"
        with qtbot.waitSignal(first.raiseRequested, timeout=10_000, raising=True):
            pass
        assert _answer_of(asker, qtbot) == "True"  # answered
    finally:
        asker.kill()
        asker.wait()
    first.release()
    assert second.acquire()  # the first one ended: the next start is the only launcher
    second.release()


def test_a_request_made_while_the_first_was_starting_is_answered_when_it_listens(qtbot, tmp_path):
    name = lock_name(uuid.uuid4().hex)
    first = SingleInstance(name, tmp_path)
    assert first.acquire()  # painting its first window: not listening yet
    asker = _ask_from_another_process(name, tmp_path, timeout_ms=20_000)
    try:
        assert asker.stdout.readline().strip() == "asking"  # and retrying until someone listens
        with qtbot.waitSignal(first.raiseRequested, timeout=20_000, raising=True):
            assert first.listen()
        assert _answer_of(asker, qtbot) == "True"
    finally:
        asker.kill()
        asker.wait()
        first.release()


class _DeafThenAnswering(QObject):
    """A first launcher's socket that never sees its first connection (as Qt's QLocalServer under Wine
    misses one made while it starts listening) and answers the next one."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.server = QLocalServer(self)
        self.server.newConnection.connect(self._on_new_connection)
        assert self.server.listen(name), self.server.errorString()
        self.connections: list[QLocalSocket] = []

    @Slot()
    def _on_new_connection(self) -> None:
        while (client := self.server.nextPendingConnection()) is not None:
            self.connections.append(client)
            if len(self.connections) > 1:
                client.readyRead.connect(self._answer)

    @Slot()
    def _answer(self) -> None:
        client = self.sender()
        if client.canReadLine() and client.readLine(100).data() == instance_channel.REQUEST:
            client.write(QByteArray(instance_channel.ANSWER))
            client.flush()


def test_a_connection_that_gets_no_answer_is_asked_again_on_a_new_one(qtbot, tmp_path):
    name = lock_name(uuid.uuid4().hex)
    deaf = _DeafThenAnswering(single_instance.server_name(name, tmp_path))
    asker = _ask_from_another_process(name, tmp_path, timeout_ms=20_000)
    try:
        assert asker.stdout.readline().strip() == "asking"
        qtbot.waitUntil(lambda: len(deaf.connections) >= 2, timeout=20_000)
        assert _answer_of(asker, qtbot) == "True"
    finally:
        asker.kill()
        asker.wait()
        deaf.server.close()


def test_a_first_launcher_that_listens_but_never_answers_is_not_taken_for_an_answer(qtbot, tmp_path):
    """Connected, but its event loop never runs (hung): the second start gives up within its time."""
    name = lock_name(uuid.uuid4().hex)
    first = SingleInstance(name, tmp_path)
    assert first.acquire() and first.listen()
    began = time.monotonic()
    assert not SingleInstance(name, tmp_path).ask_first_to_come_forward(timeout_ms=300)  # loop not spun
    assert time.monotonic() - began < 10
    first.release()


@pytest.mark.skipif(sys.platform == "win32", reason="a socket file in the lock folder is Unix's")
def test_a_socket_left_by_a_crashed_launcher_is_replaced(qtbot, tmp_path):
    name = lock_name(uuid.uuid4().hex)
    crashed = subprocess.run(
        [sys.executable, "-c",
         "import os, sys; from PySide6.QtCore import QCoreApplication; app = QCoreApplication([]);"
         "from PySide6.QtNetwork import QLocalServer; s = QLocalServer(); assert s.listen(sys.argv[1]);"
         "os._exit(0)", single_instance.server_name(name, tmp_path)], timeout=60)
    assert crashed.returncode == 0
    assert Path(single_instance.server_name(name, tmp_path)).exists()  # left behind, nobody listening
    first = SingleInstance(name, tmp_path)
    assert first.acquire() and first.listen()
    asker = _ask_from_another_process(name, tmp_path)
    try:
        with qtbot.waitSignal(first.raiseRequested, timeout=10_000, raising=True):
            pass
        assert asker.stdout.readline().strip() == "asking"
        assert _answer_of(asker, qtbot) == "True"
    finally:
        asker.kill()
        asker.wait()
        first.release()


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes")
def test_only_this_user_can_reach_the_socket(tmp_path):
    name = lock_name(uuid.uuid4().hex)
    first = SingleInstance(name, tmp_path)
    assert first.acquire() and first.listen()
    assert Path(first.server_name).stat().st_mode & 0o077 == 0
    first.release()


def test_anything_but_a_come_forward_request_is_hung_up_on(qtbot, tmp_path):
    name = lock_name(uuid.uuid4().hex)
    first = SingleInstance(name, tmp_path)
    assert first.acquire() and first.listen()
    raised: list[bool] = []
    first.raiseRequested.connect(lambda: raised.append(True))
    for junk in (b"hello\n", b"x" * 1000):
        client = QLocalSocket()
        with qtbot.waitSignal(client.connected, timeout=5000, raising=True):
            client.connectToServer(first.server_name)
        with qtbot.waitSignal(client.disconnected, timeout=5000, raising=True):
            client.write(junk)
        assert client.readAll().data() == b""  # no "ok"
    assert raised == []
    first.release()


def test_the_socket_name_is_per_user_and_folder_and_fits_a_socket_address(tmp_path):
    name = lock_name("a")
    assert single_instance.server_name(name, tmp_path) != single_instance.server_name(lock_name("b"), tmp_path)
    assert single_instance.server_name(name, tmp_path).startswith(str(tmp_path)) or sys.platform == "win32"
    deep = tmp_path / ("d" * 120)
    assert single_instance.server_name(name, deep) == name  # too long for a Unix socket: Qt's own place


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


def test_an_unwritable_lock_folder_does_not_keep_the_launcher_from_starting(tmp_path, monkeypatch):
    _temp_folder_is(tmp_path / "tmp", monkeypatch)  # its private fallback folder is made there, not in /tmp
    (tmp_path / "tmp").mkdir()
    folder = tmp_path / "ro"
    folder.mkdir()
    (folder / "blocker").write_text("")
    # a lock "folder" that is a file: neither the folder nor the lock can be made
    guard = SingleInstance(lock_name(uuid.uuid4().hex), folder / "blocker" / "locks")
    assert guard.folder.parent == tmp_path / "tmp"
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
    holder.release()


def test_the_icon_and_qts_own_translations_arrive_right_after_the_first_paint(qapp, tmp_path):
    """start_gui adds them after the first paint (the first window needs neither); the customer still
    gets both, a moment later."""
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


def _temp_folder_is(folder, monkeypatch) -> None:
    """The temporary folder as the environment names it (launcher.core.paths.temp_folder): TMPDIR on POSIX, TMP
    (then TEMP) on Windows, where GetTempPathW reads the process's variables."""
    for var in ("TMPDIR", "TMP", "TEMP"):
        monkeypatch.setenv(var, str(folder))


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX owners and modes")
def test_the_temporary_fallback_is_a_private_folder_of_this_user(tmp_path, monkeypatch):
    _temp_folder_is(tmp_path / "shared-tmp", monkeypatch)
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
    _temp_folder_is(tmp_path / "shared-tmp", monkeypatch)
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


def test_a_second_start_hands_the_foreground_to_the_first_before_asking(qtbot, tmp_path, monkeypatch):
    """On Windows only the process the customer just started may bring a window to the front; the first
    launcher, a background process, would only flash its taskbar button. The second start hands it the
    foreground (AllowSetForegroundWindow with the PID in the lock) before it asks."""
    from launcher.ui import single_instance

    name = lock_name(uuid.uuid4().hex)
    first = SingleInstance(name, tmp_path)
    assert first.acquire()
    try:
        handed: list = []
        monkeypatch.setattr(single_instance, "hand_over_foreground", handed.append)
        second = SingleInstance(name, tmp_path)
        assert not second.acquire()
        assert not second.ask_first_to_come_forward(timeout_ms=100)  # the first is not listening here
        assert handed == [os.getpid()]  # the holder's PID, from its lock (this very process here)
    finally:
        first.release()
    assert single_instance.ASFW_ANY == 0xFFFFFFFF
    if sys.platform != "win32":
        monkeypatch.undo()
        assert single_instance.hand_over_foreground(os.getpid()) is False  # nothing to do off Windows


def test_the_holders_pid_is_read_from_the_lock_file_where_the_binding_cannot_say(tmp_path):
    """PySide6 6.6 (the Windows build's) raises TypeError from QLockFile.getLockInfo(): the holder's PID comes
    from the lock file's first line, so the second start hands the foreground to that process, not to any."""
    from launcher.ui.single_instance import _holder_pid

    class OldBinding(QLockFile):
        def getLockInfo(self):  # noqa: N802 - Qt API
            raise TypeError("getLockInfo() needs its out-parameters")

    held = QLockFile(str(tmp_path / "x.lock"))
    assert held.tryLock(0)
    try:
        assert _holder_pid(OldBinding(str(tmp_path / "x.lock"))) == os.getpid()
    finally:
        held.unlock()
    assert _holder_pid(OldBinding(str(tmp_path / "x.lock"))) is None  # no file: nobody to name
    (tmp_path / "x.lock").write_text("")
    assert _holder_pid(OldBinding(str(tmp_path / "x.lock"))) is None  # being written: not a PID yet
