"""Work done after the first paint while the customer reads the Regulamin: the code the steps after "Dalej"
run is loaded on the thread pool, once, and names modules that exist."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

from PySide6.QtCore import QThreadPool

from launcher.ui.main_window import SESSION_CODE


def test_the_session_code_is_loaded_once_after_the_first_paint(window, qtbot):
    task = window._code_task
    assert task is not None  # started with the deferred start-up work
    window.finish_startup()  # start-up work run again (e.g. after a late paint) does not load it twice
    assert window._code_task is task
    assert QThreadPool.globalInstance().waitForDone(30_000)


def test_the_session_code_names_real_modules_the_first_window_does_not_load():
    for name in SESSION_CODE:
        assert importlib.util.find_spec(name) is not None, name
    # the first paint must not wait for them: importing the window's module loads none of them
    probe = ("import sys, launcher.ui.main_window as m; "
             "print(sorted(n for n in m.SESSION_CODE if n in sys.modules))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=True)
    assert out.stdout.strip() == "[]"
