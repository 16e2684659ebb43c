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
