"""Set up a complete offline demo: server, config pointing at it, and a throw-away data folder."""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import signal
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

from launcher.config import Config, load_config
from launcher.core import owned_folders
from launcher.core.applog import close_log_file_in
from launcher.core.errors import LauncherError
from launcher.core.owned_folders import OwnedFolder
from launcher.core.paths import AppPaths, app_paths, temp_folder
from launcher.demo import scenario as stand_in_options
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


DEMO_PREFIX = "overmax-demo-"  # <temp>/overmax-demo-<hex>, owned through a lock file beside it (owned_folders)


def remove_stale_demo_folders(temp_dir: Path | None = None) -> list[Path]:
    """Delete `overmax-demo-*` folders in the temporary folder left by demos that were killed outright: only
    this user's real folders (never a link, never followed) whose owner is gone. Returns the folders removed."""
    return owned_folders.sweep_stale(Path(temp_dir or temp_folder()), DEMO_PREFIX)


def _make_workdir() -> OwnedFolder:
    temp_dir = temp_folder()  # as named: never another folder Python's tempfile would fall back to
    owned_folders.sweep_stale(temp_dir, DEMO_PREFIX)
    return owned_folders.create(temp_dir, DEMO_PREFIX)


# What a full, read-only or forbidden temporary folder raises (not a socket's errors, say)
_CANNOT_WRITE = {errno.ENOSPC, errno.EROFS, errno.EACCES, errno.EPERM, errno.ENOENT,
                 getattr(errno, "EDQUOT", errno.ENOSPC)}


def _temp_folder_error(exc: OSError) -> LauncherError:
    """The demo's temporary folder could not be written (a full disk, a read-only or missing folder)."""
    return LauncherError("APP-DATA-DIR", f"{temp_folder()}: {exc}")


def check_stand_in_options() -> None:
    """OVERMAX_DEMO_SCENARIO and OVERMAX_DEMO_JOIN_WORDING as this system's stand-in takes them (unset: its
    defaults). The stand-in refuses any other value by ending at once, which the launcher could only call
    QS-EXITED ("run it again", which never helps): a trainer's typo is said before anything starts, naming
    the variable and the values it takes (APP-USAGE)."""
    if sys.platform == "win32":  # launcher/demo/windows/standin.c, which also takes "transfer" for "files"
        allowed = {stand_in_options.ENV_SCENARIO: (*stand_in_options.SCENARIOS, "transfer"),
                   stand_in_options.ENV_JOIN_WORDING: stand_in_options.JOIN_WORDINGS}
    else:
        from launcher.demo import standin

        allowed = {stand_in_options.ENV_SCENARIO: standin.SCENARIOS,
                   stand_in_options.ENV_JOIN_WORDING: standin.JOIN_WORDINGS}
    for variable, values in allowed.items():
        value = os.environ.get(variable, "").strip().lower()
        if value and value not in values:
            raise LauncherError("APP-USAGE", f"{variable}={value[:40]!r} is not one of {', '.join(values)}")


@contextlib.contextmanager
def demo_environment(config_path: str | None = None) -> Iterator[tuple[Config, AppPaths]]:
    """A demo server on 127.0.0.1 and a config and data folder for it, in a temporary folder deleted at
    the end (and by the next demo, should this process be killed before). APP-DATA-DIR when the temporary
    folder cannot be written (full, read-only); APP-USAGE for a stand-in option it would refuse."""
    check_stand_in_options()
    owned: OwnedFolder | None = None
    server: DemoServer | None = None
    try:
        try:
            with _signals_held():  # the folder's name is noted before a Ctrl+C or SIGTERM can end this
                owned = _make_workdir()
            workdir = owned.path
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
            if owned is not None:
                close_log_file_in(owned.path)  # Windows deletes no open file: the log would stay behind
                # Windows may hold a file a moment after its process died: a few tries; what another program
                # still holds stays, with the lock let go, for the next demo's sweep
                owned.remove(tries=5)


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
