"""Never two launchers (and so never two QuickSupports): a second start brings the first window forward.

A lock file (QLockFile, per user) decides who is first: it cannot be mistaken for a crashed instance
the way a local socket can, and it costs nothing at start-up. A second start then leaves a "come
forward" request beside the lock; the first instance watches that folder (QFileSystemWatcher, opened
after its window is painted) and answers by deleting the request and raising its window, and the
second start waits for the request to go. The folder is the user's own (0700), so only the same user
can ask.

Not a QLocalServer: loading QtNetwork for one local socket costs 2.6 MiB for the whole session (a third
of what the launcher was over its memory target, tests/perf/bench_memory.py); the folder watch is
QtCore's, and where a file system sends no change notices it is polled instead.
"""

from __future__ import annotations

import contextlib
import getpass
import logging
import os
import time
import zlib
from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QLockFile, QObject, QTimer, Signal, Slot

from launcher import APP_ID

log = logging.getLogger(__name__)

REQUEST_SUFFIX = ".come-forward"
ASK_TIMEOUT_MS = 2000  # the first instance may still be starting up when a second one asks
POLL_MS = 250  # where the folder cannot be watched
RETRY_MS = 50  # a request that could not be taken yet
MAX_RETRIES = 100  # 5 s: longer than any second start waits
STALE_REQUEST_S = 60  # a request this old at start-up was left by a second start that gave up long ago


def lock_name(suffix: str = "") -> str:
    try:
        user = getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name: one name for everyone still works
        user = "user"
    # Only tells users and lock folders apart (the lock file decides who runs); crc32 because hashlib
    # would load OpenSSL before the first paint.
    return f"{APP_ID}-{zlib.crc32(f'{user}|{suffix}'.encode()):08x}"


def default_lock_dir() -> Path:
    """Per-user and independent of the config's data folder: one launcher per user, whatever config.
    The data folder, not the cache, which cleaning tools may empty under a running launcher."""
    import platformdirs

    from launcher import ORG_NAME

    return Path(platformdirs.user_data_dir(APP_ID, ORG_NAME, roaming=False))


def _private_temp_folder(name: str) -> Path:
    """The fallback lock folder: the user's own folder inside the shared temporary one (0700, owned by
    this user where the OS says who owns what), never the shared folder itself, where other users could
    leave requests and every change of anyone's temporary files would wake the watch."""
    import tempfile

    folder = Path(tempfile.gettempdir()) / name
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
        if hasattr(os, "getuid"):
            info = folder.stat()
            if info.st_uid != os.getuid() or info.st_mode & 0o077:
                raise PermissionError(f"{folder} is not this user's private folder")
    except OSError as exc:
        log.warning("no private temporary folder for the single-instance lock either (%s)", exc)
        return folder / "unusable"  # QLockFile cannot write there: acquire() runs unguarded, no watch
    return folder


class SingleInstance(QObject):
    raiseRequested = Signal()

    def __init__(self, name: str, lock_dir: Path | None = None) -> None:
        super().__init__()
        self.name = name
        folder = lock_dir or default_lock_dir()
        try:
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError as exc:  # a read-only profile must not keep the customer from getting help
            log.warning("no folder for the single-instance lock (%s); using a private temporary one", exc)
            folder = _private_temp_folder(name)
        self.folder = folder
        self.lock = QLockFile(str(folder / f"{name}.lock"))
        # A lock is stale only when its process is gone (Qt checks the PID); never because of its age,
        # or a session longer than the default 30 s would let a second launcher in.
        self.lock.setStaleLockTime(0)
        self._watcher: QFileSystemWatcher | None = None
        self._poll: QTimer | None = None
        self._retries = 0

    # ----- who is first
    def acquire(self) -> bool:
        """True if this is the only launcher of this user.

        A lock no live launcher holds is replaced, whatever it looks like: left by a crash (also under
        another host name, which macOS changes with the network), torn, or carrying a reused PID.
        Qt's removal refuses while the holder lives (flock on Unix, share mode on Windows), so a
        running launcher's lock is never taken. A lock that cannot be written at all does not stop
        the launcher: it runs unguarded and says so in the log."""
        if self.lock.tryLock(0):
            return True
        if self.lock.removeStaleLockFile() and self.lock.tryLock(0):
            log.warning("replaced a single-instance lock no running launcher held: %s", self.lock.fileName())
            return True
        if self.lock.error() == QLockFile.LockError.LockFailedError:
            deadline = time.monotonic() + 0.3  # a launcher starting this moment may not have written it yet
            while not (pid := self.lock.getLockInfo()[0]) and time.monotonic() < deadline:
                if self.lock.tryLock(50):
                    return True
            if pid:
                log.info("another launcher (pid %s) holds %s", pid, self.lock.fileName())
                return False
        log.warning("single-instance lock %s unusable (%s): running without it", self.lock.fileName(),
                    self.lock.error())
        return True

    # ----- the first instance: answer "come forward"
    def _requests(self) -> list[Path]:
        try:
            return [p for p in self.folder.iterdir() if p.name.startswith(f"{self.name}.")
                    and p.name.endswith(REQUEST_SUFFIX)]
        except OSError:
            return []

    @Slot()
    def listen(self) -> bool:
        """Answer "come forward" requests from now on (and any that came while this one started).
        True if the folder is watched, False if it is polled instead."""
        if self._watcher is not None:
            return bool(self._watcher.directories())
        if not self.folder.is_dir():
            log.warning("no single-instance folder to watch: a second start cannot bring this window forward")
            return False
        now = time.time()
        for request in self._requests():  # left by second starts that gave up long ago: not for us
            try:
                if now - request.stat().st_mtime > STALE_REQUEST_S:
                    request.unlink()
            except OSError:
                continue
        self._watcher = QFileSystemWatcher(self)
        self._watcher.directoryChanged.connect(self._answer)
        watched = self._watcher.addPath(str(self.folder))
        if not watched:
            log.info("the single-instance folder %s cannot be watched: polling it", self.folder)
            self._poll = QTimer(self)
            self._poll.setInterval(POLL_MS)
            self._poll.timeout.connect(self._answer)
            self._poll.start()
        self._answer()
        return watched

    @Slot()
    @Slot(str)
    def _answer(self, _folder: str = "") -> None:
        answered = busy = False
        for request in self._requests():
            try:
                request.unlink()  # the answer the second start waits for
                answered = True
            except FileNotFoundError:
                continue  # another answer got there first
            except OSError:
                busy = True  # held open for a moment (Windows: an antivirus scan): no new notice will come
        if answered:
            self.raiseRequested.emit()
        self._retries = self._retries + 1 if busy else 0
        if busy and self._retries <= MAX_RETRIES:
            QTimer.singleShot(RETRY_MS, self._answer)
        elif busy:
            log.warning("a come-forward request in %s cannot be taken; leaving it", self.folder)

    def release(self) -> None:
        if self._poll is not None:
            self._poll.stop()
        if self._watcher is not None and self._watcher.directories():
            self._watcher.removePaths(self._watcher.directories())
        self.lock.unlock()

    # ----- a second start: ask the first one
    def ask_first_to_come_forward(self, timeout_ms: int | None = None) -> bool:
        """True if the launcher holding the lock answered within timeout_ms (and will come forward)."""
        timeout = (ASK_TIMEOUT_MS if timeout_ms is None else timeout_ms) / 1000
        stem = f"{self.name}.{os.getpid()}-{time.monotonic_ns()}"
        request = self.folder / f"{stem}{REQUEST_SUFFIX}"
        written = self.folder / f"{stem}.writing"
        try:
            with open(written, "x", encoding="ascii") as out:
                out.write("come forward\n")
            # appears whole and closed, under a name the first instance looks for: it can take it at once
            os.replace(written, request)
        except OSError as exc:
            log.warning("could not ask the running launcher to come forward: %s", exc)
            with contextlib.suppress(OSError):
                written.unlink()
            return False
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not request.exists():
                return True
            time.sleep(0.02)
        try:
            request.unlink()  # nobody took it: leave nothing behind
        except FileNotFoundError:
            return True  # answered at the last moment
        except OSError:
            pass
        return False
