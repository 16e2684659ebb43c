"""The Windows lane's requirement list: the project's requirements judged with Windows' markers."""

from __future__ import annotations

from pathlib import Path

from scripts.windows_lane_reqs import requirements

PYPROJECT = """
[project]
dependencies = ["PySide6-Essentials>=6.6,!=6.12.0", "psutil>=5.9", "jeepney>=0.8; sys_platform == 'linux'",
                "pywin32-ctypes; sys_platform == 'win32'"]
[project.optional-dependencies]
dev = ["pytest>=8", "ruff>=0.5"]
"""


def test_markers_are_judged_as_on_windows_and_the_lane_pins_apply(tmp_path: Path):
    path = tmp_path / "pyproject.toml"
    path.write_text(PYPROJECT)
    reqs = requirements(path)
    assert "PySide6-Essentials==6.6.3.1" in reqs  # 6.7+ does not import under Wine 8
    assert "psutil>=5.9" in reqs and "pytest>=8" in reqs
    assert "pywin32-ctypes" in reqs  # Windows-only: kept, its marker dropped
    assert not any(r.startswith(("jeepney", "ruff")) for r in reqs)
    assert "colorama" in reqs  # pytest needs it on Windows only, which a Linux-judged download misses


def test_the_projects_own_requirements_resolve():
    reqs = requirements(Path(__file__).resolve().parents[2] / "pyproject.toml")
    assert "PySide6-Essentials==6.6.3.1" in reqs and not any(";" in r for r in reqs)
    assert any(r.startswith("comtypes") for r in reqs)  # UI Automation: the password read on Windows
