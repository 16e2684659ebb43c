"""The wheel carries the launcher's resources: setuptools' build_py copies the top-level `resources/`
folder (the one source of truth) into the package as `launcher/_resources/` and compiles each Qt
Linguist `.ts` there into the `.qm` the app loads, with PySide6's lrelease (a build requirement).
Everything else about the package is in pyproject.toml."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
SOURCE = ROOT / "resources"
PACKAGED = "_resources"  # launcher/resources.py looks for it
# Build inputs, not resources: translation sources (compiled below) and icon formats only installers use.
NOT_SHIPPED = (".ts", ".ico", ".icns", ".pro", ".key")


def lrelease() -> str:
    """PySide6's lrelease: inside the PySide6 package (Windows, Linux), Qt's libexec (macOS) or on PATH."""
    import PySide6

    folder = Path(PySide6.__file__).parent
    for candidate in (folder / "lrelease", folder / "lrelease.exe", folder / "Qt" / "libexec" / "lrelease"):
        if candidate.is_file():
            return str(candidate)
    found = shutil.which("pyside6-lrelease") or shutil.which("lrelease")
    if not found:
        raise RuntimeError("PySide6's lrelease not found: the .qm translations cannot be built")
    return found


class BuildWithResources(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install reads the checkout's resources/ folder itself
        target = Path(self.build_lib) / "launcher" / PACKAGED
        if target.exists():
            shutil.rmtree(target)
        for path in sorted(SOURCE.rglob("*")):
            if path.is_file() and path.suffix not in NOT_SHIPPED and path.name != ".gitkeep":
                dest = target / path.relative_to(SOURCE)
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, dest)
        tool = lrelease()
        for ts in sorted(SOURCE.glob("translations/*.ts")):
            qm = target / "translations" / f"{ts.stem}.qm"
            qm.parent.mkdir(parents=True, exist_ok=True)
            done = subprocess.run([tool, str(ts), "-qm", str(qm)], capture_output=True, text=True)
            if done.returncode != 0 or not qm.is_file():
                sys.stderr.write(done.stdout + done.stderr)
                raise RuntimeError(f"lrelease failed for {ts.name}")


setup(cmdclass={"build_py": BuildWithResources})
