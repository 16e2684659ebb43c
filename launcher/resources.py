"""Where the shipped resources (config.toml, regulamin.txt, style.qss, translations, icons) live.

Installed (a wheel) and frozen (PyInstaller), they are package data: `launcher/_resources/`, found with
`importlib.resources`; both builds copy them there from the top-level `resources/` folder, which stays
the one source of truth and is what a source checkout reads directly.
"""

from __future__ import annotations

import os
from importlib.resources import files
from pathlib import Path

PACKAGED = "_resources"  # setup.py and build_spec.spec put the resources there


def resources_dir() -> Path:
    """The resources folder: the package's own copy if there is one, else the checkout's `resources/`.
    Qt loads translations and icons by file name, so this is always a real folder (wheels install
    unpacked; PyInstaller's onedir app keeps package data as files)."""
    packaged = files("launcher").joinpath(PACKAGED)
    if packaged.is_dir():
        return Path(os.fspath(packaged))
    return Path(__file__).resolve().parent.parent / "resources"


def resource_path(*parts: str) -> Path:
    """`resources_dir()` joined with `parts`, e.g. resource_path("translations", "launcher_en.qm")."""
    return resources_dir().joinpath(*parts)
