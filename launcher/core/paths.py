"""The per-user folders the launcher writes to (platformdirs), created private on first use."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from launcher import APP_ID, ORG_NAME
from launcher.core.errors import LauncherError
from launcher.core.folder_setting import expand_folder


@dataclass(frozen=True)
class AppPaths:
    data: Path  # consent record, manifest state
    cache: Path  # verified downloads (private)
    logs: Path  # rotating app logs
    runtime: Path  # unpacked QuickSupport for the running session (private)

    @property
    def consent_file(self) -> Path:
        return self.data / "consent.jsonl"

    @property
    def manifest_state_file(self) -> Path:
        return self.data / "manifest_state.json"

    def ensure(self) -> AppPaths:
        for folder in (self.data, self.cache, self.logs, self.runtime):
            make_private_dir(folder)
        return self


def app_paths(data_dir: str = "") -> AppPaths:
    """`data_dir` from config wins (`~` and environment variables expanded: `%LOCALAPPDATA%\\Pomoc`; the
    config refuses one that is not then a full path); empty means the platform's per-user folders."""
    if data_dir:
        root = Path(expand_folder(data_dir))
        return AppPaths(data=root, cache=root / "cache", logs=root / "logs", runtime=root / "run")
    dirs = platformdirs.PlatformDirs(APP_ID, ORG_NAME, roaming=False)
    return AppPaths(
        data=Path(dirs.user_data_dir),
        cache=Path(dirs.user_cache_dir),
        logs=Path(dirs.user_log_dir),
        runtime=Path(dirs.user_cache_dir) / "run",
    )


def make_private_dir(folder: Path) -> Path:
    """Create `folder` readable by this user only (0700 on POSIX; per-user profile on Windows)."""
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        if sys.platform != "win32":
            os.chmod(folder, 0o700)
    except OSError as exc:
        raise LauncherError("APP-DATA-DIR", f"{folder}: {exc}") from exc
    return folder
