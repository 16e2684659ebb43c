"""A window freed by Python's cycle collector never takes the application's QScreen with it.

PySide6 makes the QScreen that `QWidget.screen()` / `QWindow.screen()` return a child of the widget's
Python wrapper; freeing that wrapper in a cycle could delete the screen, and the next new widget crashed
in QScreen::virtualSiblings (launcher/ui/screens.py). These tests once crashed the UI suite every other run.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_windows_freed_by_the_cycle_collector_leave_the_screen_alone(tmp_path):
    # A child process: with the bug this is a segmentation fault, which must fail this test, not end pytest.
    rounds = 4
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(REPO)}
    out = subprocess.run([sys.executable, "-m", "tests.support.window_churn", str(tmp_path / "data"), str(rounds)],
                         capture_output=True, text=True, env=env, cwd=REPO, timeout=300)
    assert out.returncode == 0, f"exit {out.returncode}: {out.stdout}{out.stderr[-2000:]}"
    assert out.stdout.strip().splitlines()[-1] == f"ok {rounds}"


def _screen_calls(path: Path) -> list[str]:
    """`something.screen()` calls in a Python file, as "path:line"."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    return [f"{path.relative_to(REPO)}:{node.lineno}" for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr == "screen" and not node.args and not node.keywords]


def test_no_code_asks_a_widget_or_a_window_for_its_screen():
    """launcher.ui.screens.screen_of instead: QWidget.screen() and QWindow.screen() tie the screen's
    lifetime to the widget's Python wrapper."""
    files = [*(REPO / "launcher").rglob("*.py"), *(REPO / "tests").rglob("*.py"), *(REPO / "scripts").rglob("*.py")]
    assert len(files) > 20
    calls = [call for path in files for call in _screen_calls(path)]
    assert calls == []
