"""Keep PySide6's per-import source scan from holding every imported file in memory.

For its opt-in `from __feature__ import ...` switches, PySide6 checks every module imported after it
for the text "PySide6" with `inspect.getsource()`, which leaves the module's whole source in
`linecache` for the life of the process: about 12 MiB of strings by the session page when run from
source. (A frozen build has no sources, so there nothing is read.) We use no features; the check
still runs exactly as PySide6 wrote it, and the source it read is dropped from the cache afterwards.
"""

from __future__ import annotations

import linecache
import logging
import sys

log = logging.getLogger(__name__)

_MODULE = "shibokensupport.feature"
_FUNCTION = "_mod_uses_pyside"


def forget_scanned_sources() -> bool:
    """Wrap PySide6's check so the source it reads is not kept; True if the wrapper is in place.
    Where PySide6 has no such check (another version) nothing is changed."""
    feature = sys.modules.get(_MODULE)
    check = getattr(feature, _FUNCTION, None)
    if check is None:
        return False
    if getattr(check, "_forgets_sources", False):
        return True

    def check_and_forget(module):  # noqa: ANN001, ANN202 - PySide6's own signature
        cached = set(linecache.cache)
        try:
            return check(module)
        finally:
            for name in set(linecache.cache) - cached:
                linecache.cache.pop(name, None)

    check_and_forget._forgets_sources = True  # type: ignore[attr-defined]
    setattr(feature, _FUNCTION, check_and_forget)
    linecache.clearcache()  # what the scan read before the wrapper was in place (a cache: lines are reread on demand)
    log.debug("PySide6's source scan now forgets what it read")
    return True
