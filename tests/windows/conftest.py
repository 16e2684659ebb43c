"""The Windows suite's setup: skipped off Windows (with the reason), lane folders, Wine detection.

Run it with `scripts/windows-lane.sh test` (the official Windows CPython under Wine). Markers used here:
- `wine_gap(reason)`: the test states what Windows does, which Wine does not do; under Wine it is an
  expected failure (strict: the day Wine does it, the test says so), on Windows a plain test.
"""

from __future__ import annotations

import ctypes
import os
import sys
from pathlib import Path

import pytest

IS_WINDOWS = sys.platform == "win32"


def _is_wine() -> bool:
    if not IS_WINDOWS:
        return False
    return hasattr(ctypes.WinDLL("ntdll"), "wine_get_version")  # type: ignore[attr-defined]


IS_WINE = _is_wine()
WINDOWS_ONLY = "the Windows suite runs on Windows Python only: `scripts/windows-lane.sh test` runs it under Wine"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "wine_gap(reason): Windows behaviour that Wine does not have")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    here = Path(__file__).resolve().parent
    for item in items:
        if here not in Path(str(item.fspath)).resolve().parents:
            continue
        if not IS_WINDOWS:
            item.add_marker(pytest.mark.skip(reason=WINDOWS_ONLY))
            continue
        gap = item.get_closest_marker("wine_gap")
        if gap is not None and IS_WINE:
            item.add_marker(pytest.mark.xfail(reason=f"Wine: {gap.args[0]}", strict=True))


@pytest.fixture(scope="session")
def lane_dir() -> Path:
    """The lane's folder (pki/, signed/), as the lane passes it; skips outside the lane."""
    value = os.environ.get("OVERMAX_WINDOWS_LANE_DIR", "")
    if not value or not Path(value).is_dir():
        pytest.skip("OVERMAX_WINDOWS_LANE_DIR is not set: run the suite with scripts/windows-lane.sh test")
    return Path(value)


@pytest.fixture(scope="session")
def signed_dir(lane_dir: Path) -> Path:
    return lane_dir / "signed"


@pytest.fixture(scope="session")
def standin_dir(lane_dir: Path) -> Path:
    """The signed PE stand-in of QuickSupport the lane built (TeamViewerQS.exe and its tampered copies)."""
    folder = lane_dir / "standin"
    if not (folder / "TeamViewerQS.exe").is_file():
        pytest.skip("the signed stand-in was not built: run the suite with scripts/windows-lane.sh test")
    return folder
