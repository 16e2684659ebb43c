"""Bytecode settings shared by build_spec.spec and the frozen benchmark baseline (tests/perf/minimal_window.spec).

The frozen app carries no docstrings or asserts (optimize=2; nothing in it reads a docstring or relies on an
assert) and no column tables in its code objects (the building process runs with PYTHONNODEBUGRANGES=1, as
installer/build.sh does; tracebacks keep their line numbers, only the ^^^ markers go). Together about
1.5 MiB less memory at the session page. The interpreter gets the same options, for code compiled at run time.

The modules are .pyc files in the app's folder, not a zlib archive (NOARCHIVE): the archive's table of
about a thousand entries is read at every start and each module inflated before it runs, 5-10 ms of the
start-up here; the files cost ~7 MiB more on disk and nothing in the .tar.xz a customer downloads.
"""

from __future__ import annotations

import os
import sys
import warnings

OPTIMIZE = 2
NOARCHIVE = True
OPTIONS = [("O", None, "OPTION"), ("O", None, "OPTION"), ("X no_debug_ranges", None, "OPTION")]


def check_build_process() -> None:
    """PyInstaller compiles the bytecode in this process: without the flag the column tables stay."""
    if sys.version_info >= (3, 11) and "no_debug_ranges" not in sys._xoptions and not os.environ.get(
            "PYTHONNODEBUGRANGES"):
        warnings.warn("building without PYTHONNODEBUGRANGES=1: code objects keep their column tables "
                      "(installer/build.sh sets it)", stacklevel=2)
