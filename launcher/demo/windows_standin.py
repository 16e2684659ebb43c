"""Where the Windows QuickSupport stand-in (a PE built from launcher/demo/windows/standin.c) is found.

`scripts/build_windows_standin.py` writes it to STANDIN_EXE; the frozen Windows build bundles it at the
same place inside the package, so the same path works from a source checkout and from the frozen app.
"""

from __future__ import annotations

from pathlib import Path

from launcher.core.errors import LauncherError

STANDIN_EXE = Path(__file__).resolve().parent / "windows" / "TeamViewerQS.exe"


def standin_exe(path: Path | None = None) -> Path:
    """The built stand-in's path (default STANDIN_EXE); LauncherError APP-DEMO-STANDIN where it is absent."""
    path = path or STANDIN_EXE
    if not path.is_file():
        raise LauncherError("APP-DEMO-STANDIN", f"{path} is missing: build it with scripts/build_windows_standin.py")
    return path
