"""installer/pyi_windows.py: which copy of the Microsoft C++ runtime the Windows build ships."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.packaging.conftest import ROOT

sys.path.insert(0, str(ROOT / "installer"))
import pyi_windows  # noqa: E402


def _folder(path: Path, *names: str) -> Path:
    path.mkdir(parents=True)
    for name in names:
        (path / name).write_bytes(b"MZ" + name.encode())
    return path


def test_the_building_pythons_own_copy_wins(tmp_path: Path) -> None:
    python = _folder(tmp_path / "python", "vcruntime140.dll", "vcruntime140_1.dll", "python311.dll")
    pyside = _folder(tmp_path / "PySide6", "VCRUNTIME140.dll", "VCRUNTIME140_1.dll")
    got = pyi_windows.vc_runtime_binaries(python, pyside, platform="win32")
    assert got == [(str(python / "vcruntime140.dll"), "."), (str(python / "vcruntime140_1.dll"), ".")]


def test_pyside6s_copy_fills_in_for_a_python_without_one(tmp_path: Path) -> None:
    python = _folder(tmp_path / "python", "python311.dll")
    pyside = _folder(tmp_path / "PySide6", "VCRUNTIME140.dll", "vcruntime140_1.dll")
    got = pyi_windows.vc_runtime_binaries(python, pyside, platform="win32")
    assert got == [(str(pyside / "VCRUNTIME140.dll"), "."), (str(pyside / "vcruntime140_1.dll"), ".")]


def test_no_copy_anywhere_stops_the_build(tmp_path: Path) -> None:
    python = _folder(tmp_path / "python", "python311.dll", "vcruntime140.dll")
    pyside = _folder(tmp_path / "PySide6", "Qt6Core.dll")
    with pytest.raises(FileNotFoundError, match="vcruntime140_1.dll"):
        pyi_windows.vc_runtime_binaries(python, pyside, platform="win32")


def test_nothing_off_windows(tmp_path: Path) -> None:
    assert pyi_windows.vc_runtime_binaries(tmp_path, tmp_path, platform="linux") == []
    assert pyi_windows.vc_runtime_binaries(platform="darwin") == []


def test_the_demo_standin_goes_where_the_package_looks_for_it(tmp_path: Path) -> None:
    from launcher.demo.windows_standin import STANDIN_EXE

    exe = _folder(tmp_path / "built", "TeamViewerQS.exe") / "TeamViewerQS.exe"
    [(source, folder)] = pyi_windows.demo_standin_datas(exe, platform="win32")
    assert source == str(exe)
    assert Path(folder) == STANDIN_EXE.parent.relative_to(ROOT)  # launcher/demo/windows, inside the bundle too


def test_a_windows_build_without_the_standin_says_so(tmp_path: Path) -> None:
    with pytest.warns(UserWarning, match="APP-DEMO-STANDIN"):
        assert pyi_windows.demo_standin_datas(tmp_path / "TeamViewerQS.exe", platform="win32") == []
    assert pyi_windows.demo_standin_datas(tmp_path / "TeamViewerQS.exe", platform="linux") == []
