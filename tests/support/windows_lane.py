"""The Windows lane's environment for tests that run its Windows Python from the Linux suite (Wine on a
pseudo-terminal, for example): what `source scripts/windows-lane/env.sh` exports, as `winpy` runs it.

`current_lane_env()` skips the test (with the reason) where the lane is not set up, or is set up for an older
checkout (other requirements in pyproject.toml, an older stand-in): `scripts/windows-lane.sh check` decides,
with no network and nothing changed. Tests never set the lane up themselves: that downloads."""

from __future__ import annotations

import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def lane_env() -> dict[str, str]:
    """The lane's environment variables (WINE64, WINPY, WINEPREFIX, ... and the Polish locale winpy runs with)."""
    out = subprocess.run(["bash", "-c", "source scripts/windows-lane/env.sh && env -0"], cwd=REPO,
                         capture_output=True, timeout=60, check=True).stdout.decode()
    env = dict(item.split("=", 1) for item in out.split("\0") if "=" in item)
    for word in env.get("WINE_LOCALE_ENV", "").split():  # as winpy runs it: a Polish Windows (ANSI 1250, OEM 852)
        key, value = word.split("=", 1)
        env[key] = value
    return env


def current_lane_env() -> dict[str, str]:
    """lane_env() of a lane set up for this checkout; else pytest.skip naming what `setup` would redo."""
    import pytest

    check = subprocess.run(["scripts/windows-lane.sh", "check"], cwd=REPO, capture_output=True, text=True,
                           timeout=120, stdin=subprocess.DEVNULL)
    if check.returncode != 0:
        pytest.skip(check.stderr.strip().removeprefix("windows-lane: ") or "the Windows lane is not set up: "
                    "scripts/windows-lane.sh setup")
    return lane_env()
