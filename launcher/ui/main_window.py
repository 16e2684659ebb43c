"""The one window: step indicator and banners on top, the current page, the hotline at the bottom."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtGui import QCloseEvent, QGuiApplication, QKeyEvent, QPaintEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from launcher import APP_NAME
from launcher.core.diagnostics import report_folder, save_report
from launcher.core.errors import LauncherError
from launcher.core.terms import last_consent
from launcher.ui.compact_panel import CompactPanel
from launcher.ui.consent_dialog import ConsentDialog
from launcher.ui.controller import STEP_COUNT, Controller, State
from launcher.ui.hotkey import DisconnectHotkey
from launcher.ui.pages.base import name_widget
from launcher.ui.pages.check_page import CheckPage
from launcher.ui.pages.download_page import DownloadPage
from launcher.ui.pages.ended_page import EndedPage
from launcher.ui.pages.error_page import ErrorPage
from launcher.ui.pages.session_page import SessionPage
from launcher.ui.pages.terms_page import TermsPage

log = logging.getLogger(__name__)


class MainWindow(QMainWindow):
    _painted = False  # Poland's holiday calendar takes a moment to load: after the first paint, not before
    def __init__(self, controller: Controller, *, demo: bool = False) -> None:
        super().__init__()
        self.controller = controller
        self.report_dir: Path | None = None  # None: the Desktop (tests point it elsewhere)
        config = controller.config
        self.setWindowTitle(APP_NAME + (" — DEMO" if demo else ""))
        self.setMinimumSize(600, 380)  # fits 1024x600 at 150 % scaling (683x400 logical)
        self.resize(860, 640)
        screen = QGuiApplication.primaryScreen()
        if screen is not None:  # never taller or wider than the screen: the footer must stay in view
            area = screen.availableGeometry()
            self.resize(min(860, area.width()), min(640, area.height()))

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)

        self.step_indicator = name_widget(QLabel(""), "stepIndicator", self.tr("Krok"))
        layout.addWidget(self.step_indicator)
        if demo:
            banner = QLabel(self.tr("TRYB DEMONSTRACYJNY (DEMO): nic nie jest pobierane z internetu, "
                                    "a TeamViewer jest zastąpiony programem pokazowym."))
            banner.setObjectName("demoBanner")
            banner.setWordWrap(True)
            layout.addWidget(banner)
        self.non_standard_banner = name_widget(
            QLabel(self.tr("Niestandardowa konfiguracja programu: {keys}").format(
                keys=", ".join(config.non_standard_keys))),
            "nonStandardBanner",
            self.tr("Niestandardowa konfiguracja"),
        )
        self.non_standard_banner.setWordWrap(True)
        # In --demo the purple DEMO banner already says that nothing here is the real service.
        self.non_standard_banner.setVisible(config.non_standard and not demo)
        layout.addWidget(self.non_standard_banner)

        self.stack = QStackedWidget()
        lang = controller.language
        self.terms_page = TermsPage(controller.regulamin, config.hotline.phone)
        self.check_page = CheckPage(lang)
        self.download_page = DownloadPage()
        self.session_page = SessionPage(config.hotline.phone, lang)
        self.ended_page = EndedPage()
        self.error_page = ErrorPage(lang)
        self._frames: dict[QWidget, QWidget] = {}
        self._pages: dict[QWidget, QWidget] = {}
        for page in (self.terms_page, self.check_page, self.download_page, self.session_page,
                     self.ended_page, self.error_page):
            # a page taller than a small screen at 150 % scaling scrolls instead of being clipped
            frame = QScrollArea()
            frame.setWidgetResizable(True)
            frame.setFrameShape(QFrame.Shape.NoFrame)
            frame.setWidget(page)
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
        layout.addWidget(self.stack, 1)

        self.footer = name_widget(QLabel(""), "hotlineFooter", self.tr("Infolinia"))
        self.footer.setWordWrap(True)
        footer_row = QHBoxLayout()
        footer_row.setContentsMargins(8, 0, 8, 4)
        footer_row.addWidget(self.footer, 1)
        self.consent_button = name_widget(QPushButton(self.tr("Co zaakceptowałem?")), "consentButton",
                                          self.tr("Pokaż zaakceptowany Regulamin"))
        self.consent_button.setFlat(True)
        self.consent_button.clicked.connect(self._show_consent)
        footer_row.addWidget(self.consent_button)
        layout.addLayout(footer_row)
        self._hotline_timer = QTimer(self)
        self._hotline_timer.setInterval(60_000)
        self._hotline_timer.timeout.connect(self._refresh_hotline)
        self._hotline_timer.start()
        self.footer.setText(self.tr("Infolinia techniczna Overmax: {phone}").format(phone=config.hotline.phone))
        self.setCentralWidget(central)

        self.terms_page.accepted.connect(self._on_terms_accepted)
        self.download_page.cancelRequested.connect(self._on_cancel)
        self.session_page.disconnectRequested.connect(self._on_disconnect)
        self.session_page.stillHereConfirmed.connect(self._on_still_here)
        self.session_page.showQuickSupportRequested.connect(self._on_show_quicksupport)
        self.compact_panel = CompactPanel()
        self.compact_panel.disconnectRequested.connect(self._on_disconnect)
        self.compact_panel.restoreRequested.connect(self.bring_forward)
        self.hotkey = DisconnectHotkey([self, self.compact_panel])
        self.hotkey.triggered.connect(self._on_disconnect)
        self.ended_page.closeRequested.connect(self.close)
        self.error_page.retryRequested.connect(self._on_retry)
        self.error_page.copyReportRequested.connect(self._on_copy_report)
        self.error_page.saveReportRequested.connect(self._on_save_report)

        controller.stateChanged.connect(self._on_state)
        controller.probeResult.connect(self.check_page.show_result)
        controller.downloadProgress.connect(self.download_page.show_progress)
        controller.sessionChanged.connect(self.session_page.show_session)
        controller.sessionChanged.connect(self.compact_panel.show_session)
        controller.idlePromptChanged.connect(self.session_page.show_idle_prompt)
        controller.idlePromptChanged.connect(self._on_idle_prompt)
        controller.passwordChanged.connect(self.session_page.set_password)
        controller.errorRaised.connect(self._on_error)
        self._on_state(controller.state)

    @Slot()
    def _show_consent(self) -> None:
        c = self.controller
        ConsentDialog(c.consent or last_consent(c.paths.consent_file), c.regulamin, self).exec()

    @Slot()
    def _refresh_hotline(self) -> None:
        """Is anyone there to answer? Remote help works either way, but the customer should know."""
        from launcher.core.hotline import describe_status, hotline_status

        hotline = self.controller.config.hotline
        try:
            status = describe_status(hotline_status(hotline), self.controller.language)
        except Exception:  # noqa: BLE001 - a calendar problem must never break the window: show the hours
            log.warning("hotline status unavailable", exc_info=True)
            status = hotline.hours
        self.footer.setText(self.tr("Infolinia techniczna Overmax: {phone}. {status}").format(
            phone=hotline.phone, status=status))

    # ----- controller -> view
    @Slot(object)
    def _on_state(self, state: State) -> None:
        c = self.controller
        pages = {
            State.TERMS: self.terms_page,
            State.CHECK: self.check_page,
            State.DOWNLOAD: self.download_page,
            State.STARTING: self.session_page,
            State.SESSION: self.session_page,
            State.STOPPING: self.session_page,
            State.ENDED: self.ended_page,
            State.ERROR: self.error_page,
        }
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
        if state in (State.STARTING, State.SESSION):
            self.hotkey.enable()
        else:
            self.hotkey.disable()
        if state is State.SESSION:
            self.compact_panel.show()
        elif state not in (State.STARTING, State.STOPPING):
            self.compact_panel.hide()
        self.stack.setCurrentWidget(self._frames[pages[state]])
        names = {1: self.tr("Regulamin"), 2: self.tr("Sprawdzanie połączenia"), 3: self.tr("Pobieranie"),
                 4: self.tr("Pomoc zdalna"), 5: self.tr("Zakończenie")}
        step = c.step
        self.step_indicator.setText(
            self.tr("Krok {n} z {total}: {name}").format(n=step, total=STEP_COUNT, name=names[step])
        )
        if state is State.ENDED and c.close_pending:
            self.close()  # the customer closed the window during the session; it is over now

    @Slot(object)
    def _on_error(self, exc: LauncherError) -> None:
        self.error_page.show_error(exc)

    # ----- view -> controller
    @Slot(bool, bool)
    def _on_terms_accepted(self, accepted: bool, confirmed: bool) -> None:
        self.controller.accept_terms(accepted, confirmed)

    @Slot()
    def _on_cancel(self) -> None:
        self.controller.cancel_download()

    @Slot()
    def _on_disconnect(self) -> None:
        self.controller.disconnect_session()

    @Slot()
    def _on_show_quicksupport(self) -> None:
        self.controller.show_quicksupport()

    @Slot()
    def _on_still_here(self) -> None:
        self.controller.still_here()

    @Slot(bool)
    def _on_idle_prompt(self, visible: bool) -> None:
        if visible:
            self.bring_forward()

    @Slot()
    def _on_retry(self) -> None:
        self.controller.retry()

    @Slot()
    def _on_copy_report(self) -> None:
        QGuiApplication.clipboard().setText(self.controller.diagnostic_report())
        self.error_page.mark_copied()

    def current_page(self) -> QWidget:
        return self._pages[self.stack.currentWidget()]

    @Slot()
    def bring_forward(self) -> None:
        """A second launcher was started: show this one instead."""
        self.showNormal()
        self.raise_()
        self.activateWindow()

    @Slot()
    def _on_save_report(self) -> None:
        try:
            path = save_report(self.controller.diagnostic_report(), self.report_dir or report_folder())
        except LauncherError as exc:
            self.error_page.copied.setText(f"{exc.code}: {exc.spec.what(self.controller.language)}")
            return
        self.error_page.mark_saved(str(path))

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            QTimer.singleShot(0, self._refresh_hotline)

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
            self.compact_panel.close()
            event.accept()
        else:
            log.info("close requested during a session: disconnecting first")
            event.ignore()
