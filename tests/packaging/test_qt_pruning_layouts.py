"""Qt pruning (installer/pyi_qt.py) on the file lists of real PySide6 wheels, in both layouts.

Linux and macOS wheels keep Qt's data under `PySide6/Qt/plugins` and `PySide6/Qt/translations`; the
Windows wheel has `PySide6/plugins` and `PySide6/translations`, and PyInstaller keeps either layout in the
bundle. The Linux list is the installed wheel's own (importlib.metadata); the Windows list is the
PySide6-Essentials 6.6.3.1 win_amd64 wheel's (tests/fixtures/qt-layouts/), the version the Windows lane
builds with. The frozen Windows build under Wine applies the same rules to the real files
(installer/windows/build-under-wine.sh).
"""

from __future__ import annotations

import re
import sys
from importlib import metadata

import pytest

from tests.packaging.conftest import ROOT

sys.path.insert(0, str(ROOT / "installer"))
import pyi_qt  # noqa: E402

WINDOWS_LIST = ROOT / "tests" / "fixtures" / "qt-layouts" / "pyside6-6.6.3.1-win_amd64.txt"
QT_DATA = re.compile(r"^PySide6[/\\](?:Qt[/\\])?(plugins|translations)[/\\](.+)$")


def _windows_wheel_files() -> list[str]:
    lines = WINDOWS_LIST.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line and not line.startswith("#")]


def _linux_wheel_files() -> list[str]:
    try:
        files = metadata.files("PySide6-Essentials")
    except metadata.PackageNotFoundError:
        pytest.skip("PySide6-Essentials is not installed from a wheel here")
    return [str(f) for f in files or [] if str(f).startswith("PySide6/")]


def _decide(files: list[str], platform: str, sep: str) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """Kept and dropped Qt data files, by kind ('plugins' / 'translations'), as paths inside that folder."""
    kept: dict[str, set[str]] = {"plugins": set(), "translations": set()}
    dropped: dict[str, set[str]] = {"plugins": set(), "translations": set()}
    for name in files:
        m = QT_DATA.match(name)
        if not m:
            continue
        (kept if pyi_qt.keep(name.replace("/", sep), platform) else dropped)[m.group(1)].add(m.group(2))
    return kept, dropped


@pytest.mark.parametrize("sep", ["\\", "/"])
def test_windows_wheel_layout_keeps_only_what_a_widgets_window_needs(sep: str) -> None:
    files = _windows_wheel_files()
    kept, dropped = _decide(files, "win32", sep)
    assert kept["plugins"] == {"platforms/qwindows.dll", "platforms/qoffscreen.dll", "styles/qwindowsvistastyle.dll"}
    assert {"platforms/qdirect2d.dll", "imageformats/qsvg.dll", "tls/qschannelbackend.dll",
            "platforminputcontexts/qtvirtualkeyboardplugin.dll"} <= dropped["plugins"]
    assert kept["translations"] == set(pyi_qt.KEEP_QT_TRANSLATIONS)
    qm_files = {t for t in kept["translations"] | dropped["translations"] if t.endswith(".qm")}
    assert len(qm_files) > 100  # the wheel's whole set: all but two go
    assert dropped["translations"] == qm_files - set(pyi_qt.KEEP_QT_TRANSLATIONS)


def test_windows_wheel_libraries() -> None:
    dlls = {name.split("/")[-1] for name in _windows_wheel_files() if re.fullmatch(r"PySide6/[^/]+\.dll", name)}
    kept = {dll for dll in dlls if pyi_qt.keep("PySide6\\" + dll, "win32")}
    # Qt6Network: the single-instance guard's local socket (QLocalServer/QLocalSocket)
    assert {"Qt6Core.dll", "Qt6Gui.dll", "Qt6Widgets.dll", "Qt6Network.dll", "pyside6.abi3.dll",
            "msvcp140.dll"} <= kept
    for gone in ("Qt6Qml.dll", "Qt6Quick.dll", "Qt6DBus.dll", "Qt6Svg.dll", "Qt6Pdf.dll",
                 "opengl32sw.dll", "Qt6OpenGL.dll", "Qt6Sql.dll", "pyside6qml.abi3.dll"):
        assert gone not in kept, gone


def test_linux_wheel_layout_keeps_only_what_a_widgets_window_needs() -> None:
    files = _linux_wheel_files()
    kept, dropped = _decide(files, "linux", "/")
    assert {"platforms/libqxcb.so", "platforms/libqoffscreen.so"} <= kept["plugins"]
    assert all(p.startswith(("platforms/", "platforminputcontexts/", "platformthemes/", "wayland-",
                             "xcbglintegrations/")) for p in kept["plugins"]), kept["plugins"]
    assert {"platformthemes/libqgtk3.so", "imageformats/libqjpeg.so"} <= dropped["plugins"]
    assert kept["translations"] == set(pyi_qt.KEEP_QT_TRANSLATIONS)
    assert len(dropped["translations"]) > 100


def test_same_decisions_on_both_layouts() -> None:
    """A file means the same wherever the wheel keeps Qt's data."""
    for rel in ("plugins/platforms/qwindows.dll", "plugins/imageformats/qjpeg.dll", "translations/qtbase_pl.qm",
                "translations/qt_de.qm", "translations/designer_pl.qm"):
        assert pyi_qt.keep(f"PySide6\\{rel}", "win32") is pyi_qt.keep(f"PySide6\\Qt\\{rel}", "win32"), rel
        assert pyi_qt.keep(f"PySide6/{rel}", "win32") is pyi_qt.keep(f"PySide6/Qt/{rel}", "win32"), rel
