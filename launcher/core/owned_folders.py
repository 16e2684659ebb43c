"""Working folders that a killed launcher cannot leave behind: each owned through a lock file beside it.

The folder QuickSupport is unpacked into (`<runtime>/qs-<hex>`) and the demo's temporary folder
(`<temp>/overmax-demo-<hex>`) are deleted when their session ends. A launcher that is killed (Task Manager, a
crash, the power going off) cannot do that, and the unpacked QuickSupport, with the TeamViewer log of who
connected, would stay in the user's folders for good. So each folder has an owner: the process holding the
lock file beside it, `<prefix><hex>.lock` (filelock: flock on POSIX, LockFileEx on Windows; the OS lets go
of it when the holder dies, however it dies). Before a new folder is made, `sweep_stale` deletes every folder
of that prefix whose lock nobody holds.

The lock is taken before the folder exists and let go only after the folder is deleted, so a folder is never
without its owner while that owner lives: a sweep running in another launcher at that very moment cannot take
a folder that is being made. A folder with no lock file at all (made by a launcher before this one) is stale
by definition. The lock sits beside the folder rather than inside it: Windows refuses to delete a file that
is held open, and the folder must go before the lock is let go.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import secrets
import time
from pathlib import Path

from filelock import FileLock, Timeout

from launcher.core.fsutil import clear_readonly, remove_file, remove_tree
from launcher.core.unique_names import ATTEMPTS, is_name_clash

log = logging.getLogger(__name__)

LOCK_SUFFIX = ".lock"


def _lock(path: Path) -> FileLock:
    # not thread-local: the folder is made on the session's thread and may be removed from another
    # (the program's exit); timeout 0: a lock someone holds means "in use", never "wait"
    return FileLock(path, timeout=0, thread_local=False, mode=0o600)


class OwnedFolder:
    """One session's private folder, `path`, and the lock that says its owner is alive (None: a folder
    made some other way, deleted all the same)."""

    def __init__(self, path: Path, lock: FileLock | None) -> None:
        self.path = path
        self._lock = lock

    def remove(self, tries: int = 1, pause_s: float = 0.1) -> OSError | None:
        """Delete the folder (read-only files too), trying `tries` times `pause_s` apart (Windows may hold a
        file a moment after its process died), then let go of the lock. The lock file goes with the folder;
        where the folder stays, the error is returned and the next launcher's sweep tries again."""
        error: OSError | None = None
        for attempt in range(tries):
            try:
                remove_tree(self.path)
                error = None
                break
            except OSError as exc:
                error = exc
                if attempt + 1 < tries:
                    time.sleep(pause_s)
        if self._lock is not None:
            self._lock.release(force=True)
            if error is None:
                with contextlib.suppress(OSError):
                    remove_file(self._lock.lock_file, missing_ok=True)
        return error


def create(parent: Path, prefix: str, attempts: int = ATTEMPTS) -> OwnedFolder:
    """A new empty folder `parent/<prefix><hex>` (mode 0700), its lock held by this process. `parent` must
    exist. Raises OSError (ENOSPC, EACCES, ...) as os.mkdir or the lock file's creation does, at once; a name
    taken (its lock held by another launcher, a stale folder of that name) draws another, `attempts` times at
    most (then FileExistsError), as launcher.core.unique_names does: never a loop without end."""
    for _ in range(attempts):
        name = prefix + secrets.token_hex(6)
        lock = _lock(parent / (name + LOCK_SUFFIX))
        try:
            lock.acquire()
        except Timeout:  # another launcher holds that very name: draw again
            continue
        path = parent / name
        try:
            os.mkdir(path, 0o700)
        except OSError as exc:
            lock.release(force=True)
            if is_name_clash(exc, path):  # a stale folder of that name: the sweep's business, not ours
                continue
            with contextlib.suppress(OSError):
                remove_file(lock.lock_file, missing_ok=True)
            raise
        return OwnedFolder(path, lock)
    raise FileExistsError(errno.EEXIST, f"no unused {prefix}* name found in {attempts} tries", str(parent))


def sweep_stale(parent: Path, prefix: str) -> list[Path]:
    """Delete every `<prefix>*` folder in `parent` whose owner is gone (its lock free or missing) and the lock
    files left without a folder. Folders whose owner lives are left alone, and so are those of other users
    (their lock cannot be opened); links are never followed; a folder that cannot be deleted now (Windows: a
    file still held) is logged and left for the next sweep. Returns the folders deleted. Never raises (a
    `parent` that cannot be listed is logged and gives [])."""
    try:
        entries = list(os.scandir(parent))
    except FileNotFoundError:
        return []
    except OSError as exc:
        log.warning("cannot look for leftover folders in %s: %s", parent, exc)
        return []
    names: set[str] = set()
    for entry in entries:
        if not entry.name.startswith(prefix) or not _mine(entry):
            continue
        if entry.name.endswith(LOCK_SUFFIX):
            names.add(entry.name[: -len(LOCK_SUFFIX)])
        elif entry.is_dir(follow_symlinks=False):
            names.add(entry.name)
    removed = []
    for name in sorted(names):
        if _sweep_one(parent, name):
            removed.append(parent / name)
    return removed


def _mine(entry: os.DirEntry) -> bool:
    """Made by this user (POSIX). On Windows the parent is the launcher's runtime folder, whose protected access
    list (paths.make_private_dir) lets no other user make anything in it. Root in a shared /tmp could open
    anyone's lock file and delete anyone's folder: it must not."""
    if not hasattr(os, "getuid"):
        return True
    try:
        return entry.stat(follow_symlinks=False).st_uid == os.getuid()
    except OSError:
        return False


def _sweep_one(parent: Path, name: str) -> bool:
    """True when the stale folder `name` was deleted (a lone lock file removed is not counted)."""
    lock_path = parent / (name + LOCK_SUFFIX)
    folder = parent / name
    if hasattr(os, "getuid"):
        for path in (lock_path, folder):  # both must be this user's, not only the one that was listed
            with contextlib.suppress(FileNotFoundError):
                if os.lstat(path).st_uid != os.getuid():
                    return False
    clear_readonly(lock_path)  # filelock cannot open a read-only lock file for writing
    lock = _lock(lock_path)
    try:
        lock.acquire()
    except Timeout:
        return False  # its launcher lives
    except OSError as exc:
        log.warning("cannot tell whether %s is in use: %s", lock_path, exc)
        return False
    existed = os.path.isdir(folder) and not os.path.islink(folder)
    try:
        if existed:
            remove_tree(folder)
            log.info("deleted %s, left by a process that could not end its session", folder)
    except OSError as exc:
        log.warning("could not delete %s, left by an earlier process: %s", folder, exc)
        return False
    finally:
        lock.release(force=True)
    with contextlib.suppress(OSError):
        remove_file(lock_path, missing_ok=True)
    return existed
