"""The per-user setup `scripts/windows-lane.sh build` made (dist/windows), as the install tests take it: the
file, and the marks that skip a module where it cannot run or was built from other sources than the checkout."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from launcher import APP_ID, __version__
from tests.support.build_stamp import require_current

ROOT = Path(__file__).resolve().parents[2]
SETUP = ROOT / "dist" / "windows" / f"{APP_ID}-{__version__}-setup.exe"

SETUP_MARKS = [
    pytest.mark.skipif(sys.platform != "win32", reason="installs a Windows setup: `scripts/windows-lane.sh test`"),
    pytest.mark.skipif(not SETUP.is_file(), reason=f"{SETUP.name} not built: run `scripts/windows-lane.sh build` "
                       "(CI builds it with OVERMAX_PACKAGING_TESTS=1)"),
]


@pytest.fixture(scope="module", autouse=True)
def setup_of_this_checkout() -> Path:
    """SETUP, once it is known to be built from the checkout's sources (else skip; CI: fail)."""
    require_current(SETUP.parent)
    return SETUP
