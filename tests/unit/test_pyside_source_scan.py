"""PySide6's per-import source scan keeps nothing in linecache once wrapped."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_modules_imported_after_pyside_leave_no_source_in_linecache(tmp_path):
    """Neither the files scanned after the wrapper nor those scanned before it stay in linecache."""
    (tmp_path / "uses_qt.py").write_text("from PySide6.QtCore import QObject\nX = 1\n" + "# pad\n" * 2000)
    (tmp_path / "plain.py").write_text("Y = 2\n" + "# pad\n" * 2000)
    (tmp_path / "early.py").write_text("Z = 3\n" + "# pad\n" * 2000)
    code = textwrap.dedent("""
        import linecache, sys
        import PySide6.QtCore
        import early  # scanned before the wrapper is in place
        assert any(name.endswith("early.py") for name in linecache.cache)
        from launcher.ui.pyside_source_scan import forget_scanned_sources
        assert forget_scanned_sources() and forget_scanned_sources()  # idempotent
        import uses_qt, plain
        kept = [name for name in linecache.cache if name.endswith(("uses_qt.py", "plain.py", "early.py"))]
        feature = sys.modules["shibokensupport.feature"]
        # PySide6 still tells the two apart exactly as before
        print(kept, feature.pyside_feature_dict.get("uses_qt"), feature.pyside_feature_dict.get("plain"))
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                         env={**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), str(REPO)]),
                              "QT_QPA_PLATFORM": "offscreen"})
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["[]", "0", "-1"]


def test_the_byte_check_answers_as_pyside6_own_check_for_every_module_here():
    """For every module of the launcher, its dependencies and the standard library loaded here: the
    bytes of the .py file say "PySide6" exactly when PySide6's inspect.getsource() check says so."""
    code = textwrap.dedent("""
        import sys, importlib, pkgutil
        import PySide6.QtCore
        feature = sys.modules["shibokensupport.feature"]
        original = feature._mod_uses_pyside
        from launcher.ui import pyside_source_scan as scan
        import launcher
        for info in pkgutil.walk_packages(launcher.__path__, "launcher."):
            if info.name.rsplit(".", 1)[-1] not in ("uia", "ax", "__main__"):
                importlib.import_module(info.name)
        import requests, psutil, platformdirs, holidays.countries.poland  # noqa: F401
        checked = mismatched = 0
        for name, module in list(sys.modules.items()):
            mine = scan._source_mentions_pyside(module)
            if mine is None:
                continue
            checked += 1
            if mine != original(module):
                mismatched += 1
                print("MISMATCH", name)
        print(checked, mismatched)
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=REPO,
                         env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert out.returncode == 0, out.stderr
    checked, mismatched = (int(x) for x in out.stdout.split()[-2:])
    assert checked > 300 and mismatched == 0, out.stdout
