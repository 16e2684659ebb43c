"""Render every page and every error page, in Polish and English, to docs/screens/*.png.

The pictures are of the real window at its real default size (MainWindow.DEFAULT_SIZE): where Xvfb and
openbox are installed (scripts/system-deps.sh) the window is drawn by Qt's xcb platform on a private
1366x768 screen with a window manager, as a customer sees it; elsewhere offscreen at the same size.
They show example data (ID 123 456 789, password "ab12cd"), never a real session. The test suite runs
this into a temporary folder (it must work) and checks that docs/screens/index.json was made from the
current UI sources (so committed pictures are never stale):

    .venv/bin/python scripts/render_screens.py            # regenerate docs/screens
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

OUT = ROOT / "docs" / "screens"
SIZE = (860, 640)  # MainWindow.DEFAULT_SIZE: the size the window opens at where the screen has room
SCREEN = (1366, 768)  # the private screen it is drawn on: the commonest laptop screen
_CHILD = "OVERMAX_RENDER_SCREENS_CHILD"
SOURCES = ["launcher/ui", "launcher/core/errors.py", "launcher/core/connectivity.py", "resources/style.qss",
           "resources/translations", "resources/regulamin.txt", "resources/regulamin_en.txt",
           "scripts/render_screens.py", "tests/support/window_stages.py"]


def sources_digest() -> str:
    digest = hashlib.sha256()
    files: list[Path] = []
    for entry in SOURCES:
        path = ROOT / entry
        files += sorted(p for p in path.rglob("*") if p.suffix in (".py", ".ts", ".qss", ".txt")) \
            if path.is_dir() else [path]
    for path in files:
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes().replace(b"\r\n", b"\n"))
    return digest.hexdigest()


def render(out_dir: Path) -> list[str]:
    from PySide6.QtWidgets import QApplication

    from launcher.config import load_config
    from launcher.core.errors import CATALOGUE, LauncherError
    from launcher.core.paths import app_paths
    from launcher.core.quicksupport.tvlog import TvEvent
    from launcher.ui.app import create_app, load_translations
    from launcher.ui.controller import Controller, State
    from launcher.ui.main_window import MainWindow
    from tests.support.window_stages import show_check_running, show_consultant_at_work, show_download_running

    app = create_app()
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        for lang in ("pl", "en"):
            translators = load_translations(app, lang)
            config = load_config()  # the built-in configuration: what a customer sees
            controller = Controller(config, app_paths(str(Path(tmp) / lang)).ensure(), language=lang)
            window = MainWindow(controller)
            window.show()
            if app.platformName() == "offscreen" or window.size().toTuple() != SIZE:
                window.resize(*SIZE)  # offscreen's screen is 800x600: draw at the real default size anyway

            def shot(name: str, window=window, lang=lang) -> None:
                QApplication.processEvents()
                path = out_dir / f"{lang}-{name}.png"
                window.grab().save(str(path))
                written.append(path.name)

            shot("1-terms")
            show_check_running(controller, window, config)
            shot("2-check")
            show_download_running(controller, window)
            shot("3-download")
            controller._enter(State.STARTING)
            controller.watch.begin(controller.session)  # what starting QuickSupport does (the receipt's start)
            shot("4-starting")
            controller._on_session_event(TvEvent(kind="id", when=None, tv_id="123456789"))
            controller._on_session_event(TvEvent(kind="online", when=None))
            controller._on_password("ab12cd")
            shot("4-session-waiting")
            controller._on_session_event(TvEvent(kind="joined", when=None, tv_id="987654321",
                                                 name="Jan Kowalski"))
            show_consultant_at_work(controller)  # a few lines in the activity list, as a real session has
            controller.session.connected_since = time.monotonic() - 125
            window.session_page.show_session(controller.session)
            window.session_page.spell_button.setChecked(True)
            shot("4-session-connected")
            controller.watch.finish(controller.session, "customer", ["ab12cd"])  # Rozłącz: the receipt
            controller._enter(State.ENDED)
            shot("5-ended")
            state_of_step = {"terms": State.TERMS, "check": State.CHECK, "download": State.DOWNLOAD,
                             "session": State.SESSION, "app": State.TERMS}
            for code in sorted(CATALOGUE):
                controller.state = state_of_step[CATALOGUE[code].step]  # where such an error happens
                window.error_page.reset_attempts()  # each picture shows a first attempt, as a customer meets it
                controller._fail(LauncherError(code))
                shot(f"error-{code}")
            window.compact_panel.hide()
            window.close()
            controller.shutdown()
            # delete the Qt side now, in order, rather than leave it to interpreter shutdown
            window.compact_panel.deleteLater()
            window.deleteLater()
            controller.deleteLater()
            QApplication.processEvents()
            for tr in translators:
                app.removeTranslator(tr)
    return written


def _on_virtual_screen() -> int | None:
    """Run this script again on a private X screen with a window manager; None where that cannot be."""
    import subprocess

    from tests.support.xserver import missing_tools, virtual_screen

    if os.environ.get(_CHILD) or not sys.platform.startswith("linux") or missing_tools():
        return None
    with virtual_screen(*SCREEN) as display:
        env = {k: v for k, v in os.environ.items() if not k.startswith("QT_")}
        env.update(DISPLAY=display, QT_QPA_PLATFORM="xcb", **{_CHILD: "1"})
        return subprocess.run([sys.executable, str(Path(__file__).resolve())], env=env, cwd=ROOT).returncode


def main() -> int:
    code = _on_virtual_screen()
    if code is not None:
        return code
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from launcher.ui.main_window import MainWindow

    assert MainWindow.DEFAULT_SIZE == SIZE, "render_screens.SIZE must be MainWindow.DEFAULT_SIZE"
    for old in OUT.glob("*.png"):
        old.unlink()
    files = render(OUT)
    from PySide6.QtWidgets import QApplication

    index = {"sources_sha256": sources_digest(), "size": list(SIZE), "files": sorted(files),
             "platform": QApplication.instance().platformName()}
    (OUT / "index.json").write_text(json.dumps(index, indent=1) + "\n", encoding="utf-8")
    print(f"{len(files)} screens in {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
