"""Never two launchers (and so never two QuickSupports): a second start brings the first window forward.

Who runs is decided by a lock file (QLockFile, per user, in the user's own 0700 folder): unlike a local
socket it cannot be mistaken for a crashed instance, because Qt checks that the holder's process lives.
The first instance then listens on a local socket and a second start asks it to come forward
(`instance_channel`: QLocalServer/QLocalSocket, one line each way): the first window then comes forward
and the second start says APP-RUNNING. A first instance that never answers (still starting, or hung)
leaves the second start with APP-RUNNING all the same, in a window.

The socket's name is derived from the user and the lock folder, so other users and other lock folders
(tests) never meet. On Unix the socket file sits in the private lock folder when its path is short
enough for a Unix socket address; elsewhere Qt's own naming (a named pipe on Windows) is used.
"""

from __future__ import annotations

import getpass
import hashlib
import logging
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QLockFile, QObject, Signal, Slot

from launcher import APP_ID
from launcher.core.paths import temp_folder
from launcher.ui.qt_paths import from_qt, to_qt

if TYPE_CHECKING:
    from launcher.ui.instance_channel import ComeForwardServer

log = logging.getLogger(__name__)

ASK_TIMEOUT_MS = 2000  # how long a second start waits: the first instance may still be painting its window
_UNIX_SOCKET_PATH_MAX = 103  # sun_path is 104 (macOS) or 108 (Linux) bytes, with its final NUL


def lock_name(suffix: str = "") -> str:
    """`APP_ID-<16 hex digits>` from the user name and `suffix` (the lock folder): the lock file's and the
    socket's name."""
    try:
        user = getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name: one name for everyone still works
        user = "user"
    return f"{APP_ID}-{hashlib.sha256(f'{user}|{suffix}'.encode()).hexdigest()[:16]}"


def default_lock_dir() -> Path:
    """Per-user and independent of the config's data folder: one launcher per user, whatever config.
    The data folder, not the cache, which cleaning tools may empty under a running launcher."""
    import platformdirs

    from launcher import ORG_NAME

    return Path(platformdirs.user_data_dir(APP_ID, ORG_NAME, roaming=False))


def _private_temp_folder(name: str) -> Path:
    """The fallback lock folder: the user's own folder inside the shared temporary one (0700, owned by
    this user where the OS says who owns what), never the shared folder itself. The temporary folder as the
    environment names it (`paths.temp_folder`): where that cannot be written either, no lock, rather than one in
    whatever folder Python's tempfile would fall back to (the current one: the install folder, Pobrane)."""
    folder = temp_folder() / name
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
        if hasattr(os, "getuid"):
            info = folder.stat()
            if info.st_uid != os.getuid() or info.st_mode & 0o077:
                raise PermissionError(f"{folder} is not this user's private folder")
    except OSError as exc:
        log.warning("no private temporary folder for the single-instance lock either (%s)", exc)
        return folder / "unusable"  # QLockFile cannot write there: acquire() runs unguarded
    return folder


def server_name(name: str, folder: Path) -> str:
    """What QLocalServer listens on: on Unix a socket file in the private lock folder when its path fits a
    Unix socket address, else in the session's private runtime folder ($XDG_RUNTIME_DIR, /run/user/UID),
    else `name` (Qt puts it in the temporary folder; on Windows it is a named pipe's name).

    A home with Polish letters fills the address quickly (two bytes each in UTF-8): /home/Łukasz Żółć/...
    under a long domain user's name does not fit, and neither did a temporary folder below such a home."""
    if sys.platform == "win32":
        return name
    file_name = f"{hashlib.sha256(name.encode()).hexdigest()[:16]}.sock"  # short: it must fit
    for candidate in (folder, _private_runtime_dir()):
        if candidate is not None:
            path = candidate / file_name
            if len(os.fsencode(path)) <= _UNIX_SOCKET_PATH_MAX:
                return to_qt(path)
    return name


def _private_runtime_dir() -> Path | None:
    """$XDG_RUNTIME_DIR where it is this user's own 0700 folder (as the XDG spec requires), else None."""
    value = os.environ.get("XDG_RUNTIME_DIR", "")
    if not value or not os.path.isabs(value) or not hasattr(os, "getuid"):
        return None
    try:
        info = os.stat(value)
    except OSError:
        return None
    if not os.path.isdir(value) or info.st_uid != os.getuid() or info.st_mode & 0o077:
        return None
    return Path(value)


def _holder_pid(lock: QLockFile) -> int | None:
    """The PID written in `lock` by the launcher holding it; 0 while that launcher has not written it yet.
    PySide6 6.6 (the Windows build's, the newest that runs under Wine 8) exposes getLockInfo() only with the C++
    out-parameters (calling it raises TypeError): there the lock file's first line says it. None where neither
    can be read."""
    try:
        return int(lock.getLockInfo()[0])
    except TypeError:
        pass
    try:  # QLockFile's own file: the PID on its first line, then the application's and the host's names
        with open(from_qt(lock.fileName()), encoding="utf-8", errors="replace") as held:
            first = held.readline().strip()
    except OSError:
        return None
    return int(first) if first.isdigit() else None


ASFW_ANY = 0xFFFFFFFF  # AllowSetForegroundWindow: any process


def hand_over_foreground(pid: int | None) -> bool:
    """Windows: let the running launcher (`pid`; any process where its PID is not known) take the foreground
    when it comes forward. Windows lets only the process the customer just started (this second start) set the
    foreground window; a background process's activateWindow() only flashes its taskbar button. Returns
    whether Windows allowed it; False (and nothing done) elsewhere."""
    if sys.platform != "win32":
        return False
    import ctypes
    from ctypes import wintypes

    user32 = ctypes.WinDLL("user32", use_last_error=True)  # type: ignore[attr-defined]
    user32.AllowSetForegroundWindow.argtypes = [wintypes.DWORD]
    user32.AllowSetForegroundWindow.restype = wintypes.BOOL
    if user32.AllowSetForegroundWindow(pid or ASFW_ANY):
        return True
    log.info("AllowSetForegroundWindow(%s) refused: error %d", pid or "ASFW_ANY", ctypes.get_last_error())  # type: ignore[attr-defined]
    return False


class SingleInstance(QObject):
    """The lock (acquire/release); both ends of the come-forward conversation (listen, ask) go through
    `instance_channel`."""

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
        self.server_name = server_name(name, folder)
        self.lock = QLockFile(to_qt(folder / f"{name}.lock"))
        # A lock is stale only when its process is gone (Qt checks the PID); never because of its age,
        # or a session longer than the default 30 s would let a second launcher in.
        self.lock.setStaleLockTime(0)
        self._server: ComeForwardServer | None = None

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
            while (pid := _holder_pid(self.lock)) == 0 and time.monotonic() < deadline:
                if self.lock.tryLock(50):
                    return True
            # a binding that cannot name the holder: a lock file that exists is another launcher's
            if pid or (pid is None and from_qt(self.lock.fileName()).is_file()):
                log.info("another launcher (pid %s) holds %s", pid or "unknown", self.lock.fileName())
                return False
        log.warning("single-instance lock %s unusable (%s): running without it", self.lock.fileName(),
                    self.lock.error())
        return True

    # ----- the first instance: answer "come forward"
    @Slot()
    def listen(self) -> bool:
        """Answer come-forward requests from now on (a second start that asked meanwhile is still
        retrying). Only the lock holder may call this: a socket already at our name is then a crashed
        launcher's and is removed. True if listening."""
        if self._server is not None:
            return self._server.is_listening()
        if not self.lock.isLocked():
            log.warning("running without the single-instance lock: not answering second starts")
            return False
        from launcher.ui.instance_channel import ComeForwardServer

        server = ComeForwardServer(self)
        server.raiseRequested.connect(self.raiseRequested)
        server.listen(self.server_name)
        self._server = server
        return server.is_listening()

    def release(self) -> None:
        """Stop answering and give the lock up (the launcher is ending)."""
        if self._server is not None:
            self._server.close()
        self.lock.unlock()

    # ----- a second start: ask the first one
    def ask_first_to_come_forward(self, timeout_ms: int | None = None) -> bool:
        """True if the launcher holding the lock answered within timeout_ms (and will come forward).
        Needs a QCoreApplication; blocks the calling thread (a second start has no window yet)."""
        from launcher.ui.instance_channel import ask_to_come_forward

        hand_over_foreground(_holder_pid(self.lock))
        return ask_to_come_forward(self.server_name, ASK_TIMEOUT_MS if timeout_ms is None else timeout_ms)
