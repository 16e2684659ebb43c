"""The one window: step indicator and banners on top, the current page, the hotline at the bottom."""

from __future__ import annotations

import logging
import time
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QSize, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from launcher.core.errors import LauncherError
from launcher.ui.controller import STEP_COUNT, Controller, State
from launcher.ui.focus_guard import rescue_focus
from launcher.ui.pages.base import LinkButton, Page, name_widget, plain_label
from launcher.ui.pages.terms_page import TermsPage
from launcher.ui.screens import screen_of
from launcher.ui.unbroken import keep_numbers_whole

if TYPE_CHECKING:
    from PySide6.QtGui import QCloseEvent, QKeyEvent, QPaintEvent

    from launcher.config import HotlineConfig
    from launcher.ui.compact_panel import CompactPanel
    from launcher.ui.hotkey import DisconnectHotkey
    from launcher.ui.pages.check_page import CheckPage
    from launcher.ui.pages.download_page import DownloadPage
    from launcher.ui.pages.ended_page import EndedPage
    from launcher.ui.pages.error_page import ErrorPage
    from launcher.ui.pages.session_page import SessionPage
    from launcher.ui.startup_imports import ImportsInTurn
    from launcher.ui.tasks import Task

log = logging.getLogger(__name__)


def _hotline_sentence(hotline: HotlineConfig, language: str) -> str:
    """Open now or when it opens, in `language` (runs on the thread pool: it loads the holiday calendar)."""
    from launcher.core.hotline import describe_status, hotline_status

    return describe_status(hotline_status(hotline), language)


# What the steps after the Regulamin run: the connection check, the signed download, QuickSupport's start
# (loaded while the customer reads the Regulamin, so that "Dalej" starts the check at once instead of loading
# requests, PyNaCl and the rest first).
SESSION_CODE = ("launcher.core.connectivity", "launcher.core.fetch", "launcher.core.quicksupport.session")


_PAGE_OF_STATE = {
    State.TERMS: "terms",
    State.CHECK: "check",
    State.DOWNLOAD: "download",
    State.STARTING: "session",
    State.SESSION: "session",
    State.STOPPING: "session",
    State.ENDED: "ended",
    State.ERROR: "error",
}


class PageFrame(QScrollArea):
    """A page's scroll area: scrolls down where the screen is short, never sideways. Its minimum width is
    the page's (long texts wrap, so that is its widest word or control), so the window's comes from it."""

    def __init__(self, page: QWidget) -> None:
        super().__init__()
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        # Tab goes to the page's controls, never to the scroll area itself: it draws no focus ring, so a
        # customer pressing Tab saw nothing happen. Tabbing to a control still scrolls it into view.
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setWidget(page)
        self._page = page
        if getattr(page, "steady_width", False):
            # the scroll bar's room is kept while it is hidden (CSS's `scrollbar-gutter: stable`): a bar
            # that came with a question or a longer list narrowed the page, and the password moved sideways
            self.verticalScrollBar().rangeChanged.connect(self._keep_gutter)
            self._keep_gutter()

    @Slot()
    def _keep_gutter(self) -> None:
        bar = self.verticalScrollBar()
        gutter = 0 if bar.maximum() > bar.minimum() else bar.sizeHint().width()
        if self.viewportMargins().right() != gutter:
            self.setViewportMargins(0, 0, gutter, 0)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt API
        """A page that can give up optional parts on a short screen (SessionPage.fit_height) is told the
        height its view has without a scroll bar: whether it fits there decides whether it must scroll."""
        super().resizeEvent(event)
        fit = getattr(self._page, "fit_height", None)
        if fit is not None:
            fit(self.maximumViewportSize().height())

    _wheel_at = None  # where the pointer was when the wheel last scrolled the page (its global position)

    def wheelEvent(self, event) -> None:  # noqa: N802 - Qt API
        bar = self.verticalScrollBar()
        before = bar.value()
        super().wheelEvent(event)
        self._wheel_at = event.globalPosition() if bar.value() != before else None

    def wheel_holds(self, event) -> bool:
        """True while the wheel that last scrolled the page goes on (the pointer has not moved since) and the
        page can still go that way: a text box on the page coming under the pointer leaves it to the page
        (pages/base.py, _LowHint.wheelEvent)."""
        if self._wheel_at is None or event.globalPosition() != self._wheel_at:
            return False
        bar, delta = self.verticalScrollBar(), event.angleDelta().y()
        return (delta < 0 and bar.value() < bar.maximum()) or (delta > 0 and bar.value() > bar.minimum())

    def minimumSizeHint(self):  # noqa: N802 - Qt API
        """Read live each time the window's layout asks (a page switch, a resize): no event filter, which
        Qt could call while this frame is being destroyed."""
        hint = super().minimumSizeHint()
        hint.setWidth(self._page.minimumSizeHint().width() + self.verticalScrollBar().sizeHint().width())
        return hint


class _Central(QWidget):
    """The window's inside: never smaller than MainWindow.MINIMUM_SIZE (nor than its content's narrowest layout)."""

    def minimumSizeHint(self):  # noqa: N802 - Qt API
        return super().minimumSizeHint().expandedTo(QSize(*MainWindow.MINIMUM_SIZE))


class MainWindow(QMainWindow):
    # Emitted once, right after the first paint: what the first window does not need waits for it.
    firstPainted = Signal()
    first_painted_at: float | None = None  # time.time() of that paint
    startup_finished = False  # every page built, the hotline hours shown, the session code loaded (finish_startup)
    _startup_begun = False
    FIRST_PAINT_FALLBACK_MS = 3000  # a window never painted (started minimised, hidden) still starts up
    DEFAULT_SIZE = (860, 640)
    # The smallest the customer can drag it to (logical px, the frame not included). Measured on the real
    # pages (tests/support/focus_walk.py minimum): the step indicator, the DEMO banner and the hotline footer
    # whole, every page's pinned main button whole, and the error code in view (it went down to 390x250,
    # Dalej a clipped sliver). 512 px wide, not less: the hotline footer beside „Co zaakceptowałem(-am)?”
    # wraps to four lines at 480 px and took the error code's room. With a frame it fits the smallest
    # supported screen, 533x360 (800x600 at 150 %).
    MINIMUM_SIZE = (512, 320)
    # What the window manager's frame (title bar, borders) may take, before it is known: the window is
    # put fully on screen again once it is (fit_to_screen).
    FRAME_ALLOWANCE = (16, 48)

    def __init__(self, controller: Controller, *, demo: bool = False) -> None:
        super().__init__()
        self.controller = controller
        self.report_dir: Path | None = None  # None: the Desktop (tests point it elsewhere)
        config = controller.config
        # Qt adds the application's name (APP_NAME, the display name) to every title itself: a title says
        # only where the customer is (see _show_title), never the app's name a second time.
        self._demo = demo
        # The minimum size comes from the content (every page's narrowest layout, see PageFrame); the
        # default size is DEFAULT_SIZE where the screen has room for it with the window manager's frame.
        self.resize(*self.DEFAULT_SIZE)
        screen = QApplication.primaryScreen()
        if screen is not None:
            area = screen.availableGeometry()
            self.resize(min(self.DEFAULT_SIZE[0], area.width() - self.FRAME_ALLOWANCE[0]),
                        min(self.DEFAULT_SIZE[1], area.height() - self.FRAME_ALLOWANCE[1]))

        central = _Central()
        central.setObjectName("central")  # holds the focus between pages (see _focus_page); Tab skips it
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)

        self.step_indicator = name_widget(plain_label(), "stepIndicator", self.tr("Krok"))
        self.step_indicator.setWordWrap(True)  # "Krok 2 z 5: Sprawdzanie połączenia" on a 400 px wide screen
        layout.addWidget(self.step_indicator)
        if demo:
            banner = QLabel(self.tr("TRYB DEMONSTRACYJNY (DEMO): nic nie jest pobierane z internetu, "
                                    "a TeamViewer jest zastąpiony programem pokazowym."))
            banner.setObjectName("demoBanner")
            banner.setWordWrap(True)
            layout.addWidget(banner)
        self.non_standard_banner = name_widget(
            plain_label(self.tr("Niestandardowa konfiguracja programu: {keys}").format(
                keys=", ".join(config.non_standard_keys))),
            "nonStandardBanner",
            self.tr("Niestandardowa konfiguracja"),
        )
        self.non_standard_banner.setWordWrap(True)
        # In --demo the purple DEMO banner already says that nothing here is the real service.
        self.non_standard_banner.setVisible(config.non_standard and not demo)
        layout.addWidget(self.non_standard_banner)

        self.stack = QStackedWidget()
        # Only the first page is built before the window is painted; the others follow right after the
        # first paint (`finish_startup`) or the moment they are needed, whichever comes first.
        self._built: dict[str, Page] = {}
        self._frames: dict[QWidget, QWidget] = {}
        self._pages: dict[QWidget, QWidget] = {}
        self._compact_panel: CompactPanel | None = None
        self._hotkey: DisconnectHotkey | None = None
        self.terms_page = self._install("terms", TermsPage(
            controller.regulamin, config.hotline.phone,
            binding=controller.binding_regulamin if controller.regulamin.is_translation else None))
        self.terms_page.accepted.connect(self._on_terms_accepted)
        layout.addWidget(self.stack, 1)

        self.footer = name_widget(plain_label(), "hotlineFooter", self.tr("Infolinia"))
        self.footer.setWordWrap(True)
        footer_row = QHBoxLayout()
        footer_row.setContentsMargins(8, 0, 8, 4)
        footer_row.addWidget(self.footer, 1)
        self.consent_button = name_widget(LinkButton(self.tr("Co zaakceptowałem(-am)?")), "consentButton",
                                          self.tr("Pokaż zaakceptowany Regulamin"))
        self.consent_button.clicked.connect(self._show_consent)
        footer_row.addWidget(self.consent_button)
        layout.addLayout(footer_row)
        self._hotline_task: Task | None = None
        # after the first paint, one after the other: the calendar package, the hotline's answer, the session code
        self._calendar_loader: ImportsInTurn | None = None
        self._code_loader: ImportsInTurn | None = None
        self._hotline_timer = QTimer(self)
        self._hotline_timer.setInterval(60_000)
        self._hotline_timer.timeout.connect(self._refresh_hotline)
        self._hotline_timer.start()
        self._set_footer(self.tr("Infolinia techniczna Overmax: {phone}").format(phone=config.hotline.phone))
        self.setCentralWidget(central)

        controller.stateChanged.connect(self._on_state)
        controller.errorRaised.connect(self._on_error)
        QTimer.singleShot(self.FIRST_PAINT_FALLBACK_MS, self._startup_without_paint)
        self._on_state(controller.state)


    # ----- pages, built on first use
    def _install(self, key: str, page: Page) -> Page:
        """Put a page into the stack; a page taller than a small screen at 150 % scaling scrolls (down only:
        the window is never narrower than the page's narrowest layout)."""
        frame = PageFrame(page)
        holder: QWidget = frame
        if page.fixed_footer is not None:
            holder = QWidget()
            column = QVBoxLayout(holder)
            column.setContentsMargins(0, 0, 0, 0)
            column.setSpacing(0)
            column.addWidget(frame, 1)
            column.addWidget(page.fixed_footer)
        self._frames[page] = holder
        self._pages[holder] = page
        self.stack.addWidget(holder)
        self._built[key] = page
        return page

    def _page(self, key: str) -> Page:
        page = self._built.get(key)
        if page is None:
            page = self._install(key, getattr(self, f"_build_{key}")())
        return page

    def _build_check(self) -> CheckPage:
        from launcher.ui.pages.check_page import CheckPage

        page = CheckPage(self.controller.language)
        page.cancelRequested.connect(self._on_cancel_check)
        self.controller.probeResult.connect(page.show_result)
        return page

    def _build_download(self) -> DownloadPage:
        from launcher.ui.pages.download_page import DownloadPage

        page = DownloadPage(self.controller.language)
        page.cancelRequested.connect(self._on_cancel)
        self.controller.downloadProgress.connect(page.show_progress)
        return page

    def _build_session(self) -> SessionPage:
        from launcher.ui.pages.session_page import SessionPage

        c = self.controller
        page = SessionPage(c.config.hotline.phone, c.language)
        page.disconnectRequested.connect(self._on_disconnect)
        page.stillHereConfirmed.connect(self._on_still_here)
        page.stillHelpingConfirmed.connect(self._on_still_helping)
        c.confirmPromptChanged.connect(page.confirm_prompt.show_prompt)
        c.confirmPromptChanged.connect(self._on_idle_prompt)
        page.showQuickSupportRequested.connect(self._on_show_quicksupport)
        c.sessionChanged.connect(page.show_session)
        c.sessionChanged.connect(self._on_session_changed)
        c.idlePromptChanged.connect(page.show_idle_prompt)
        c.idlePromptChanged.connect(self._on_idle_prompt)
        c.passwordChanged.connect(page.set_password)
        return page

    def _build_ended(self) -> EndedPage:
        from launcher.ui.pages.ended_page import EndedPage

        page = EndedPage(self.controller.language)
        page.closeRequested.connect(self.close)
        return page

    def _build_error(self) -> ErrorPage:
        from launcher.ui.pages.error_page import ErrorPage

        page = ErrorPage(self.controller.language)
        page.retryRequested.connect(self._on_retry)
        page.copyReportRequested.connect(self._on_copy_report)
        page.saveReportRequested.connect(self._on_save_report)
        page.closeRequested.connect(self.close)
        return page

    @property
    def check_page(self) -> CheckPage:
        return self._page("check")

    @property
    def download_page(self) -> DownloadPage:
        return self._page("download")

    @property
    def session_page(self) -> SessionPage:
        return self._page("session")

    @property
    def ended_page(self) -> EndedPage:
        return self._page("ended")

    @property
    def error_page(self) -> ErrorPage:
        return self._page("error")

    @property
    def compact_panel(self) -> CompactPanel:
        if self._compact_panel is None:
            from launcher.ui.compact_panel import CompactPanel

            panel = CompactPanel()
            panel.avoid = self
            panel.disconnectRequested.connect(self._on_disconnect)
            panel.restoreRequested.connect(self.bring_forward)
            panel.stillHelpingConfirmed.connect(self._on_still_helping)
            self.controller.sessionChanged.connect(panel.show_session)
            # the page's question, shown here too: one state, so an answer in either place clears both
            self.controller.confirmPromptChanged.connect(panel.show_confirm_prompt)
            panel.show_confirm_prompt(self.controller.watch.asking)
            self._compact_panel = panel
        return self._compact_panel

    @property
    def hotkey(self) -> DisconnectHotkey:
        if self._hotkey is None:
            from launcher.ui.hotkey import DisconnectHotkey

            self._hotkey = DisconnectHotkey([self, self.compact_panel])
            self._hotkey.triggered.connect(self._on_disconnect)
        return self._hotkey

    PAGE_KEYS = ("terms", "check", "download", "session", "ended", "error")
    # Built right after the first paint: the pages every session passes. The ended and error pages are
    # built when first shown (most sessions never need them).
    EAGER_PAGE_KEYS = ("terms", "check", "download", "session")

    def build_all_pages(self) -> None:
        """Every page, the compact panel and the hotkey exist after this (the self-test paints them all)."""
        for key in self.PAGE_KEYS:
            self._page(key)
        self.hotkey  # noqa: B018 - builds the compact panel too

    @Slot()
    def _after_first_paint(self) -> None:
        if self._startup_begun:
            return
        self._startup_begun = True
        self.firstPainted.emit()  # opens the log file, among others
        log.info("first window painted" if self.first_painted_at else "window not painted yet: started anyway")
        self.finish_startup()

    @Slot()
    def _startup_without_paint(self) -> None:
        if not self._startup_begun:
            self._after_first_paint()

    @Slot()
    def finish_startup(self) -> None:
        """Right after the first paint: the other pages of a session, one per turn of the event loop so the
        window stays responsive, then the hotline hours, then the session code (see _startup_done)."""
        missing = [key for key in self.EAGER_PAGE_KEYS if key not in self._built]
        if missing:
            self._page(missing[0])
            QTimer.singleShot(0, self.finish_startup)
            return
        self.hotkey  # noqa: B018
        from launcher.ui.startup_imports import release_source_lines

        release_source_lines()  # what the pages brought, before the calendar brings more
        self._refresh_hotline()  # then _startup_done
        self.fit_to_screen()

    def fit_to_screen(self) -> None:
        """Frame included, the whole window inside the screen's available area (the window manager's frame
        is known only once the window is on screen): smaller and moved in where it is not."""
        screen = screen_of(self)  # never self.screen(): see launcher/ui/screens.py
        if screen is None or not self.isVisible() or self.isMaximized() or self.isFullScreen():
            return
        area, frame, inner = screen.availableGeometry(), self.frameGeometry(), self.geometry()
        if area.contains(frame):
            return
        extra_w, extra_h = frame.width() - inner.width(), frame.height() - inner.height()
        self.resize(min(inner.width(), area.width() - extra_w), min(inner.height(), area.height() - extra_h))
        frame = self.frameGeometry()
        x = min(max(frame.left(), area.left()), area.right() + 1 - frame.width())
        y = min(max(frame.top(), area.top()), area.bottom() + 1 - frame.height())
        self.move(x, y)

    @Slot()
    def _show_consent(self) -> None:
        from launcher.core.terms import last_consent
        from launcher.ui.consent_dialog import ConsentDialog

        c = self.controller
        record = c.consent or last_consent(c.paths.consent_file)
        # the text that was accepted: the translation or the binding Polish text, by its sha256
        shown = c.binding_regulamin if record and record.get("regulamin_sha256") == c.binding_regulamin.sha256 \
            else c.regulamin
        ConsentDialog(record, shown, self).exec()

    @Slot()
    def _refresh_hotline(self) -> None:
        """Is anyone there to answer? Remote help works either way, but the customer should know. The
        holiday calendar is asked on the thread pool: loading it must not freeze the window."""
        from launcher.ui.tasks import Task, start_task

        hotline = self.controller.config.hotline
        if self.controller.session_active:
            # A consultant is already on it: "the hotline is closed" would read as "nobody is helping you".
            self._set_footer(self.tr("Infolinia techniczna Overmax: {phone}").format(phone=hotline.phone))
            self._startup_done()
            return
        if self._hotline_task is not None:
            return  # the previous answer is still on its way
        if self._calendar_loader is None:  # the first time: the calendar's package first, then its answer
            from launcher.core.hotline import CALENDAR_PACKAGE
            from launcher.ui.startup_imports import ImportsInTurn

            self._calendar_loader = ImportsInTurn([CALENDAR_PACKAGE], "load calendar", self)
            self._calendar_loader.finished.connect(self._refresh_hotline)
            self._calendar_loader.start()
            return
        if not self._calendar_loader.done:
            return  # asked once the package is in
        hotline, language = self.controller.config.hotline, self.controller.language
        task = Task(partial(_hotline_sentence, hotline, language), "hotline")
        task.signals.succeeded.connect(self._show_hotline)
        task.signals.failed.connect(self._hotline_unavailable)
        self._hotline_task = start_task(task)

    @Slot(object)
    def _show_hotline(self, status: str) -> None:
        self._hotline_task = None
        if self.controller.session_active:  # a session began while the calendar was asked
            self._refresh_hotline()
            return
        self._set_footer(self.tr("Infolinia techniczna Overmax: {phone}. {status}").format(
            phone=self.controller.config.hotline.phone, status=status))
        self._startup_done()

    def _set_footer(self, text: str) -> None:
        """The footer reads `text`, its phone number never broken over two lines (see launcher/ui/unbroken.py)."""
        self.footer.setText(keep_numbers_whole(text))

    def _startup_done(self) -> None:
        """Every page built and the hotline's answer shown: the first time, the session code loads next.

        One load after the other, not side by side: under one interpreter lock two imports at once finish
        no sooner, and with both at once the peak memory at the session page of a source install varied from
        run to run by up to 10 MiB (with PySide6's source reading, see launcher/ui/startup_imports.py), one after the
        other it does not. The calendar goes first: the footer shows its answer sooner, and Dalej is clicked
        only after reading the Regulamin."""
        if self._code_loader is not None:
            return  # started already: startup_finished once it is loaded
        from launcher.ui.startup_imports import ImportsInTurn, release_source_lines

        release_source_lines()  # what Poland's holidays brought (the package's some 280 country modules)
        self._code_loader = ImportsInTurn(SESSION_CODE, "load session code", self)
        self._code_loader.finished.connect(self._session_code_loaded)
        self._code_loader.start()

    @Slot()
    def _session_code_loaded(self) -> None:
        self.startup_finished = True

    @Slot(object)
    def _hotline_unavailable(self, error: LauncherError) -> None:
        """A calendar problem must never break the window: show the configured hours instead."""
        log.warning("hotline status unavailable: %s", error)
        self._show_hotline(self.controller.config.hotline.hours)

    # ----- controller -> view
    @Slot(object)
    def _on_state(self, state: State) -> None:
        c = self.controller
        if state is State.CHECK:
            from launcher.core.connectivity import planned_checks

            self.check_page.reset(planned_checks(c.config.connectivity))
        elif state is State.DOWNLOAD:
            self.download_page.reset()
        elif state is State.STARTING:
            self.session_page.reset()
            self.compact_panel.reset()
        elif state is State.STOPPING:
            self.session_page.set_stopping()
            self.compact_panel.set_stopping()
        elif state is State.ENDED:
            self.ended_page.show_reason(c.end_reason, c.config.session.max_minutes)
            self.ended_page.receipt.show_receipt(c.watch.receipt_text, c.watch.receipt_path, c.watch.receipt_error)
        if state in (State.TERMS, State.SESSION, State.ENDED) and "error" in self._built:
            self.error_page.reset_attempts()  # got past the error: a later one is a first attempt again
        if state in (State.STARTING, State.SESSION):
            self.hotkey.enable()
        elif self._hotkey is not None:
            self._hotkey.disable()
        if state is State.SESSION:
            self.compact_panel.show()
        elif state not in (State.STARTING, State.STOPPING) and self._compact_panel is not None:
            self._compact_panel.hide()
        page = self._page(_PAGE_OF_STATE[state])
        self.stack.setCurrentWidget(self._frames[page])
        self._focus_page(page)
        names = {1: self.tr("Regulamin"), 2: self.tr("Sprawdzanie połączenia"), 3: self.tr("Pobieranie"),
                 4: self.tr("Pomoc zdalna"), 5: self.tr("Zakończenie")}
        step = c.step
        self.step_indicator.setText(
            self.tr("Krok {n} z {total}: {name}").format(n=step, total=STEP_COUNT, name=names[step])
        )
        self._step_title = names[step] if state is not State.ERROR else self.tr("Wystąpił problem")
        self._show_title()
        if self.startup_finished:
            self._refresh_hotline()  # the footer's wording depends on whether a session is on
        if state is State.ENDED and c.close_pending:
            self.close()  # the customer closed the window during the session; it is over now

    _step_title = ""

    _focused_page: Page | None = None  # the page _focus_page last put the focus on

    def _focus_page(self, page: Page) -> None:
        """A new page: the keyboard focus goes to its primary button (Enter presses it anyway: the focus ring
        and Enter agree), or where it has none (the session page: nothing may end a session by a stray key),
        to the window itself, so no control of a page no longer shown (or the footer's) keeps a focus ring;
        the next Tab starts the page. The same page again (STARTING, then SESSION) keeps the focus where it
        is. Whatever the stack moved the focus to when it changed pages (the new page's first control: the
        error page's „Kopiuj raport” while Enter pressed „Spróbuj ponownie”) does not count."""
        focused = QApplication.focusWidget()
        if page is self._focused_page and focused is not None and page.isAncestorOf(focused):
            return
        self._focused_page = page
        button = page.primary_button
        if button is not None and button.isEnabled():
            button.setFocus()
        else:
            self.centralWidget().setFocus()

    def focusNextPrevChild(self, next: bool) -> bool:  # noqa: N802, A002 - Qt API
        """Tab from the window itself (where _focus_page left the focus) goes to the page's first control
        (Shift+Tab: its last), not to whatever comes next in the order the widgets were built (the
        footer's button, built before every page but the first)."""
        if rescue_focus(self, self._safe_focus(), self.centralWidget()):
            return True  # not a Tab: Qt moving the focus off a control hidden or disabled (focus_guard.py)
        focused = QApplication.focusWidget()
        if focused is None or focused is self.centralWidget():
            holder = self.stack.currentWidget()
            stops = [w for w in holder.findChildren(QWidget)
                     if w.isVisible() and w.isEnabled() and w.focusPolicy() & Qt.FocusPolicy.TabFocus]
            if stops:
                chain = self._in_focus_order(stops)
                (chain[0] if next else chain[-1]).setFocus(
                    Qt.FocusReason.TabFocusReason if next else Qt.FocusReason.BacktabFocusReason)
                return True
        return super().focusNextPrevChild(next)

    def _in_focus_order(self, widgets: list[QWidget]) -> list[QWidget]:
        """`widgets` in the window's Tab order."""
        wanted, ordered = set(widgets), []
        widget = self.centralWidget().nextInFocusChain()
        while widget is not self.centralWidget() and len(ordered) < len(wanted):
            if widget in wanted:
                ordered.append(widget)
            widget = widget.nextInFocusChain()
        return ordered or widgets

    def _show_title(self) -> None:
        """The title (the taskbar's text): during a session the session's state, as the panel says it;
        else the step. Qt appends the app's name."""
        if self.controller.session_active:
            from launcher.ui.session_state import describe

            title = describe(self.controller.session).title
        else:
            title = self._step_title
        self.setWindowTitle(self.tr("DEMO: {title}").format(title=title) if self._demo else title)

    @Slot(object)
    def _on_session_changed(self, _info: object) -> None:
        self._show_title()
        c = self.controller
        watch = c.watch
        if c.state is State.ERROR and "error" in self._built and (watch.receipt_path or watch.receipt_error):
            # the session this error ended: its receipt, or why it could not be written
            self.error_page.show_receipt(watch.receipt_path, watch.receipt_error)

    @Slot(object)
    def _on_error(self, exc: LauncherError) -> None:
        self.error_page.show_error(exc)
        if exc.code == "SEC-UNKNOWN-SUPPORTER":
            # who was cut off: the session's last refusal (its name and ID, as TeamViewer's log gave them)
            refused = [e for e in self.controller.session.activity.entries if e.kind == "refused"]
            if refused:
                self.error_page.show_supporter(refused[-1].name, refused[-1].tv_id)

    # ----- view -> controller
    @Slot(bool, bool)
    def _on_terms_accepted(self, accepted: bool, confirmed: bool) -> None:
        self.controller.accept_terms(accepted, confirmed, shown=self.terms_page.shown())

    @Slot()
    def _on_cancel(self) -> None:
        self.controller.cancel_download()

    @Slot()
    def _on_cancel_check(self) -> None:
        self.controller.cancel_check()

    @Slot()
    def _on_disconnect(self) -> None:
        self.controller.disconnect_session()

    @Slot()
    def _on_show_quicksupport(self) -> None:
        self.controller.show_quicksupport()

    @Slot()
    def _on_still_here(self) -> None:
        self.controller.still_here()

    @Slot()
    def _on_still_helping(self) -> None:
        self.controller.confirm_still_helping()

    @Slot(bool)
    def _on_idle_prompt(self, visible: bool) -> None:
        if visible:
            self.bring_forward()

    @Slot()
    def _on_retry(self) -> None:
        self.controller.retry()

    @Slot()
    def _on_copy_report(self) -> None:
        QApplication.clipboard().setText(self.controller.diagnostic_report())
        self.error_page.mark_copied()

    def current_page(self) -> QWidget:
        return self._pages[self.stack.currentWidget()]

    @Slot()
    def bring_forward(self) -> None:
        """Show this window in front (a second start, the compact panel, the "are you still there?")."""
        self.showNormal()
        self.raise_()
        self.activateWindow()

    @Slot()
    def on_second_start(self) -> None:
        """Somebody started the launcher again: this one comes forward instead of a second one."""
        log.info("another start of the launcher: this window comes forward")
        self.bring_forward()

    @Slot()
    def _on_save_report(self) -> None:
        from launcher.core.diagnostics import save_report, save_report_where_it_can_go

        text = self.controller.diagnostic_report()
        try:
            path = save_report(text, self.report_dir) if self.report_dir else save_report_where_it_can_go(text)
        except LauncherError as exc:
            self.error_page.copied.setText(f"{exc.code}: {exc.spec.what(self.controller.language)}")
            return
        self.error_page.mark_saved(str(path))

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        super().paintEvent(event)
        if self.first_painted_at is None:
            self.first_painted_at = time.time()
            QTimer.singleShot(0, self._after_first_paint)

    def moveEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().moveEvent(event)
        self._keep_panel_clear()

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self._keep_panel_clear()

    def _keep_panel_clear(self) -> None:
        """The compact panel, placed clear of this window when it appeared, moves where this window has since
        come under it (CompactPanel.keep_clear); after the event, when the window's frame says where it is."""
        if self._compact_panel is not None and self._compact_panel.isVisible():
            QTimer.singleShot(0, self._compact_panel.keep_clear)

    def _safe_focus(self) -> QWidget | None:
        page = self._pages.get(self.stack.currentWidget())
        return page.safe_focus() if page is not None else None

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.WindowActivate:
            # before Qt gives the focus back: a control hidden while the window was inactive still holds it,
            # and Qt would move on from it to the next one (see launcher/ui/focus_guard.py)
            rescue_focus(self, self._safe_focus(), self.centralWidget())
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        """Enter presses the page's primary button (never Rozłącz); Esc does nothing to a session."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            button = getattr(self.current_page(), "primary_button", None)
            if button is not None and button.isEnabled() and button.isVisible():
                button.click()
                return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt API
        if self.controller.close_requested():
            if self._compact_panel is not None:
                self._compact_panel.close()
            event.accept()
        else:
            log.info("close requested during a session: disconnecting first")
            event.ignore()
