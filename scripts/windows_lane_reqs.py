"""Print the requirements of the Windows lane, one per line, judged as on 64-bit Windows.

Usage: python scripts/windows_lane_reqs.py [PYPROJECT]

`pip download --platform win_amd64` evaluates environment markers for the machine it runs on (Linux), so
the project's own requirements are judged here with Windows' marker values instead, and the needs that
other packages declare only for Windows (which that download would miss) are named explicitly.
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

from packaging.requirements import Requirement

# Marker values of CPython 3.11 on 64-bit Windows (PEP 508 names).
WINDOWS_MARKERS = {
    "os_name": "nt",
    "sys_platform": "win32",
    "platform_system": "Windows",
    "platform_machine": "AMD64",
    "platform_python_implementation": "CPython",
    "implementation_name": "cpython",
    "python_version": "3.11",
    "python_full_version": "3.11.9",
    "extra": "",
}

# PySide6 6.7 and newer need icuuc.dll, which Wine 8 does not have: the lane pins the last that imports.
PINS = {"pyside6-essentials": "PySide6-Essentials==6.6.3.1"}

# Declared by other packages for Windows only (the Linux-judged download misses them).
WINDOWS_ONLY = [
    "colorama",  # pytest: colorama; sys_platform == "win32"
]


def requirements(pyproject: Path) -> list[str]:
    """The project's runtime and dev requirements that apply on Windows, pinned where the lane must."""
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    lines = list(project["dependencies"]) + list(project["optional-dependencies"]["dev"])
    out: list[str] = []
    for line in lines:
        req = Requirement(line)
        if req.marker is not None and not req.marker.evaluate(WINDOWS_MARKERS):
            continue
        req.marker = None
        name = req.name.lower()
        if name == "ruff":  # the linter runs on Linux; it has nothing to check under Wine
            continue
        out.append(PINS.get(name, str(req)))
    return out + WINDOWS_ONLY


def main(argv: list[str]) -> int:
    pyproject = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parents[1] / "pyproject.toml"
    print("\n".join(requirements(pyproject)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
