"""The customer flow as an explicit state machine.

    TERMS -> CHECK -> DOWNLOAD -> STARTING -> SESSION -> STOPPING -> ENDED
                 \\________\\__________\\_________\\___________-> ERROR -> (retry) CHECK

The controller lives on the GUI thread and does no blocking work itself: connectivity and download
run as `Task`s on the thread pool, QuickSupport lives in a `SessionWorker` on its own thread. Results
come back through queued signals into bound slots here.
"""

from __future__ import annotations

import enum
import logging
import threading
import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QThreadPool, Signal, Slot

from launcher import __version__
from launcher.config import Config
from launcher.core import terms
from launcher.core.cancel import Cancel, end_at_exit
from launcher.core.errors import LauncherError
from launcher.core.paths import AppPaths
from launcher.ui.consultant_watch import ConsultantWatch
from launcher.ui.session_state import SessionInfo
from launcher.ui.session_worker import SessionWorker, make_session_thread
from launcher.ui.tasks import Task, start_task
from launcher.ui.timers import single_shot_timer

if TYPE_CHECKING:  # the network stack is imported when the check starts, after the first window is up
    from collections.abc import Callable
    from concurrent.futures import Future

    from PySide6.QtCore import QThread, SignalInstance

    from launcher.core.connectivity import ProbeResult
    from launcher.core.download import Progress
    from launcher.core.fetch import ManifestAhead, VerifiedArtifact
    from launcher.core.manifest import Manifest
    from launcher.core.quicksupport.tvlog import TvEvent

log = logging.getLogger(__name__)


class State(enum.Enum):
    TERMS = "terms"
    CHECK = "check"
    DOWNLOAD = "download"
    STARTING = "starting"
    SESSION = "session"
    STOPPING = "stopping"
    ENDED = "ended"
    ERROR = "error"


STEP_OF_STATE = {
    State.TERMS: 1,
    State.CHECK: 2,
    State.DOWNLOAD: 3,
    State.STARTING: 4,
    State.SESSION: 4,
    State.STOPPING: 4,
    State.ENDED: 5,
}
STEP_COUNT = 5


# How long closing waits for the QuickSupport thread's work under way (a stop that gives up takes about 6 s:
# ProcessTree.terminate_all's rounds); a bound only against a thread stuck for good
WORKER_EXIT_WAIT_MS = 30_000


def _event_failure(ev: TvEvent) -> LauncherError | None:
    from launcher.core.quicksupport.session import event_failure  # loaded with the session, not before

    return event_failure(ev)


class Controller(QObject):
    stateChanged = Signal(object)  # State
    probeResult = Signal(object)  # connectivity.ProbeResult, from worker threads
    downloadProgress = Signal("qint64", "qint64", float, float)  # done, total, bytes/s, eta s (-1: unknown)
    sessionChanged = Signal(object)  # SessionInfo
    passwordChanged = Signal(str)  # "" when wiped
    errorRaised = Signal(object)  # LauncherError
    idlePromptChanged = Signal(bool)  # "are you still there?" shown / hidden
    manifestFetched = Signal(object)  # the ManifestAhead whose answer came (from its thread)
    # (the download attempt's cancel event, the Manifest it goes by), from the download's worker thread
    manifestVerified = Signal(object)

    def __init__(self, config: Config, paths: AppPaths, *, language: str = "pl") -> None:
        super().__init__()
        self.config = config
        self.paths = paths
        self.language = language
        self.state = State.TERMS
        self.error: LauncherError | None = None
        self.error_step = 1
        # The text shown in this language (a translation in English) and the binding Polish one.
        self.regulamin = terms.load_regulamin(config.hotline.email, language=language)
        self.binding_regulamin = (terms.load_regulamin(config.hotline.email) if self.regulamin.is_translation
                                  else self.regulamin)
        self.consent: dict | None = None
        self.probe_results: list[ProbeResult] = []
        self.verified: VerifiedArtifact | None = None
        self.manifest: Manifest | None = None  # this attempt's signed manifest once verified (for the report)
        self.session = SessionInfo()
        self._password = ""
        self._cancel = Cancel()  # this download attempt's: Anuluj, a retry and the exit set it
        # each attempt's cancel and the daemon thread its download runs on (appended on the task's thread, one
        # per attempt): shutdown() waits a while for those still running, and removes the partial files of those
        # that do not end
        self._downloads: list[tuple[Cancel, Future[VerifiedArtifact]]] = []
        self._tasks: set[Task] = set()
        self._manifest_ahead: ManifestAhead | None = None  # fetched beside the check, until the download takes it
        self.manifestFetched.connect(self._on_manifest_fetched)
        self.manifestVerified.connect(self._on_manifest_verified)
        self._close_after_stop = False
        self._retry_after_stop = False
        self._shut_down = False  # results queued before shutdown() may still come: they start nothing
        self._closing = threading.Event()  # set by shutdown(): a check in progress is no longer waited for
        self._check_stop = threading.Event()  # this check's: set by Anuluj (cancel_check) and by shutdown()
        # held around each emit from a thread that may outlive the controller, and by shutdown() as it sets
        # _closing: once shutdown() has returned, no such thread calls into the controller any more (an emit
        # racing the C++ object's deletion on the GUI thread is a use after free, not a RuntimeError)
        self._tell_gate = threading.Lock()
        self.end_reason = "customer"  # customer | limit | idle | unanswered
        self.watch = ConsultantWatch(config.session, paths.data, language, self)
        self.watch.confirmUnanswered.connect(self._on_confirm_unanswered)
        self.confirmPromptChanged = self.watch.confirmPromptChanged  # "Czy konsultant nadal Ci pomaga?"

        limits = config.session
        self._limit_timer = single_shot_timer(self, limits.max_minutes * 60_000, self._on_session_limit)
        self._idle_timer = single_shot_timer(self, limits.idle_prompt_minutes * 60_000, self._on_idle)
        self._answer_timer = single_shot_timer(self, limits.idle_answer_s * 1000, self._on_idle_unanswered)

        self._worker = SessionWorker()
        self._worker.unknown_supporter = config.session.unknown_supporter
        self._thread: QThread | None = None  # made on the worker's first use: see _session_worker
        self._worker.started.connect(self._on_session_started)
        self._worker.event.connect(self._on_session_event)
        self._worker.password.connect(self._on_password)
        self._worker.passwordStatus.connect(self._on_password_status)
        self._worker.stopped.connect(self._on_session_stopped)
        self._worker.failed.connect(self._on_session_failed)

    def _session_worker(self) -> SessionWorker:
        """The QuickSupport session worker, on its own thread from its first use (a launcher that never
        reaches a session never starts the thread)."""
        if self._thread is None:
            self._thread = make_session_thread(self._worker)
            self._thread.start()
        return self._worker

    # ----- state
    def _enter(self, state: State) -> None:
        log.info("state %s -> %s", self.state.value, state.value)
        self.state = state
        self.stateChanged.emit(state)

    @property
    def step(self) -> int:
        return self.error_step if self.state is State.ERROR else STEP_OF_STATE[self.state]

    @property
    def session_active(self) -> bool:
        return self.state in (State.STARTING, State.SESSION, State.STOPPING)

    def _fail(self, exc: LauncherError) -> None:
        if self.state is State.ERROR and exc.code == "DL-CANCELLED":
            # a download given up because an error page came first (on_unexpected_error): that error stays
            log.info("download given up behind the error page %s", self.error.code if self.error else "")
            return
        self._stop_session_timers()
        self._drop_manifest()
        self.error = exc
        self.error_step = STEP_OF_STATE.get(self.state, self.error_step)
        self.errorRaised.emit(exc)
        self._enter(State.ERROR)

    # ----- step 1: terms
    def accept_terms(self, accepted_terms: bool, confirmed_hotline: bool,
                     shown: terms.Regulamin | None = None) -> None:
        """Both boxes ticked under `shown` (the text on screen: the translation or the binding Polish one;
        default `regulamin`): the consent record, then the connection check."""
        if not (accepted_terms and confirmed_hotline) or self.state is not State.TERMS:
            return
        try:
            self.consent = terms.record_consent(
                self.paths.consent_file,
                shown or self.regulamin,
                app_version=__version__,
                language=self.language,
                accepted_terms=accepted_terms,
                confirmed_hotline=confirmed_hotline,
            )
        except LauncherError as exc:
            self._fail(exc)
            return
        self.start_check()

    # ----- step 2: connection check
    def start_check(self) -> None:
        if self._shut_down:  # a retry queued before shutdown() (after QuickSupport's stop) starts nothing
            return
        if self.consent is None:  # nothing past the terms page happens without the consent record
            self._enter(State.TERMS)
            return
        from launcher.core import connectivity

        self.probe_results = []
        self.manifest = self.verified = None  # an earlier attempt's are not this one's (the report's)
        self._session_worker().requestPrepare.emit()  # its watchdog starts while we check and download
        self._enter(State.CHECK)
        self._fetch_manifest_ahead()
        cfg, proxies = self.config.connectivity, self.config.download.proxies  # as the download will go
        self._check_stop = stop = threading.Event()
        if self._closing.is_set():
            stop.set()
        tell = self._emitter(self.probeResult)

        def check() -> list[ProbeResult]:
            # given up at Anuluj or when the window closes: a server holding a probe open must not keep the
            # customer waiting, nor the closed program (and the single-instance lock a new start needs) up, until
            # the check's timeout
            return connectivity.run_checks_unless_stopped(cfg, stop, on_result=tell, proxies=proxies) or []

        self._run(Task(check, "check"), self._on_check_done, self._on_task_failed)

    @Slot(object)
    def _on_check_done(self, results: list) -> None:
        from launcher.core.connectivity import check_failure

        self._finish_task()
        if self._shut_down or self.state is not State.CHECK:  # the window closed, or Anuluj: nothing more starts
            return
        self.probe_results = list(results)
        failure = check_failure(self.probe_results)
        if failure is not None:
            self._fail(failure)
            return
        self.start_download()

    def cancel_check(self) -> None:
        """Anuluj during the connection check: it ends at once (a probe whose server holds it is not waited
        for, nor the manifest fetched beside it), and the page says it stopped as the customer asked."""
        if self.state is not State.CHECK:
            return
        self._check_stop.set()
        self._fail(LauncherError("NET-CANCELLED", "cancelled during the connection check"))

    def _fetch_manifest_ahead(self) -> None:
        """The signed manifest is fetched while the connection is checked, so that a passing check goes
        straight to the download; a failed check's is closed unused."""
        from launcher.core.fetch import ManifestAhead

        self._drop_manifest()
        fetched = self._emitter(self.manifestFetched)

        def tell(ahead: ManifestAhead) -> None:  # on the fetching thread: queued to _on_manifest_fetched
            if not fetched(ahead):
                ahead.drop()  # the window closed meanwhile: its connection is closed unused

        self._manifest_ahead = ManifestAhead(self.config, self.paths, on_answer=tell)

    @Slot(object)
    def _on_manifest_fetched(self, ahead: ManifestAhead) -> None:
        if ahead is not self._manifest_ahead:  # an earlier attempt's
            ahead.drop()
        elif self.state is State.DOWNLOAD:  # the check passed before the manifest came
            self._start_fetch(after_check=True)
        elif self.state is not State.CHECK:
            self._drop_manifest()

    def _drop_manifest(self) -> None:
        """Forget the manifest fetched ahead; its connection is closed now, or when it comes."""
        ahead, self._manifest_ahead = self._manifest_ahead, None
        if ahead is not None:
            ahead.drop()

    # ----- step 3: download and verify
    def start_download(self) -> None:
        self._cancel.set()  # an earlier attempt still running (given up at Anuluj) is given up for good
        self._cancel = Cancel()
        self._enter(State.DOWNLOAD)
        if self._manifest_ahead is None or self._manifest_ahead.done.is_set():
            self._start_fetch()
        # otherwise the manifest fetched beside the check is still on its way: _on_manifest_fetched goes on

    def _start_fetch(self, *, after_check: bool = False) -> None:
        """The download, with the manifest fetched ahead; `after_check`: that manifest came after the check
        had passed, at the download step itself."""
        from launcher.core.daemon import done_unless_stopped, on_daemon_thread
        from launcher.core.fetch import PrefetchedManifest, fetch_quicksupport

        ahead, self._manifest_ahead = self._manifest_ahead, None
        answer = ahead.take() if ahead is not None else None
        if isinstance(answer, LauncherError) and after_check:
            # the download step's own fetch failed: shown now, as a second one would only put it off by as
            # long again (a timeout); Spróbuj ponownie fetches again
            self._fail(answer)
            return
        if isinstance(answer, LauncherError):
            # fetched again, with the download: its error, if it fails again, is the download step's to show
            log.info("the manifest fetched beside the check failed (%s): fetching it again", answer.code)
        prefetched = answer if isinstance(answer, PrefetchedManifest) else None
        if prefetched is not None:
            self.manifest = prefetched.manifest  # named in the report even if the download then fails
        cancel, config, paths, downloads = self._cancel, self.config, self.paths, self._downloads
        verified, progressed = self._emitter(self.manifestVerified), self._emitter(self.downloadProgress)

        def tell(manifest: Manifest) -> None:  # on the download's thread: queued to _on_manifest_verified
            verified((cancel, manifest))

        def progress(p: Progress) -> None:  # on the download's thread
            progressed(p.done, p.total, float(p.bytes_per_s), -1.0 if p.eta_s is None else p.eta_s)

        def fetch() -> VerifiedArtifact:
            # the manifest the download goes by (fetched again there when the one beside the check failed or has
            # expired since) is named in the report, also when the download then fails. On a daemon thread,
            # given up at Anuluj or when the window closes: a server holding the manifest or the file back must
            # not make the customer wait for its read timeout, freeze the closing window in shutdown() nor keep
            # the closed program (and the lock a new start needs) up. The cancel shuts a body's read at once, so
            # the download ends on its thread within moments and removes its own partial file (a retry meanwhile
            # downloads beside it into another); one whose server still holds back its answer ends at its
            # timeout, and shutdown() removes its partial file should the program end first.
            download = on_daemon_thread(
                lambda: fetch_quicksupport(config, paths, progress=progress, cancel=cancel, prefetched=prefetched,
                                           on_manifest=tell), "fetch")
            downloads.append((cancel, download))
            if not done_unless_stopped(download, cancel):  # Anuluj, or the window closed (shutdown sets both)
                raise LauncherError("DL-CANCELLED", "cancelled while the download waited for its server")
            return download.result()

        self._run(Task(fetch, "fetch"), self._on_fetched, self._on_task_failed)

    @Slot(object)
    def _on_manifest_verified(self, attempt_and_manifest: tuple[threading.Event, Manifest]) -> None:
        attempt, manifest = attempt_and_manifest
        if attempt is self._cancel and self.state is State.DOWNLOAD:  # not an earlier attempt's
            self.manifest = manifest

    def cancel_download(self) -> None:
        self._cancel.set()
        if self.state is State.DOWNLOAD and self._manifest_ahead is not None:
            # nothing of the download has started: the manifest is still on its way
            self._fail(LauncherError("DL-CANCELLED", "cancelled while the manifest was on its way"))

    @Slot(object)
    def _on_fetched(self, verified: VerifiedArtifact) -> None:
        self._finish_task()
        self.verified = verified
        self.manifest = verified.manifest
        if self._cancel.is_set():
            self._fail(LauncherError("DL-CANCELLED"))
            return
        self.session = SessionInfo()
        self.end_reason = "customer"
        self.watch.begin(self.session)
        self._enter(State.STARTING)
        self.sessionChanged.emit(self.session)
        self._session_worker().requestStart.emit(verified, self.paths.runtime, self.config.quicksupport)

    # ----- step 4: session
    @Slot()
    def _on_session_started(self) -> None:
        log.info("QuickSupport started")

    @Slot(object)
    def _on_session_event(self, ev: TvEvent) -> None:
        s = self.session
        s.seen.append(ev.kind)
        s.note_presence(ev.kind, ev.tv_id, ev.name, ev.verdict)
        # one of two supporters leaving: the session goes on with the other (its status, question and timers)
        someone_stays = ev.kind == "left" and bool(s.present)
        self.watch.on_event(s, ev)
        if ev.kind == "unidentified":  # warn mode: someone connected whom no log wording named
            s.supporter, s.supporter_id = None, None
            s.connected_since = time.monotonic()
        if ev.kind == "id" and ev.tv_id:
            s.tv_id = ev.tv_id
        elif ev.kind == "online":
            s.online = True
        elif ev.kind == "joined":
            s.connected_since = time.monotonic()
            s.ended_by_consultant = False
        elif ev.kind in ("left", "ended") and not someone_stays:
            if s.connected_since is not None or ev.kind == "ended":
                s.ended_by_consultant = True
            s.connected_since = None
        elif (failure := _event_failure(ev)) is not None:
            if ev.kind != "exited" or self.state in (State.STARTING, State.SESSION):
                self._fail(failure)
                self._session_worker().requestStop.emit()
            return
        if self.state is State.STARTING and s.tv_id:
            self._enter(State.SESSION)
            self._limit_timer.start()
            self._idle_timer.start()
        if ev.kind == "joined":
            self._idle_timer.stop()
            self._hide_idle_prompt()
        elif ev.kind in ("left", "ended") and self.state is State.SESSION and not someone_stays:
            self._idle_timer.start()
        self.sessionChanged.emit(s)

    @Slot(str)
    def _on_password(self, value: str) -> None:
        from launcher.core.applog import register_secret

        register_secret(value)  # the log filter redacts it should anything ever try to log it
        self._password = value
        self.passwordChanged.emit(value)

    @Slot(object, object)
    def _on_password_status(self, status, try_until) -> None:
        """How reading the password goes (credentials.PasswordStatus): shown under the password box."""
        if not self.session_active:
            return
        self.session.password_status = status
        self.session.password_try_until = try_until
        self.sessionChanged.emit(self.session)

    def show_quicksupport(self) -> None:
        """Bring QuickSupport's own window forward (to read the password off it)."""
        if self.state is State.SESSION:
            self._session_worker().requestFront.emit()

    def disconnect_session(self, reason: str = "customer") -> None:
        if self.state not in (State.STARTING, State.SESSION):
            return
        self.end_reason = reason
        self._stop_session_timers()
        self.session.stopping = True
        self._enter(State.STOPPING)
        self.sessionChanged.emit(self.session)
        self._session_worker().requestStop.emit()

    # ----- session limits: a forgotten session never stays open
    @Slot()
    def _on_session_limit(self) -> None:
        log.info("session time limit reached: disconnecting")
        self.disconnect_session("limit")

    @Slot()
    def _on_idle(self) -> None:
        if self.state is State.SESSION and self.session.connected_since is None:
            self.idlePromptChanged.emit(True)
            self._answer_timer.start()

    @Slot()
    def _on_idle_unanswered(self) -> None:
        log.info("nobody answered 'are you still there?': disconnecting")
        self.disconnect_session("idle")

    def still_here(self) -> None:
        self._hide_idle_prompt()
        if self.state is State.SESSION and self.session.connected_since is None:
            self._idle_timer.start()

    def _hide_idle_prompt(self) -> None:
        if self._answer_timer.isActive():
            self._answer_timer.stop()
        self.idlePromptChanged.emit(False)

    def _stop_session_timers(self) -> None:
        for timer in (self._limit_timer, self._idle_timer):
            timer.stop()
        self._hide_idle_prompt()
        self.watch.stop_asking()

    def close_requested(self) -> bool:
        """Window close: True if it may close now; else a disconnect is under way and it closes after."""
        if self.state in (State.STARTING, State.SESSION, State.STOPPING):
            self._close_after_stop = True
            self.disconnect_session()
            return False
        if self.state is State.DOWNLOAD:
            self.cancel_download()
        return True

    @property
    def close_pending(self) -> bool:
        return self._close_after_stop

    @Slot()
    def _on_session_stopped(self) -> None:
        from launcher.core.applog import current_secrets

        if self.state not in (State.STARTING, State.SESSION, State.STOPPING, State.ERROR):
            # the answer to a stop asked for a second time (Spróbuj ponownie while the first was under way): the
            # retry the first answer started is a new attempt, whose page and session record stay as they are
            log.info("QuickSupport reported stopped again in state %s: nothing to do", self.state.value)
            return
        # the receipt before the password is forgotten: it is redacted from the receipt too
        self.watch.finish(self.session, self._ended_by(), [self._password, *current_secrets()])
        self.sessionChanged.emit(self.session)
        self._wipe_password()
        if self.state is State.ERROR:
            if self._retry_after_stop:
                self._retry_after_stop = False
                self.retry()
            return  # the error page is already showing; QuickSupport is now down too
        self._enter(State.ENDED)

    def _ended_by(self) -> str:
        """How the session ended, for the receipt (launcher.core.activity.END_REASONS)."""
        if self.state is not State.ERROR:
            return self.end_reason
        code = self.error.code if self.error else ""
        return {"SEC-UNKNOWN-SUPPORTER": "refused", "QS-EXITED": "exited", "QS-DISK-FULL": "disk-full"}.get(code,
                                                                                                       "error")

    def confirm_still_helping(self) -> None:
        """Tak on "Czy konsultant nadal Ci pomaga?"."""
        if self.state is State.SESSION:
            self.watch.confirmed()

    @Slot()
    def _on_confirm_unanswered(self) -> None:
        self.disconnect_session("unanswered")

    @Slot(object)
    def _on_session_failed(self, exc: LauncherError) -> None:
        if exc.code != "QS-KILL":
            self._wipe_password()
        self._fail(exc)

    def _wipe_password(self) -> None:
        self._password = ""
        self.passwordChanged.emit("")

    # ----- errors and retry
    def retry(self) -> None:
        if self.state is not State.ERROR:
            return
        if self.error is not None and not self.error.spec.retry:
            log.warning("no retry after %s", self.error.code)  # the page offers none either
            return
        if self._worker.active:
            # QuickSupport is still there (being stopped, or it survived a stop): end it first
            self._retry_after_stop = True
            self._session_worker().requestStop.emit()
            return
        if self.consent is None:
            self._enter(State.TERMS)
        else:
            self.start_check()

    @Slot(str)
    def on_unexpected_error(self, detail: str) -> None:
        """An exception no code expected (a bug; launcher.ui.unexpected_errors): APP-INTERNAL, and whatever was
        under way ends, as nothing may go on behind an error page: a download is given up, a QuickSupport that
        runs or starts is ended (its receipt says "error") and its password forgotten. An error page already
        showing stays (the first error is the one to report)."""
        if self._shut_down:
            return
        self._check_stop.set()  # a check under way ends now, its probes not left to their timeout
        self._cancel.set()
        end_quicksupport = self.session_active or self._worker.active
        if self.state is not State.ERROR:
            self._fail(LauncherError("APP-INTERNAL", detail))
        if end_quicksupport:
            self._wipe_password()
            self._session_worker().requestStop.emit()

    @Slot(object)
    def _on_task_failed(self, exc: LauncherError) -> None:
        self._finish_task()
        self._fail(exc)

    def diagnostic_report(self) -> str:
        from launcher.core import diagnostics
        from launcher.core.applog import tail

        err = self.error
        v = self.verified
        return diagnostics.build_report(
            app_version=__version__,
            step=self.state.value,
            error_code=err.code if err else None,
            error_detail=err.detail if err else "",
            probe_results=self.probe_results,
            proxy=self.config.download.proxy,
            manifest_serial=self.manifest.serial if self.manifest else None,
            artifact_sha256=v.artifact.sha256 if v else "",
            log_tail=tail(self.paths.logs),
            config_source=self.config.source,
            changed_keys=self.config.changed_keys,
            secrets=[self._password] if self._password else [],
            unsaved_receipt=self.watch.receipt_text if self.watch.receipt_error is not None else "",
        )

    # ----- tasks
    def _run(self, task: Task, on_ok, on_fail) -> None:
        self._tasks.add(task)
        task.signals.succeeded.connect(on_ok)
        task.signals.failed.connect(on_fail)
        start_task(task)

    def _emitter(self, signal: SignalInstance) -> Callable[..., bool]:
        """`signal.emit` for a thread that may outlive the controller (a probe, a download given up when the
        window closed): after shutdown() it emits nothing. True when it emitted."""
        closing, gate = self._closing, self._tell_gate

        def emit(*args: object) -> bool:
            with gate:
                if closing.is_set():  # the window closed: nobody to tell, and the controller may be going
                    return False
                try:
                    signal.emit(*args)
                except RuntimeError:  # deleted all the same: nobody to tell
                    return False
                return True

        return emit

    def _finish_task(self) -> None:
        sender = self.sender()
        self._tasks = {t for t in self._tasks if t.signals is not sender}

    def shutdown(self) -> None:
        """Stop the session thread; any QuickSupport still up is ended synchronously. Background tasks are
        cancelled and waited for: none may outlive the controller, or the last reference to it (held by a
        task's function) would be dropped, and the controller's Qt objects destroyed, in a worker thread.
        A download given up is waited for up to cancel.EXIT_WAIT_S; one not over by then has its partial
        file removed here (the program is ending: nothing is left in the cache but verified files)."""
        self._shut_down = True
        with self._tell_gate:  # an emit under way on a probe's thread ends first; none starts after
            self._closing.set()
        self._check_stop.set()
        self._cancel.set()
        self._drop_manifest()
        QThreadPool.globalInstance().waitForDone(10_000)
        # the downloads given up (this attempt's, and earlier ones Anuluj left ending) end within moments now
        # that their reads are shut; one still waiting for its server's answer is not waited for past a bound:
        # its partial file is removed here, as the program that created it ends
        end_at_exit(self._downloads)
        if self._thread is not None:
            self._thread.quit()
            # the worker finishes what it is doing first (starting or ending QuickSupport: an unpack a virus
            # scanner slows, a stop whose processes end slowly), which has bounds of its own well inside this
            if not self._thread.wait(WORKER_EXIT_WAIT_MS):
                log.error("the QuickSupport thread did not end: leaving the rest to the watchdog and the OS")
        self._worker.stop_now()
