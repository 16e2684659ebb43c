"""Work done after the first paint while the customer reads the Regulamin: the code the steps after "Dalej"
run is loaded on the thread pool, once, and names modules that exist."""

from __future__ import annotations

import importlib.util
import linecache
import subprocess
import sys

from PySide6.QtCore import QThreadPool

from launcher.ui.main_window import SESSION_CODE


def test_the_session_code_is_loaded_once_after_the_first_paint(window, qtbot, monkeypatch):
    import launcher.ui.tasks as tasks

    assert window._code_loader.done and window.startup_finished  # loaded with the deferred start-up work
    started: list[str] = []
    real_start = tasks.start_task
    monkeypatch.setattr(tasks, "start_task", lambda task: started.append(task.name) or real_start(task))
    window.finish_startup()  # start-up work run again (e.g. after a late paint) does not load it twice
    qtbot.waitUntil(lambda: window._hotline_task is None, timeout=30_000)  # its answer is in, as at the start
    assert not [name for name in started if name.startswith("load ")]


def test_the_session_code_names_real_modules_the_first_window_does_not_load():
    for name in SESSION_CODE:
        assert importlib.util.find_spec(name) is not None, name
    # the first paint must not wait for them: importing the window's module loads none of them
    probe = ("import sys, launcher.ui.main_window as m; "
             "print(sorted(n for n in m.SESSION_CODE if n in sys.modules))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=True)
    assert out.stdout.strip() == "[]"


def test_the_session_code_loads_after_the_calendar_and_start_up_ends_with_it(make_window, monkeypatch):
    """One load after the other (two at once made a source install's peak memory vary by up to 10 MiB): the
    calendar's package, the hotline's answer, then each module of the session code, the hotline's answer on
    screen before the session code starts loading; start-up ends when it is in."""
    from PySide6.QtWidgets import QApplication

    import launcher.ui.tasks as tasks
    from launcher.ui.main_window import MainWindow

    started: list[tuple[str, list[str], int]] = []  # task name, the footers on screen, source files kept
    real_start = tasks.start_task

    def recording_start(task):
        # the windows on screen: earlier tests' closed windows may still exist until their deletion
        footers = [w.footer.text() for w in QApplication.topLevelWidgets()
                   if isinstance(w, MainWindow) and w.isVisible()]
        started.append((task.name, footers, len(linecache.cache)))
        linecache.getlines(__file__)  # as PySide6 reads each module it imports (a source install)
        return real_start(task)

    monkeypatch.setattr(tasks, "start_task", recording_start)
    window = make_window()  # returns once startup_finished
    names = [name for name, _, _ in started]
    loads = [f"load session code: {name}" for name in SESSION_CODE]
    assert names == ["load calendar: holidays", "hotline", *loads]
    # each load starts with nothing kept of what the one before had PySide6 read (launcher/ui/startup_imports.py)
    assert [kept for name, _, kept in started if name.startswith("load ")] == [0] * (1 + len(SESSION_CODE))
    phone = window.controller.config.hotline.phone.replace(" ", "\xa0")  # kept whole (launcher/ui/unbroken.py)
    before_the_answer = f"Infolinia techniczna Overmax: {phone}"
    footers_then = {name: footers for name, footers, _ in started}[loads[0]]
    assert footers_then == [window.footer.text()]
    assert footers_then[0].startswith(before_the_answer + ". ")  # the hours' answer follows the number
    assert QThreadPool.globalInstance().waitForDone(30_000)
