"""The Python versions the project promises (pyproject's classifiers) and where to find each on this machine.

`promised_versions()` reads the "Programming Language :: Python :: 3.N" classifiers of pyproject.toml, the one
place the supported versions are written down (README names the same; tests/unit/test_python_versions.py
checks both against `requires-python`). `find_python("3.12")` looks for that interpreter on PATH
(`python3.12`), in pyenv's versions folder (`$PYENV_ROOT` or ~/.pyenv; pyenv's shims on PATH fail for a
version that is not selected, so every candidate is run and must report the version asked for) and in
/usr/bin; returns its path or None.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
_CLASSIFIER = re.compile(r"Programming Language :: Python :: (3\.\d+)$")


def promised_versions(pyproject: Path = ROOT / "pyproject.toml") -> list[str]:
    """["3.11", "3.12", ...]: the minor versions pyproject's classifiers name, oldest first."""
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    found = {m.group(1) for c in project.get("classifiers", []) if (m := _CLASSIFIER.match(c))}
    return sorted(found, key=lambda v: tuple(int(p) for p in v.split(".")))


def running_version() -> str:
    return f"{sys.version_info.major}.{sys.version_info.minor}"


def _candidates(version: str) -> list[Path]:
    name = f"python{version}"
    out: list[Path] = []
    if version == running_version():
        out.append(Path(sys.executable))
    on_path = shutil.which(name)
    if on_path:
        out.append(Path(on_path))
    pyenv_root = Path(os.environ.get("PYENV_ROOT") or Path.home() / ".pyenv")
    # newest patch release first: 3.12.10 before 3.12.9
    releases = sorted(pyenv_root.glob(f"versions/{version}.*/bin/{name}"),
                      key=lambda p: [int(x) if x.isdigit() else -1 for x in p.parts[-3].split(".")], reverse=True)
    out.extend(releases)
    out.append(Path("/usr/bin") / name)
    return out


def _reports(python: Path, version: str) -> bool:
    """True when `python` runs and is CPython `version` with a working venv module."""
    try:
        done = subprocess.run([str(python), "-c", "import sys, venv; print('%d.%d' % sys.version_info[:2])"],
                              capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return False
    return done.returncode == 0 and done.stdout.strip() == version


def find_python(version: str) -> Path | None:
    """An interpreter of `version` ("3.12") on this machine, or None."""
    seen: set[Path] = set()
    for candidate in _candidates(version):
        if candidate in seen or not candidate.is_file():
            continue
        seen.add(candidate)
        if _reports(candidate, version):
            return candidate
    return None
