"""Windows-only needs of build_spec.spec: the Microsoft C++ runtime that python3XX.dll links.

PyInstaller copies vcruntime140.dll and vcruntime140_1.dll from the building Python's folder into the
bundle's top folder, where python3XX.dll finds them at start; Windows has no copy of its own unless some
program installed the Visual C++ Redistributable. When the building Python has none beside it (the Windows
lane under Wine drops WinPython's copies, whose Microsoft signature cannot be checked here), PyInstaller
resolves them to Wine's built-in DLLs and rightly leaves those out: the bundle would then start only where
the Redistributable happens to be installed. The PySide6 wheel ships the same runtime (re-signed by The Qt
Company), so that copy fills the gap.
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

VC_RUNTIME = ("vcruntime140.dll", "vcruntime140_1.dll")


def _find(folder: Path, name: str) -> Path | None:
    """`name` in `folder`, matched without regard to case (Windows names; the wheel writes them either way)."""
    if not folder.is_dir():
        return None
    for entry in folder.iterdir():
        if entry.name.lower() == name and entry.is_file():
            return entry
    return None


def vc_runtime_binaries(base_prefix: Path | None = None, pyside_dir: Path | None = None,
                        platform: str = sys.platform) -> list[tuple[str, str]]:
    """(source path, ".") for each runtime DLL: the building Python's own copy, else PySide6's.

    Empty off Windows. Raises FileNotFoundError naming the DLL when neither folder has it: a bundle without
    it fails to start on a Windows without the Redistributable, so the build must not go on.
    """
    if platform != "win32":
        return []
    base_prefix = Path(sys.base_prefix) if base_prefix is None else base_prefix
    if pyside_dir is None:
        import PySide6

        pyside_dir = Path(PySide6.__file__).parent
    out = []
    for name in VC_RUNTIME:
        found = _find(base_prefix, name) or _find(pyside_dir, name)
        if found is None:
            raise FileNotFoundError(f"{name}: neither {base_prefix} nor {pyside_dir} has it")
        out.append((str(found), "."))
    return out


def demo_standin_datas(standin: Path | None = None, platform: str = sys.platform) -> list[tuple[str, str]]:
    """(source, bundle folder) for the Windows QuickSupport stand-in `--demo` serves, at the place inside the
    package where launcher.demo.windows_standin looks for it. Empty off Windows.

    Without a built stand-in (scripts/build_windows_standin.py needs mingw-w64) the build goes on with a
    warning and its --demo answers APP-DEMO-STANDIN; installer/windows/build-under-wine.sh builds it first
    and checks that the app holds it.
    """
    if platform != "win32":
        return []
    if standin is None:
        from launcher.demo.windows_standin import STANDIN_EXE

        standin = STANDIN_EXE
    if not standin.is_file():
        warnings.warn(f"{standin} is not built (scripts/build_windows_standin.py): this build's --demo "
                      "will answer APP-DEMO-STANDIN", stacklevel=2)
        return []
    return [(str(standin), "launcher/demo/windows")]
