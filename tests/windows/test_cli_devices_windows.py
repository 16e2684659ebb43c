"""`verify` of what Windows names like a file but is none: a device (`\\\\.\\PhysicalDrive0`, `\\\\.\\C:`, `NUL`,
`COM1`), a named pipe. A support person's slip must be a code and plain words: `\\\\.\\PhysicalDrive0` made the
stat itself fail (OSError, under Wine EINVAL "Zły rodzaj urządzenia"), and the launcher said APP-INTERNAL,
"an unexpected error". `--config` with the same names: tests/windows/test_cli_hostile_windows.py.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(sys.platform != "win32", reason="the Windows suite: scripts/windows-lane.sh test")

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("name", ["\\\\.\\PhysicalDrive0", "\\\\.\\C:", "NUL", "COM1", "\\\\.\\pipe\\nie-ma-mnie"])
def test_verify_of_a_device_is_app_no_file(name):
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONUTF8", "PYTHONIOENCODING")}
    proc = subprocess.run([sys.executable, "-m", "launcher", "--lang", "pl", "verify", name], capture_output=True,
                          stdin=subprocess.DEVNULL, cwd=REPO, env=env, timeout=120)
    err = proc.stderr.decode("utf-8")
    assert proc.returncode == 1 and proc.stdout == b"", err
    assert err.startswith("ERROR APP-NO-FILE: Nie ma pliku wskazanego w poleceniu."), err
    assert f"({name}" in err and "Traceback" not in err
