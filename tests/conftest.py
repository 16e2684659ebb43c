"""Shared test setup: offscreen Qt, hermetic folders, paths to the shared fixtures."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from launcher.ui.offscreen_fonts import use_windows_fonts_offscreen  # noqa: E402

use_windows_fonts_offscreen()  # on Windows, as the app does (no "Cannot find font directory" warning)

from tests.support.a11y import a11y_desktop  # noqa: E402,F401 - a shared fixture

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("OVERMAX_SHARED") or REPO.parent / "shared")  # worktrees: /work/wt/X
TV_FIXTURES = SHARED / "fixtures" / "teamviewer"


@pytest.fixture(autouse=True)
def _own_quicksupport_scope(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test a launcher family of its own (launch.SCOPE_VAR, inherited by the subprocesses it starts): a
    QuickSupport stand-in another test run on this shared machine started does not count as "already
    running" here (QS-ALREADY), while two launchers of the same test still see each other's."""
    import uuid

    from launcher.core.quicksupport.launch import SCOPE_VAR

    monkeypatch.setenv(SCOPE_VAR, f"test-{uuid.uuid4().hex}")


@pytest.fixture
def tv_real_log() -> Path:
    """The real TeamViewer 15 log from ../shared; skips cleanly where it is absent."""
    path = TV_FIXTURES / "TeamViewer15_Logfile.log"
    if not path.is_file():
        pytest.skip("../shared/fixtures/teamviewer is not present")
    return path


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    return folder


@pytest.fixture
def demo_server(tmp_path: Path):
    """The --demo loopback server: a manifest signed with a fresh key and the QuickSupport stand-in."""
    from launcher.demo.server import DemoServer

    if not sys.platform.startswith("linux"):
        pytest.skip("the Linux --demo stand-in (the Windows one: tests/windows/test_demo_windows.py)")
    root = tmp_path / "www"
    root.mkdir()
    server = DemoServer(root).start()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def _garbage_collection_on_the_gui_thread():
    """As the app does (launcher/ui/garbage_collector.py): once a test has made the QApplication, cycles
    are collected on the GUI thread only, never by a worker thread that happens to allocate (which would
    destroy a closed window's Qt objects in the wrong thread)."""
    widgets = sys.modules.get("PySide6.QtWidgets")
    app = widgets.QApplication.instance() if widgets else None
    if app is not None and not getattr(app, "_overmax_gc", None):
        from launcher.ui.garbage_collector import collect_on_gui_thread

        app.garbage_collector = collect_on_gui_thread(app)
    yield
    if app is not None:
        # no background task outlives its test: its function may hold the last reference to a controller
        # or window the test has let go of, which would then be destroyed in the worker thread
        from PySide6.QtCore import QThreadPool

        QThreadPool.globalInstance().waitForDone(30_000)
