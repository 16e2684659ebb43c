"""Per-OS preparation of the verified QuickSupport artifact: a private folder, an argv, log and watch folders.

Bytes come only from the handle `opener` returns after re-hashing the file (no re-open by path between
check and use). A tar.gz is unpacked by hand with strict rules: regular files, directories and in-tree
links only; no absolute paths, no `..`, no devices; member-count and size limits against tar bombs.
"""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import logging
import os
import stat
import subprocess
import sys
import tarfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO
from urllib.parse import urlparse

from launcher.core import owned_folders
from launcher.core.errors import LauncherError
from launcher.core.fsutil import free_bytes, is_disk_full
from launcher.core.owned_folders import OwnedFolder
from launcher.core.paths import make_private_dir
from launcher.core.quicksupport.tvlog import candidate_log_dirs
from launcher.core.unique_names import check_writable

log = logging.getLogger(__name__)

UNPACK_PREFIX = "qs-"  # <runtime>/qs-<hex>: one session's unpacked QuickSupport
MAX_MEMBERS = 20_000
MAX_TOTAL_BYTES = 1024 * 1024 * 1024  # unpacked; the real Linux QuickSupport is far below this
MAX_FILE_BYTES = 512 * 1024 * 1024
COPY_CHUNK = 1024 * 1024

Opener = Callable[[Path, Any], BinaryIO]


@dataclass(frozen=True)
class Prepared:
    argv: list[str]
    cwd: Path
    root: Path  # the private folder we made; deleted at stop
    log_dirs: list[Path]
    env: dict[str, str]  # the complete environment for the child
    watch_dirs: list[Path] = field(default_factory=list)  # folders whose processes belong to QuickSupport
    # Windows: bytes QuickSupport needs in its temporary folder to unpack itself (the signed manifest's size of
    # the artifact); None: not known, TEMP_UNPACK_BYTES is assumed (see ensure_private_temp)
    unpack_bytes: int | None = None
    # Windows: QuickSupport's own temporary folder inside `root` (PRIVATE_TEMP), which TMP and TEMP in `env` name;
    # made by the session's start (ensure_private_temp). None: the kind does not unpack itself anywhere
    temp_dir: Path | None = None
    folder: OwnedFolder | None = None  # `root` with its owner lock (owned_folders); None: a bare folder


def prepare(verified_path: Path, artifact: Any, runtime_dir: Path, opener: Opener) -> Prepared:
    """Unpack or copy the verified artifact into a fresh private folder in `runtime_dir` (else QS-UNPACK;
    DL-DISK-FULL when the disk has no room for it, APP-DATA-DIR when `runtime_dir` cannot be written to)."""
    kind = getattr(artifact, "kind", "")
    if kind not in ("tar.gz", "exe", "dmg"):
        raise LauncherError("QS-UNPACK", f"unknown artifact kind {kind!r}")
    if kind == "exe" and sys.platform != "win32":
        raise LauncherError("QS-UNPACK", "an .exe QuickSupport runs on Windows only")
    if kind == "dmg" and sys.platform != "darwin":
        raise LauncherError("QS-UNPACK", "a .dmg QuickSupport runs on macOS only")
    try:
        make_private_dir(runtime_dir)
        # a killed launcher could not delete its folder: the first start after it does
        owned_folders.sweep_stale(runtime_dir, UNPACK_PREFIX)
        folder = owned_folders.create(runtime_dir, UNPACK_PREFIX)
    except OSError as exc:
        if exc.errno in _DISK_FULL:
            raise LauncherError("DL-DISK-FULL", f"unpacking into {runtime_dir}: {exc}") from exc
        # the data folder refuses the folder or its lock file (access denied, a read-only drive): trying again
        # changes nothing, so not QS-UNPACK ("try again") but what every other part of the data folder says
        raise LauncherError("APP-DATA-DIR", f"{runtime_dir}: {exc}") from exc
    root = folder.path
    try:
        with opener(Path(verified_path), artifact) as fh:
            if kind == "tar.gz":
                prepared = _prepare_tar(fh, artifact, root)
            elif kind == "exe":
                prepared = _prepare_exe(fh, artifact, root)
            else:
                prepared = _prepare_dmg(fh, root)
    except LauncherError:
        folder.remove()
        raise
    except (OSError, tarfile.TarError, EOFError, ValueError, subprocess.SubprocessError) as exc:
        folder.remove()
        if isinstance(exc, OSError) and exc.errno in _DISK_FULL:  # the customer can fix that one: say so
            raise LauncherError("DL-DISK-FULL", f"unpacking into {runtime_dir}: {exc}") from exc
        raise LauncherError("QS-UNPACK", f"{type(exc).__name__}: {exc}") from exc
    return dataclasses.replace(prepared, folder=folder)


_DISK_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}


# Every QuickSupport a launcher starts (and everything it starts in turn) carries this variable, so that another
# launcher sees it running even where its process name is not TeamViewer's (the --demo stand-in is Python):
# see session.running_teamviewers. Its value is the scope: the launchers that count as one family.
MARK_VAR = "OVERMAX_QUICKSUPPORT"
# All launchers of the machine by default. Tests on a machine shared by several test runs give each test a
# scope of its own, so that one run's stand-in does not count as "already running" in another's.
SCOPE_VAR = "OVERMAX_QS_SCOPE"
DEFAULT_SCOPE = "overmax-pomoc-zdalna"


def launcher_scope() -> str:
    """The family this launcher belongs to (SCOPE_VAR, else DEFAULT_SCOPE)."""
    return os.environ.get(SCOPE_VAR, "").strip() or DEFAULT_SCOPE


def child_env() -> dict[str, str]:
    """QuickSupport's environment: ours, marked as started by this launcher family (MARK_VAR)."""
    env = dict(os.environ)
    env[MARK_VAR] = launcher_scope()
    if sys.platform.startswith("linux"):
        env["QT_LINUX_ACCESSIBILITY_ALWAYS_ON"] = "1"  # Qt exposes its widgets over AT-SPI without a setting
    return env


# ---------------------------------------------------------------- Linux tar.gz


def _prepare_tar(fh: BinaryIO, artifact: Any, root: Path) -> Prepared:
    entry_rel = _safe_relative(getattr(artifact, "entry", "") or "")
    safe_extract(fh, root)
    entry = root / entry_rel
    if entry.is_symlink() or not entry.is_file():
        raise LauncherError("QS-UNPACK", f"entry {entry_rel} is missing from the archive")
    if not os.access(entry, os.X_OK):
        if _mounted_noexec(root):  # a hardened /tmp or home: trying again changes nothing
            raise LauncherError("QS-NOEXEC", f"{root} is on a file system mounted noexec")
        raise LauncherError("QS-UNPACK", f"entry {entry_rel} is not executable")
    top = root / PurePosixPath(entry_rel).parts[0]
    log_dirs = [entry.parent / "logfiles", *candidate_log_dirs(root)]
    return Prepared(argv=[str(entry)], cwd=entry.parent, root=root, log_dirs=_unique(log_dirs),
                    env=child_env(), watch_dirs=[top if top.is_dir() else root])


def _mounted_noexec(folder: Path) -> bool:
    """True when `folder` is on a file system mounted noexec (POSIX statvfs; False where that cannot be told)."""
    flag = getattr(os, "ST_NOEXEC", 0)
    try:
        return bool(flag) and bool(os.statvfs(folder).f_flag & flag)
    except (OSError, AttributeError):
        return False


def _safe_relative(name: str) -> PurePosixPath:
    """A member/entry name as a clean relative path, or QS-UNPACK."""
    norm = name.replace("\\", "/")
    if not norm or norm.startswith("/") or (len(norm) > 1 and norm[1] == ":"):
        raise LauncherError("QS-UNPACK", f"unsafe path in archive: {name!r}")
    parts = [p for p in norm.split("/") if p not in ("", ".")]
    if not parts or ".." in parts:
        raise LauncherError("QS-UNPACK", f"unsafe path in archive: {name!r}")
    return PurePosixPath(*parts)


def safe_extract(fh: BinaryIO, dest: Path, *, max_members: int = MAX_MEMBERS,
                 max_total: int = MAX_TOTAL_BYTES, max_file: int = MAX_FILE_BYTES) -> int:
    """Extract a gzip'd tar stream into `dest` by the rules above; returns the bytes written."""
    dest_real = Path(os.path.realpath(dest))
    total, count = 0, 0
    with tarfile.open(fileobj=fh, mode="r|gz") as tar:
        for member in tar:
            count += 1
            if count > max_members:
                raise LauncherError("QS-UNPACK", f"archive has more than {max_members} entries")
            if member.isdir() and _is_root(member.name):
                continue  # `./`, as `tar czf x.tar.gz -C folder .` writes first: the folder itself
            rel = _safe_relative(member.name)
            target = dest_real / rel
            _check_parent(target, dest_real)
            if member.isdir():
                if target.is_symlink() or (target.exists() and not target.is_dir()):
                    raise LauncherError("QS-UNPACK", f"directory {member.name!r} clashes with an earlier entry")
                target.mkdir(parents=True, exist_ok=True, mode=0o700)
                continue
            if member.isfile() or member.issym() or member.islnk():
                _replace_earlier(target, member.name)
            if member.isfile():
                if member.size > max_file or total + member.size > max_total:
                    raise LauncherError("QS-UNPACK", f"archive too large at {member.name!r}")
                target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
                src = tar.extractfile(member)
                assert src is not None
                total += _write_new(target, src, member.size, executable=bool(member.mode & 0o111))
            elif member.issym():
                _check_link(target, member.linkname, dest_real, member.name)
                target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
                os.symlink(member.linkname, target)
            elif member.islnk():  # hard link: copy an already extracted regular file from inside
                source = dest_real / _safe_relative(member.linkname)
                _check_parent(source, dest_real)
                if source.is_symlink() or not source.is_file():
                    raise LauncherError("QS-UNPACK", f"hard link {member.name!r} to a missing file")
                size = source.stat().st_size
                if total + size > max_total:
                    raise LauncherError("QS-UNPACK", "archive too large")
                target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
                with open(source, "rb") as src:
                    total += _write_new(target, src, size, executable=os.access(source, os.X_OK))
            else:
                raise LauncherError("QS-UNPACK", f"special file {member.name!r} (device, fifo) in archive")
    for link in [p for p in dest_real.rglob("*") if p.is_symlink()]:  # links re-checked as finally laid out
        resolved = Path(os.path.realpath(link))
        if resolved != dest_real and dest_real not in resolved.parents:
            raise LauncherError("QS-UNPACK", f"link {link.relative_to(dest_real)} points outside the folder")
    return total


def _is_root(name: str) -> bool:
    return all(part in ("", ".") for part in name.replace("\\", "/").split("/"))


def _replace_earlier(target: Path, name: str) -> None:
    """A name met again (`tar -r` appends; the last copy wins, as tar extracts it): drop the earlier file or
    link, never what it points to. A directory in the way is refused."""
    if target.is_symlink() or target.is_file():
        target.unlink()
    elif target.exists():
        raise LauncherError("QS-UNPACK", f"{name!r} clashes with a directory of the same name")


def _check_parent(target: Path, dest_real: Path) -> None:
    parent = Path(os.path.realpath(target.parent))
    if parent != dest_real and dest_real not in parent.parents:
        raise LauncherError("QS-UNPACK", f"{target} would be written outside the folder")


def _check_link(target: Path, linkname: str, dest_real: Path, name: str) -> None:
    if not linkname or linkname.startswith(("/", "\\")) or PurePosixPath(linkname).is_absolute():
        raise LauncherError("QS-UNPACK", f"link {name!r} points outside the folder")
    resolved = Path(os.path.realpath(os.path.join(os.path.realpath(target.parent), linkname)))
    if resolved != dest_real and dest_real not in resolved.parents:
        raise LauncherError("QS-UNPACK", f"link {name!r} points outside the folder")


def _write_new(target: Path, src: BinaryIO, size: int, *, executable: bool) -> int:
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(target, flags, 0o700 if executable else 0o600)
    written = 0
    with os.fdopen(fd, "wb") as out:
        while written < size and (chunk := src.read(min(COPY_CHUNK, size - written))):
            out.write(chunk)
            written += len(chunk)
    if written != size:
        raise LauncherError("QS-UNPACK", f"{target.name}: archive ends early")
    return written


# ---------------------------------------------------------------- Windows exe


def exe_name(artifact: Any) -> str:
    name = Path(urlparse(getattr(artifact, "url", "") or "").path).name
    safe = name.lower().endswith(".exe") and "/" not in name and "\\" not in name
    return name if safe else "TeamViewerQS.exe"


def copy_exe(fh: BinaryIO, artifact: Any, root: Path) -> Path:
    target = root / exe_name(artifact)
    size = getattr(artifact, "size", None)
    written = _write_new(target, fh, size if size is not None else 1 << 40, executable=True)
    if size is not None and written != size:
        raise LauncherError("QS-UNPACK", "copied QuickSupport has the wrong size")
    return target


def _prepare_exe(fh: BinaryIO, artifact: Any, root: Path) -> Prepared:
    exe = copy_exe(fh, artifact, root)
    temp = root / PRIVATE_TEMP
    log_dirs = _unique([temp / "TeamViewer", *candidate_log_dirs(root)])  # a build that logs where it runs
    return Prepared(argv=[str(exe)], cwd=root, root=root, log_dirs=log_dirs,
                    env=private_temp_env(child_env(), temp), watch_dirs=[root],
                    unpack_bytes=getattr(artifact, "size", None), temp_dir=temp)


# QuickSupport for Windows is a self-extractor: it unpacks itself into Windows' temporary folder (GetTempPathW:
# %TMP%, else %TEMP%) as `TeamViewer\`, and runs TeamViewer.exe from there. The user's own Temp is shared with
# every earlier TeamViewer run and anything else of this user (a program or DLL planted or left there, or held
# open so the unpack cannot replace it, would be what runs; a TMP naming a folder other users can write hands
# them the program), and what is unpacked there stays after the session. So QuickSupport gets a temporary
# folder of its own inside the folder the launcher made for it, owns and removes: everything it unpacks and runs
# is under that folder, and goes with it. The name is short: the folder already lies deep under %LOCALAPPDATA%,
# and what QuickSupport unpacks must stay within the path length Windows programs can still open.
PRIVATE_TEMP = "Temp"


def private_temp_env(env: dict[str, str], temp: Path) -> dict[str, str]:
    """`env` with TMP and TEMP naming `temp` (Windows' GetTempPathW reads TMP first, then TEMP; Python's tempfile
    TEMP first: both, so that every reader finds the same folder)."""
    for var in [k for k in env if k.upper() in ("TMP", "TEMP")]:  # one spelling each, whatever case it had
        del env[var]
    env["TMP"] = env["TEMP"] = str(temp)
    return env


# What QuickSupport is assumed to need in its temporary folder where the artifact's size is not at hand: the
# largest QuickSupport build the cache expects (download.prune_cache: one build is 30-70 MB).
TEMP_UNPACK_BYTES = 70 * 1024 * 1024


def ensure_private_temp(temp: Path, need_bytes: int | None = None) -> Path:
    """QuickSupport's own temporary folder (Prepared.temp_dir), made right before it starts: a new folder (0700)
    inside its runtime folder, written to once, and with at least `need_bytes` free on its drive (None:
    TEMP_UNPACK_BYTES; the session asks for the artifact's size from the signed manifest and the room it must keep
    while it runs: QuickSupportSession.temp_room_needed). Without room QuickSupport exited at once and the
    customer read QS-EXITED ("if you did not close it, try again"), which no retry could mend. The artifact's size
    is a floor: QuickSupport copies at least itself there. The user's own %TEMP%/%TMP% play no part: a customer
    whose Temp is missing, a file, read-only or on a full drive still gets help.

    Returns the folder; LauncherError QS-TEMP where it cannot be made or written to, or its drive lacks the room."""
    need = TEMP_UNPACK_BYTES if need_bytes is None else need_bytes
    try:
        try:
            # only the last part: the runtime folder is ours and must be there. On Windows the mode is not a list:
            # the folder inherits the runtime folder's private one (paths.make_private_dir), as `qs-<hex>` does
            os.mkdir(temp, 0o700)
        except FileExistsError:  # a start tried again on the same folder: ours, made above before
            if temp.is_symlink() or not temp.is_dir():
                raise
        check_writable(temp, "overmax-")  # not tempfile.mkstemp, which spun on "access denied": see unique_names
    except OSError as exc:
        full = " (its drive is full)" if is_disk_full(exc) else ""
        raise LauncherError("QS-TEMP", f"{temp}: {exc}{full}") from exc
    free = free_bytes(temp)
    if free is not None and free < need:
        raise LauncherError("QS-TEMP", f"{temp}: {free} bytes free on its drive, QuickSupport needs at least {need} "
                                       "to unpack itself")
    return temp


# ---------------------------------------------------------------- macOS dmg (not testable here)


def _prepare_dmg(fh: BinaryIO, root: Path) -> Prepared:  # pragma: no cover - macOS only
    dmg = root / "TeamViewerQS.dmg"
    _write_new(dmg, fh, 1 << 40, executable=False)
    mount = root / "mnt"
    mount.mkdir(mode=0o700)
    subprocess.run(["hdiutil", "attach", "-nobrowse", "-readonly", "-noautoopen", "-mountpoint", str(mount),
                    str(dmg)], check=True, capture_output=True, timeout=120)
    try:
        apps = sorted(mount.glob("*.app"))
        if not apps:
            raise LauncherError("QS-UNPACK", "no .app inside the dmg")
        app = root / apps[0].name
        subprocess.run(["ditto", str(apps[0]), str(app)], check=True, capture_output=True, timeout=120)
    finally:
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            subprocess.run(["hdiutil", "detach", "-force", str(mount)], capture_output=True, timeout=60)
        dmg.unlink(missing_ok=True)
    macos = app / "Contents" / "MacOS"
    binaries = [p for p in macos.iterdir() if p.is_file() and p.stat().st_mode & stat.S_IXUSR]
    if not binaries:
        raise LauncherError("QS-UNPACK", "no executable inside the app")
    main = next((p for p in binaries if p.name.startswith("TeamViewer")), binaries[0])
    return Prepared(argv=[str(main)], cwd=root, root=root, log_dirs=candidate_log_dirs(root),
                    env=child_env(), watch_dirs=[root])


def _unique(paths: list[Path]) -> list[Path]:
    out: list[Path] = []
    for p in paths:
        if p not in out:
            out.append(p)
    return out
