"""Set up a complete offline demo: server, config pointing at it, and a throw-away data folder."""

from __future__ import annotations

import contextlib
import errno
import json
import logging
import os
import signal
import stat
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import psutil

from launcher.config import Config, load_config
from launcher.core.applog import close_log_file_in
from launcher.core.errors import LauncherError
from launcher.core.fsutil import remove_tree
from launcher.core.paths import AppPaths, app_paths
from launcher.demo.server import DemoServer

log = logging.getLogger(__name__)


def demo_overrides(server: DemoServer, data_dir: Path) -> dict:
    return {
        "manifest": {"url": server.manifest_url, "public_keys": [server.public_key]},
        "download": {"allowed_hosts": ["127.0.0.1"], "proxy": ""},
        "connectivity": {
            "timeout_s": 2,
            "probes": [
                {"name": "download", "url": server.manifest_url},
                {"name": "teamviewer", "host": "127.0.0.1", "ports": [server.port]},
            ],
        },
        "paths": {"data_dir": str(data_dir)},
    }


DEMO_PREFIX = "overmax-demo-"
OWNER_FILE = "owner.json"  # {"pid": N, "started": process create time}: which process the folder is for
UNOWNED_GRACE_S = 3600.0  # a folder without an owner record (one made before records, or being made now)


def _owner_alive(record: dict) -> bool:
    try:
        proc = psutil.Process(int(record["pid"]))
        return abs(proc.create_time() - float(record["started"])) < 1.0  # not a new process with a reused pid
    except (psutil.NoSuchProcess, psutil.ZombieProcess):
        return False
    except (psutil.Error, KeyError, TypeError, ValueError):
        return True  # cannot tell: keep it


def _is_stale(folder: Path, st: os.stat_result, now: float) -> bool:
    try:
        record = json.loads((folder / OWNER_FILE).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return now - st.st_mtime > UNOWNED_GRACE_S
    except (OSError, ValueError):
        return False  # unreadable: not ours to judge
    return isinstance(record, dict) and not _owner_alive(record)


def remove_stale_demo_folders(temp_dir: Path | None = None, *, now: float | None = None) -> list[Path]:
    """Delete `overmax-demo-*` folders in the temporary folder left by demos that were killed outright.

    Only real directories (never a link, never followed) owned by this user, whose owner process is gone
    (or, without an owner record, untouched for an hour). Returns the folders removed.
    """
    temp_dir = Path(temp_dir or tempfile.gettempdir())
    now = time.time() if now is None else now
    removed = []
    try:
        entries = list(os.scandir(temp_dir))
    except OSError:
        return removed
    for entry in entries:
        if not entry.name.startswith(DEMO_PREFIX):
            continue
        try:
            st = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        if not stat.S_ISDIR(st.st_mode) or (hasattr(os, "getuid") and st.st_uid != os.getuid()):
            continue
        folder = Path(entry.path)
        if _is_stale(folder, st, now):
            _discard(folder)
            if not os.path.lexists(folder):
                removed.append(folder)
                log.info("removed a demo folder left behind: %s", folder)
    return removed


def _discard(folder: Path) -> None:
    """Delete a demo folder as far as it goes: links inside are never followed (rmtree), files with Windows'
    read-only attribute go too (fsutil.remove_tree); what another program still holds stays for the next demo."""
    with contextlib.suppress(OSError):
        remove_tree(folder)


def _make_workdir() -> Path:
    remove_stale_demo_folders()
    workdir = Path(tempfile.mkdtemp(prefix=DEMO_PREFIX))
    try:
        me = psutil.Process()
        record = {"pid": me.pid, "started": me.create_time()}
        (workdir / OWNER_FILE).write_text(json.dumps(record), encoding="utf-8")
    except BaseException:
        _discard(workdir)
        raise
    return workdir


# What a full, read-only or forbidden temporary folder raises (not a socket's errors, say)
_CANNOT_WRITE = {errno.ENOSPC, errno.EROFS, errno.EACCES, errno.EPERM, errno.ENOENT,
                 getattr(errno, "EDQUOT", errno.ENOSPC)}


def _temp_folder_error(exc: OSError) -> LauncherError:
    """The demo's temporary folder could not be written (a full disk, a read-only or missing folder)."""
    return LauncherError("APP-DATA-DIR", f"{tempfile.gettempdir()}: {exc}")


@contextlib.contextmanager
def demo_environment(config_path: str | None = None) -> Iterator[tuple[Config, AppPaths]]:
    """A demo server on 127.0.0.1 and a config and data folder for it, in a temporary folder deleted at
    the end (and by the next demo, should this process be killed before). APP-DATA-DIR when the temporary
    folder cannot be written (full, read-only)."""
    workdir: Path | None = None
    server: DemoServer | None = None
    try:
        try:
            with _signals_held():  # the folder's name is noted before a Ctrl+C or SIGTERM can end this
                workdir = _make_workdir()
            (workdir / "www").mkdir()
            with _signals_held():
                server = DemoServer(workdir / "www").start()
        except OSError as exc:
            if exc.errno in _CANNOT_WRITE:
                raise _temp_folder_error(exc) from exc
            raise
        config = load_config(config_path, overrides=demo_overrides(server, workdir / "data"))
        paths = app_paths(config.paths.data_dir).ensure()
        yield config, paths
    finally:
        with _signals_held():  # a signal now would stop the removal half-way
            if server is not None:
                server.stop()
            if workdir is not None:
                close_log_file_in(workdir)  # Windows deletes no open file: the log would stay behind
                _discard(workdir)


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """SIGINT and SIGTERM wait (POSIX, on the main thread) until the block is done; then they are handled."""
    if not hasattr(signal, "pthread_sigmask") or threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
