"""PySide6's per-import source scan, answered from the file's bytes: the same answer, no cache, no tokenizer.

For its opt-in `from __feature__ import ...` switches, PySide6 checks every module imported after it
for the text "PySide6" with `inspect.getsource()`: the tokenizer's encoding detection, `readlines` and
`linecache`, for each of the ~85 modules imported before the first window (6-8 ms of the start-up from
source) and ~400 by the session page, whose whole source then stays in `linecache` (about 12 MiB). We
use no features; the question is still answered, the way PySide6 puts it, by reading the module's
source file once and looking for those bytes (for a source in an ASCII-compatible encoding, which every
module here is, the same answer). Anything without a plain .py file (frozen, built-in, extension,
zip-imported) gets PySide6's own check. A frozen build has no sources, so there nothing is read either way.
"""

from __future__ import annotations

import linecache
import logging
import sys

log = logging.getLogger(__name__)

_MODULE = "shibokensupport.feature"
_FUNCTION = "_mod_uses_pyside"
_NEEDLE = b"PySide6"


def _source_mentions_pyside(module) -> bool | None:  # noqa: ANN001 - any module object
    """True/False from the module's .py file, None where there is no such file to read."""
    path = getattr(module, "__file__", None)
    if not isinstance(path, str) or not path.endswith(".py"):
        return None
    try:
        with open(path, "rb") as source:
            return _NEEDLE in source.read()
    except OSError:
        return None


def forget_scanned_sources() -> bool:
    """Answer PySide6's check from the source bytes (PySide6's own check where there are none), keeping
    nothing in linecache; True if in place. Where PySide6 has no such check (another version) nothing is
    changed."""
    feature = sys.modules.get(_MODULE)
    check = getattr(feature, _FUNCTION, None)
    if check is None:
        return False
    if getattr(check, "_forgets_sources", False):
        return True

    def check_from_bytes(module):  # noqa: ANN001, ANN202 - PySide6's own signature
        found = _source_mentions_pyside(module)
        if found is not None:
            return found
        cached = set(linecache.cache)
        try:
            return check(module)
        finally:
            for name in set(linecache.cache) - cached:
                linecache.cache.pop(name, None)

    check_from_bytes._forgets_sources = True  # type: ignore[attr-defined]
    setattr(feature, _FUNCTION, check_from_bytes)
    linecache.clearcache()  # what the scan read before the wrapper was in place (a cache: lines are reread on demand)
    log.debug("PySide6's source scan now reads bytes and keeps nothing")
    return True
