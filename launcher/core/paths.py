"""The per-user folders the launcher writes to (platformdirs), created private on first use."""

from __future__ import annotations

import logging
import os
import sys
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from launcher import APP_ID, ORG_NAME
from launcher.core.errors import LauncherError
from launcher.core.folder_setting import expand_folder
from launcher.core.fsutil import is_disk_full
from launcher.core.unique_names import check_writable

log = logging.getLogger(__name__)


def temp_folder() -> Path:
    """The temporary folder this user's environment names, as named: on Windows the one Windows itself uses
    (GetTempPathW: %TMP%, else %TEMP%, else the profile; where QuickSupport unpacks itself), elsewhere $TMPDIR,
    else /tmp. Not checked here: whoever writes into it says what it cannot do.

    Not `tempfile.gettempdir()`: when that folder cannot be written it silently takes another (on Windows
    C:\\temp, C:\\tmp, \\temp, \\tmp, and at last the current folder: the install folder, Pobrane), where the
    demo's and the self-test's folders and the single-instance fallback lock went behind the customer's back;
    and it keeps its first answer for the whole process. It also asks TEMP before TMP, the opposite of Windows."""
    if sys.platform == "win32":
        import ctypes

        buf = ctypes.create_unicode_buffer(32768)
        n = ctypes.windll.kernel32.GetTempPathW(len(buf), buf)  # type: ignore[attr-defined]
        if 0 < n < len(buf):
            return Path(buf.value)
        return Path(os.environ.get("TMP") or os.environ.get("TEMP") or Path.home() / "AppData" / "Local" / "Temp")
    return Path(os.environ.get("TMPDIR") or "/tmp")  # noqa: S108 - the POSIX default, as named


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
        """Make the folders (private) and write a file into each: a folder that exists but may not be written to
        (a read-only drive, an access list that denies it) is APP-DATA-DIR here, before anything is downloaded
        or started, not a misleading code later (QS-UNPACK's "try again", TERMS-RECORD's "free some space")."""
        for folder in dict.fromkeys((self.data, self.cache, self.logs, self.runtime)):
            make_private_dir(folder, check=True)
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


def make_private_dir(folder: Path, *, check: bool = False) -> Path:
    """Create `folder` readable by this user only: 0700 on POSIX; on Windows a protected access list of the user,
    SYSTEM and Administrators, inherited by everything made inside (launcher.core.private_acl), on `folder` and on
    every folder above it that this call made (`folder` may exist already: the data folder the config names). With
    `check`, also make a file in it and remove it again (unique_names.check_writable). APP-DATA-DIR when it cannot
    be made or written to (DL-DISK-FULL when the check's file finds the disk full: freeing space is what helps), and
    on Windows when a folder outside the user's profile cannot be made private (see _private_on_windows)."""
    try:
        made = _create_private_on_windows(folder) if sys.platform == "win32" else []
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)  # on Windows made above: a file there is refused here
        if sys.platform == "win32":
            for each in dict.fromkeys([*made, folder]):
                _private_on_windows(each)
        else:
            os.chmod(folder, 0o700)
        if check:
            check_writable(folder)
    except OSError as exc:
        code = "DL-DISK-FULL" if check and is_disk_full(exc) else "APP-DATA-DIR"
        raise LauncherError(code, f"{folder}: {exc}") from exc
    return folder


def _missing(folder: Path) -> list[Path]:
    """The folders from the first missing one above `folder` down to `folder`: what mkdir(parents=True) makes."""
    missing: list[Path] = []
    for each in (folder, *folder.parents):
        if each.exists():
            break
        missing.append(each)
    return missing[::-1]


def _create_private_on_windows(folder: Path) -> list[Path]:
    """Make the missing folders down to `folder`, each with the private list from its first moment
    (private_acl.create_private: no instant in which it has the list of the folder above, when another user could
    put something in it); where that cannot be done, a plain mkdir (its OSError raised), the list then set after.
    Returns the folders made."""
    from launcher.core import private_acl

    made = []
    for each in _missing(folder):
        try:
            created = private_acl.create_private(each)
        except OSError as exc:
            log.debug("could not make %s with its list at once (%s); made plain, its list set after", each, exc)
            try:
                each.mkdir()
                created = True
            except FileExistsError:
                created = False
        if created:
            made.append(each)
    return made


def _private_on_windows(folder: Path) -> None:
    """Give `folder` the private access list (private_acl.make_private). Where that fails:
    - in the user's profile, a warning only: the profile's own list already keeps other users out (what every
      launcher before this one relied on), and a customer whose folder Windows would not re-list (a profile on a
      file system without access lists, a policy) must still get help;
    - anywhere else, APP-DATA-DIR: the folder keeps what it inherited from above (under C:\\ every authenticated
      user may change it) or belongs to someone else, who can change its list whenever they like, and QuickSupport
      is started from it: running it from there breaks "never runs an unverified byte". Trying again changes
      nothing; the consultant's way out is the default folders (the setting removed) or a folder of the user's."""
    from launcher.core import private_acl

    try:
        private_acl.make_private(folder)
    except OSError as exc:
        if private_acl.in_profile(folder):
            log.warning("could not make %s private (%s); relying on the user profile's own access list", folder, exc)
            return
        raise LauncherError("APP-DATA-DIR", f"{folder}: cannot be made private to this user, other users could "
                                            f"change what is started from it ({exc})") from exc
