"""The window put into a page's middle with example data, the same way for the screen pictures
(scripts/render_screens.py) and the window audit (tests/support/window_audit.py), so the audit checks the
pages the documentation shows."""

from __future__ import annotations


def show_check_running(controller, window, config) -> None:
    """The check page with every planned check of `config` passed but the last one, still running."""
    from launcher.core.connectivity import ProbeResult, planned_checks
    from launcher.ui.controller import State

    controller._enter(State.CHECK)
    checks = planned_checks(config.connectivity)
    for item in checks[:-1]:
        window.check_page.show_result(ProbeResult(item.key, item.kind, True, "", None, 0.1))


def show_download_running(controller, window) -> None:
    """The download page at 13 MB of 32.5 MB, 2.4 MB/s, 8 s left."""
    from launcher.ui.controller import State

    controller._enter(State.DOWNLOAD)
    window.download_page.show_progress(13_000_000, 32_498_992, 2_400_000.0, 8.0)


def show_consultant_at_work(controller) -> None:
    """After a consultant joined: three more lines in the activity list (control, a file each way), so the
    connected session page shows what a real session's list holds, not one line."""
    from datetime import datetime

    from launcher.core.quicksupport.tvlog import TvEvent

    when = datetime.now().replace(microsecond=0)
    controller._on_session_event(TvEvent(kind="control", when=when))
    controller._on_session_event(TvEvent(kind="file_in", when=when, name="sterownik.zip",
                                         folder="C:\\Users\\Jan\\Downloads", size=11_481_907))
    controller._on_session_event(TvEvent(kind="file_out", when=when, name="raport.txt",
                                         folder="C:\\Users\\Jan\\Documents"))
