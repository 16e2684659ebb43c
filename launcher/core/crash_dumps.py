"""Keep this process's memory out of crash dumps once QuickSupport is started.

From then on the process holds the TeamViewer password (read from QuickSupport's window, shown on the session
page). The product never writes it anywhere, but a crash would: a core file (Linux with `ulimit -c`; Fedora's,
Arch's and Ubuntu's crash collectors, systemd-coredump and apport, keep them under /var), a macOS crash report's
core, Windows Error Reporting's heap dump. So before QuickSupport starts, the process:

- Linux: `prctl(PR_SET_DUMPABLE, 0)` (the kernel writes no core and hands none to a collector; other
  processes of the same user can no longer read its memory or environment through /proc or attach to it),
  and the core file limit (RLIMIT_CORE's soft limit) 0, which systemd-coredump and apport also respect;
- macOS and other POSIX: the core file limit 0;
- Windows: `WerSetFlags(WER_FAULT_REPORTING_FLAG_NOHEAP)`, so that a report Windows Error Reporting sends or
  keeps holds no heap (where the password's text lives), for this process only, nothing written to the
  registry.

Children inherit the limit (QuickSupport's own memory holds the same password); a dumpable flag does not
survive their exec. Nothing is undone at the end of a session: the process may still hold the text.
Sources: prctl(2), core(5), getrlimit(2), systemd-coredump(8); Microsoft Learn, "WerSetFlags function".
"""

from __future__ import annotations

import contextlib
import logging
import sys

log = logging.getLogger(__name__)

PR_SET_DUMPABLE = 4  # <linux/prctl.h>
PR_GET_DUMPABLE = 3
WER_FAULT_REPORTING_FLAG_NOHEAP = 1  # <werapi.h>

_done: list[str] = []


def keep_out_of_crash_dumps() -> list[str]:
    """Apply this platform's measures (see the module); idempotent. Returns what is in force, e.g.
    ["not dumpable", "no core files"], [] where nothing could be done. Never raises: a failure is logged, the
    session goes on (a customer cannot mend it, and it changes nothing while nothing crashes)."""
    if _done:
        return list(_done)
    if sys.platform == "win32":
        _windows(_done)
    else:
        if sys.platform.startswith("linux"):
            _linux_not_dumpable(_done)
        _no_core_files(_done)
    log.info("crash dumps: %s", ", ".join(_done) or "no measure could be applied")
    return list(_done)


def _no_core_files(done: list[str]) -> None:
    try:
        import resource

        _soft, hard = resource.getrlimit(resource.RLIMIT_CORE)
        resource.setrlimit(resource.RLIMIT_CORE, (0, hard))  # the hard limit is the user's: left as it is
    except (ImportError, OSError, ValueError) as exc:
        log.warning("could not set the core file limit to 0: %s", exc)
        return
    done.append("no core files")


def _linux_not_dumpable(done: list[str]) -> None:
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_SET_DUMPABLE, 0) failed")
    except (OSError, AttributeError) as exc:
        log.warning("could not make the process non-dumpable: %s", exc)
        return
    done.append("not dumpable")


def is_dumpable() -> bool | None:
    """Linux: whether the kernel would write this process's core (PR_GET_DUMPABLE); None elsewhere."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    with contextlib.suppress(OSError, AttributeError):
        return ctypes.CDLL(None).prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) != 0
    return None


def _windows(done: list[str]) -> None:
    import ctypes

    try:
        result = ctypes.windll.kernel32.WerSetFlags(WER_FAULT_REPORTING_FLAG_NOHEAP)  # type: ignore[attr-defined]
    except (OSError, AttributeError) as exc:
        log.warning("could not keep the heap out of error reports: %s", exc)
        return
    if result != 0:  # an HRESULT: 0 is S_OK
        log.warning("could not keep the heap out of error reports: WerSetFlags returned 0x%08X",
                    result & 0xFFFFFFFF)
        return
    done.append("no heap in error reports")
