"""The controller's part for issue 15: the roster's verdicts, the activity list, "is the consultant still
helping you?" every `session.confirm_minutes` while one is connected, and the receipt when a session ends.

Lives on the GUI thread beside the controller; the controller feeds it every session event (`on_event`),
tells it when a session begins and is over (`begin`, `finish`), and asks it what a refused supporter means.
"""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal, Slot

from launcher import __version__
from launcher.core.errors import LauncherError
from launcher.ui.timers import single_shot_timer

if TYPE_CHECKING:
    from launcher.config import SessionConfig
    from launcher.core.quicksupport.tvlog import TvEvent
    from launcher.ui.session_state import SessionInfo

log = logging.getLogger(__name__)


class ConsultantWatch(QObject):
    confirmPromptChanged = Signal(bool)  # "Czy konsultant nadal Ci pomaga?" shown / hidden
    confirmUnanswered = Signal()  # nobody answered in time: the controller ends the session

    def __init__(self, limits: SessionConfig, data_dir: Path, language: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.data_dir = data_dir
        self.language = language
        self._ask = single_shot_timer(self, limits.confirm_minutes * 60_000, self._on_ask)
        self._answer = single_shot_timer(self, limits.idle_answer_s * 1000, self._on_unanswered)
        self.started_at: datetime | None = None
        self.receipt_text = ""
        self.receipt_path: Path | None = None
        # why the receipt could not be written (receipt_text then holds it, for the last page and the report)
        self.receipt_error: LauncherError | None = None

    # ----- the session's course
    def begin(self, info: SessionInfo) -> None:
        info.language = self.language
        self.started_at = datetime.now()
        self.receipt_text, self.receipt_path, self.receipt_error = "", None, None
        self.stop_asking()

    def on_event(self, info: SessionInfo, ev: TvEvent) -> None:
        """Record `ev` in the activity list and keep the verdict and the question's timer in step."""
        info.activity.add(ev)
        if ev.kind == "joined":  # the verdict shown: SessionInfo.note_presence, which has seen every supporter
            self._ask.start()
        elif ev.kind == "unidentified":  # warn mode: someone is connected whom no wording named
            info.supporter_verdict = "unknown"
            self._ask.start()
        elif ev.kind in ("left", "ended", "refused") and not info.present:
            info.supporter_verdict = None
            self.stop_asking()

    def finish(self, info: SessionInfo, ended_by: str, secrets: list[str]) -> None:
        """The session is over: the last activity line and the receipt in the data folder."""
        from launcher.core.diagnostics import redact
        from launcher.core.receipt import Receipt, render_text, write_receipt  # at a session's end, not at start-up

        self.stop_asking()
        if self.started_at is None:
            return  # no session was started (or its receipt is written already)
        ended_at = datetime.now()
        info.activity.end(ended_by, ended_at)
        receipt = Receipt.from_activity(info.activity.entries, started_at=self.started_at, ended_at=ended_at,
                                        ended_by=ended_by, own_id=info.tv_id, app_version=__version__)
        self.started_at = None
        try:
            text_path, _json_path = write_receipt(receipt, self.data_dir, lang=self.language, secrets=secrets)
        except LauncherError as exc:
            # the facts stay on screen and go into the consultant's report: nothing is lost in silence
            log.warning("receipt not written: %s", exc)
            self.receipt_text = redact(render_text(receipt, self.language), [s for s in secrets if s and s.strip()])
            self.receipt_path, self.receipt_error = None, exc
            return
        self.receipt_text, self.receipt_path = text_path.read_text("utf-8"), text_path
        log.info("receipt written: %s", text_path.name)

    # ----- "is the consultant still helping you?"
    @property
    def asking(self) -> bool:
        """The question is out and waits for its answer (both the page and the panel show it)."""
        return self._answer.isActive()

    def confirmed(self) -> None:
        """Tak: hide the question and ask again after another `confirm_minutes`."""
        self._answer.stop()
        self.confirmPromptChanged.emit(False)
        self._ask.start()

    def stop_asking(self) -> None:
        self._ask.stop()
        if self._answer.isActive():
            self._answer.stop()
        self.confirmPromptChanged.emit(False)

    @Slot()
    def _on_ask(self) -> None:
        self.confirmPromptChanged.emit(True)
        self._answer.start()

    @Slot()
    def _on_unanswered(self) -> None:
        log.info("nobody answered 'is the consultant still helping?': disconnecting")
        self.confirmPromptChanged.emit(False)
        self.confirmUnanswered.emit()
