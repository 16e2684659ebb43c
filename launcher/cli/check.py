"""The connection check at a command line (`doctor`, and the first step of `session`): one line per probe."""

from __future__ import annotations

import threading
from collections.abc import Callable

from launcher.cli.output import say
from launcher.config import Config
from launcher.core.connectivity import (
    ProbeResult,
    check_failure,
    planned_checks,
    run_checks,
    run_checks_unless_stopped,
)
from launcher.core.errors import LauncherError


def probe_line(result: ProbeResult, label: str) -> str:
    """`OK   download     Serwer pobierania port 443 (0.12 s) ...` / `FAIL ... NET-TV-BLOCKED ...`."""
    status = "OK  " if result.ok else "FAIL"
    port = f" port {result.port}" if result.port else ""
    code = f" {result.code}" if result.code else ""
    return f"{status} {result.key:<12} {label}{port} ({result.elapsed_s:.2f} s){code} {result.detail}"


def check_connection(config: Config, lang: str, *, prefix: str = "", emit: Callable[[str], None] = say,
                     stop: threading.Event | None = None) -> LauncherError | None:
    """Run every probe as the window does, `emit` one line each (in the order planned); the error, or None.

    `stop`: once it is set, the check is not waited for any longer (its probes end on their daemon threads by
    their timeout: a server can hold one open that long): None at once, with no line emitted; the caller
    tells a stop from a passed check by `stop` itself."""
    labels = {c.key: (c.label_en if lang == "en" else c.label_pl) for c in planned_checks(config.connectivity)}
    if stop is None:
        results = run_checks(config.connectivity, proxies=config.download.proxies)
    else:
        results = run_checks_unless_stopped(config.connectivity, stop, proxies=config.download.proxies)
        if results is None:
            return None
    for r in results:
        emit(prefix + probe_line(r, labels.get(r.key, r.key)).rstrip())
    return check_failure(results)

