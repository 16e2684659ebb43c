"""Rotating log files in the per-user log folder, with registered secrets redacted before anything is written.

The TeamViewer password is registered the moment it is known (`register_secret`), so no log line, no
exception text and no log tail in a report can carry it, whichever logger wrote it.
"""

from __future__ import annotations

import logging
import logging.handlers
import threading
from collections.abc import Iterable
from pathlib import Path

from launcher.core.diagnostics import redact
from launcher.core.paths import make_private_dir

LOG_NAME = "launcher.log"
MAX_BYTES = 1_000_000
BACKUPS = 3
FORMAT = "%(asctime)s %(levelname)-7s %(threadName)s %(name)s: %(message)s"

_lock = threading.Lock()
_secrets: set[str] = set()
_handler: logging.Handler | None = None


def register_secret(secret: str) -> None:
    """From now on, `secret` is hidden in every log record and every tail()."""
    if secret and secret.strip():
        with _lock:
            _secrets.add(secret.strip())


def forget_secret(secret: str) -> None:
    with _lock:
        _secrets.discard(secret.strip() if secret else secret)


def current_secrets() -> list[str]:
    with _lock:
        return list(_secrets)


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


def setup_logging(log_dir: Path, level: int = logging.INFO) -> Path:
    """Log to `log_dir`/launcher.log (rotated at ~1 MB, 3 kept); calling again replaces the handler."""
    global _handler
    make_private_dir(Path(log_dir))
    path = Path(log_dir) / LOG_NAME
    handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8", delay=False
    )
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.addFilter(RedactingFilter())
    root = logging.getLogger()
    with _lock:
        if _handler is not None:
            root.removeHandler(_handler)
            _handler.close()
        _handler = handler
    root.addHandler(handler)
    root.setLevel(min(root.level, level) if root.level != logging.NOTSET else level)
    logging.captureWarnings(True)
    return path


def shutdown_logging() -> None:
    """Detach and close the file handler (tests, and before the log folder is removed)."""
    global _handler
    with _lock:
        handler, _handler = _handler, None
    if handler is not None:
        logging.getLogger().removeHandler(handler)
        handler.close()


def tail(log_dir: Path, lines: int = 80) -> str:
    """The last `lines` lines of the log (reaching into the last rotated file if needed), redacted."""
    if lines <= 0:
        return ""
    if _handler is not None:
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
