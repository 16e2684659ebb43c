"""Rotating log files in the per-user log folder, with registered secrets redacted before anything is written.

The TeamViewer password is registered the moment it is known (`register_secret`), so no log line, no
exception text and no log tail in a report can carry it, whichever logger wrote it.
"""

from __future__ import annotations

import contextlib
import logging
import os
import stat
import sys
import threading
from collections.abc import Iterable
from pathlib import Path

from launcher.core.fsutil import clear_readonly
from launcher.core.paths import make_private_dir
from launcher.core.redaction import (  # noqa: F401 - the secret registry lives in redaction, used via applog too
    current_secrets,
    forget_secret,
    redact,
    register_secret,
)

LOG_NAME = "launcher.log"
MAX_BYTES = 1_000_000
BACKUPS = 3
FORMAT = "%(asctime)s %(levelname)-7s %(threadName)s %(name)s: %(message)s"

_lock = threading.Lock()
PENDING_MAX = 2000  # records kept while the log file is not open yet; older ones are dropped
_handler: logging.Handler | None = None
_log_dir: Path | None = None
_lang = "pl"  # of the warning printed when the log file cannot be written
PRIVATE_FILE_MODE = 0o600  # the log may name folders, hosts and the TeamViewer ID: for this user's eyes only


def redact_registered(text: str, extra: Iterable[str] = ()) -> str:
    return redact(text, [*current_secrets(), *extra])


class RedactingFilter(logging.Filter):
    """Renders the message once, redacted, so neither the handler nor its formatter sees the secret."""

    def filter(self, record: logging.LogRecord) -> bool:
        secrets = current_secrets()
        message = redact(record.getMessage(), secrets)
        record.msg, record.args = message, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text, secrets)
        if record.stack_info:
            record.stack_info = redact(record.stack_info, secrets)
        return True


class _Relay(logging.Handler):
    """The one handler on the root logger: it keeps records in memory until the log file is open (the
    GUI opens it after its first paint, with the other work the first window does not need; a log
    folder that cannot be written then costs no record), then passes every record to the file. Records
    are redacted on the way in, and the hand-over happens under the handler's lock, so no record from any
    thread is lost or doubled."""

    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []
        self.target: logging.Handler | None = None
        self.addFilter(RedactingFilter())

    def emit(self, record: logging.LogRecord) -> None:
        if self.target is not None:
            self.target.handle(record)
            return
        self.records.append(record)
        del self.records[:-PENDING_MAX]

    def hand_over(self, target: logging.Handler | None) -> logging.Handler | None:
        """Send everything from now on (and everything kept so far) to `target`; returns the old target."""
        self.acquire()
        try:
            old, self.target = self.target, target
            if target is not None:
                for record in self.records:
                    target.handle(record)
                self.records = []
            return old
        finally:
            self.release()


_relay: _Relay | None = None


def _private_file(path: str | os.PathLike[str]) -> None:
    """Create the log file `path` readable and writable by its owner alone (0600) before logging opens it,
    whatever the umask, and make one an older version left 0644 0600 too. POSIX only: on Windows the
    per-user profile folder's ACL is the protection. A link to a device (/dev/full) is left as it is.

    Why this way: logging opens the file itself with the built-in open() (mode 0666 less the umask, 0644
    usually) and has no `opener` argument; changing the umask is process-wide and races other threads, and
    overriding the handler's `_open` is patching logging's insides. Creating the file first (os.open with
    mode 0600) and letting the handler append to it uses public calls only, and the handler's public
    `rotator` hook does the same for each new file a rotation starts."""
    if os.name != "posix":
        return
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, PRIVATE_FILE_MODE)
    try:
        info = os.fstat(fd)
        # exactly 0600: the umask may have taken more off (0277 leaves 0400, which the handler could not append
        # to), and an older version's file may have more
        if stat.S_ISREG(info.st_mode) and stat.S_IMODE(info.st_mode) != PRIVATE_FILE_MODE:
            with contextlib.suppress(OSError):  # not ours to change (another user's file): logging goes on
                os.fchmod(fd, PRIVATE_FILE_MODE)
    finally:
        os.close(fd)


def _rotate_privately(source: str, dest: str) -> None:
    """The rotating handler's `rotator`: the default rename, then the new live file created 0600 (the
    renamed ones keep the mode they had)."""
    if os.path.exists(source):
        os.rename(source, dest)
    _private_file(source)


def _warn_log_file(path: str | os.PathLike[str], exc: BaseException | None) -> None:
    """APP-LOG on stderr, as the command line says every problem: `WARNING <CODE>: <what> <what to do>`
    and the technical detail on a second line. The program goes on without its log file."""
    from launcher.core.errors import LauncherError

    if sys.stderr is None:  # a windowed build with no console: nowhere to say it
        return
    # an OSError from open() names the file itself; a failed write does not
    error = LauncherError("APP-LOG", str(exc) if getattr(exc, "filename", None) else f"{path}: {exc}")
    with _lock:
        lang = _lang
    with contextlib.suppress(Exception):  # a closed or broken stderr: the warning is lost, not the program
        print(f"WARNING {error.code}: {error.spec.what(lang)} {error.spec.todo(lang)}\n  ({error.detail})",
              file=sys.stderr, flush=True)


def _quiet_rotating_file(path: Path) -> logging.Handler:
    """The rotating log file (0600 on POSIX, each rotated one too), which may stop taking lines (a full disk, a
    removed folder): that is said once on stderr as APP-LOG, never with logging's "--- Logging error ---"
    traceback on the customer's console, and the program goes on."""
    import logging.handlers  # the file opens after the first paint; records wait in memory until then

    class QuietRotatingFileHandler(logging.handlers.RotatingFileHandler):
        warned = False
        retry_at = 0  # after a rollover that could not rename the file: the size at which to try again

        def shouldRollover(self, record: logging.LogRecord) -> bool:  # noqa: N802 - logging's name
            if self.retry_at and self.stream is not None and self.stream.tell() < self.retry_at:
                return False
            return bool(super().shouldRollover(record))

        def doRollover(self) -> None:  # noqa: N802 - logging's name
            """Windows renames no file that another process holds open (a second launcher logging to the
            same folder, a log viewer, a scanner: WinError 32). The stdlib rollover then failed on every
            record, and every record after the first 1 MB was lost; here the file stays open and takes
            them, and the rename is tried again once another tenth of maxBytes was written."""
            for n in range(1, self.backupCount + 1):  # a backup tool's read-only mark: os.remove would fail
                clear_readonly(f"{self.baseFilename}.{n}")
            try:
                super().doRollover()
            except OSError:
                if self.stream is None:
                    self.stream = self._open()  # an error here is a real write failure: handleError says it
                self.retry_at = self.stream.tell() + max(1, self.maxBytes // 10)
            else:
                self.retry_at = 0

        def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802 - logging's name
            if self.warned:
                return
            self.warned = True
            _warn_log_file(self.baseFilename, sys.exc_info()[1])

        def close(self) -> None:
            with contextlib.suppress(OSError, ValueError):  # the last buffered lines could not be written either
                super().close()

    # the log files are the launcher's own: a read-only attribute (a backup or sync tool's) would stop the
    # live one taking lines and every rotation (Windows deletes no read-only file), so it is cleared
    clear_readonly(path)
    _private_file(path)
    for n in range(1, BACKUPS + 1):  # rotated files an older version left readable to others
        clear_readonly(f"{path}.{n}")
        with contextlib.suppress(OSError):
            if (sibling := Path(f"{path}.{n}")).is_file():
                _private_file(sibling)
    handler = QuietRotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8")
    handler.rotator = _rotate_privately
    return handler


def setup_logging(log_dir: Path, level: int = logging.INFO, *, open_now: bool = True, lang: str = "pl") -> Path:
    """Log to `log_dir`/launcher.log (rotated at ~1 MB, 3 kept; 0600 on POSIX); calling again moves the log there.

    With open_now=False records are kept in memory until `open_log_file()`; nothing is lost either way.
    `lang` ("pl" or "en") is the language of the APP-LOG warning if the file stops taking lines.
    """
    global _log_dir, _relay, _lang
    make_private_dir(Path(log_dir))
    root = logging.getLogger()
    with _lock:
        _log_dir = Path(log_dir)
        _lang = "en" if lang == "en" else "pl"
        if _relay is None:
            _relay = _Relay()
            root.addHandler(_relay)
    root.setLevel(min(root.level, level) if root.level != logging.NOTSET else level)
    logging.captureWarnings(True)
    if open_now:
        open_log_file()
    return Path(log_dir) / LOG_NAME


def open_log_file() -> Path | None:
    """Open the rotating log file chosen by setup_logging (if not open already) and write what was kept
    until now. Safe to call more than once; None if setup_logging was never called."""
    global _handler
    with _lock:
        log_dir, relay, current = _log_dir, _relay, _handler
    if log_dir is None or relay is None:
        return None
    path = log_dir / LOG_NAME
    if current is not None and Path(current.baseFilename) == path.absolute():
        return path
    handler = _quiet_rotating_file(path)
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.addFilter(RedactingFilter())
    with _lock:
        _handler = handler
    old = relay.hand_over(handler)
    if old is not None:
        old.close()
    return path


def open_log_file_or_warn() -> Path | None:
    """open_log_file for the window and `session`: a log file that cannot be opened must not stop them (it
    ended `session` with APP-INTERNAL). The records stay in memory (bounded) and the failure is said on
    stderr as APP-LOG."""
    try:
        return open_log_file()
    except OSError as exc:
        with _lock:
            log_dir = _log_dir
        _warn_log_file(log_dir / LOG_NAME if log_dir is not None else LOG_NAME, exc)
        return None


def shutdown_logging() -> None:
    """Detach and close the file handler (tests, and before the log folder is removed)."""
    global _handler, _relay, _log_dir
    with _lock:
        relay, _relay = _relay, None
        handler, _handler = _handler, None
        _log_dir = None
    if relay is not None:
        logging.getLogger().removeHandler(relay)
        relay.hand_over(None)
        relay.close()
    if handler is not None:
        handler.close()


def close_log_file_in(folder: Path) -> bool:
    """Close the log file if it lies in `folder` (or below), before that folder is deleted: Windows cannot
    delete a file that is open, so the demo's throw-away folder stayed behind with its launcher.log.
    Records logged afterwards are kept in memory (bounded), as before the file was opened, and the file is
    not opened again. True if a file was closed."""
    global _handler, _log_dir
    folder = Path(folder).absolute()
    with _lock:
        handler, log_dir, relay = _handler, _log_dir, _relay
        if log_dir is None or folder not in (Path(log_dir).absolute(), *Path(log_dir).absolute().parents):
            return False
        _handler, _log_dir = None, None
    if relay is not None:
        relay.hand_over(None)
    if handler is not None:
        handler.close()
    return handler is not None


def tail(log_dir: Path, lines: int = 80) -> str:
    """The last `lines` lines of the log (reaching into the last rotated file if needed), redacted."""
    if lines <= 0:
        return ""
    if _handler is not None:
        with contextlib.suppress(OSError, ValueError):  # a full disk: the tail is what did reach the file
            _handler.flush()
    folder = Path(log_dir)
    collected: list[str] = []
    for name in (LOG_NAME, f"{LOG_NAME}.1"):
        try:
            text = (folder / name).read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        collected = text.splitlines()[-(lines - len(collected)):] + collected
        if len(collected) >= lines:
            break
    return redact_registered("\n".join(collected[-lines:]) + ("\n" if collected else ""))
