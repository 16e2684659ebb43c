"""A small always-on-top panel during the session: status, consultant, timer, Rozłącz, back to the window.

It stays reachable while the consultant moves windows around; the main window can be restored from it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from launcher.ui.pages.base import name_widget
from launcher.ui.session_state import SessionInfo, describe


class CompactPanel(QWidget):
    disconnectRequested = Signal()
    restoreRequested = Signal()

    def __init__(self) -> None:
        super().__init__(None, Qt.WindowType.Tool | Qt.WindowType.WindowStaysOnTopHint)
        self.setObjectName("compactPanel")
        self.setWindowTitle(self.tr("Pomoc zdalna"))
        layout = QVBoxLayout(self)
        self.setMinimumWidth(340)
        self.status = name_widget(QLabel(""), "compactStatus", self.tr("Stan pomocy zdalnej"))
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        row = QHBoxLayout()
        self.restore_button = name_widget(QPushButton(self.tr("Pokaż okno")), "restoreButton",
                                          self.tr("Pokaż główne okno"))
        self.restore_button.clicked.connect(self._restore)
        self.disconnect_button = name_widget(QPushButton(self.tr("Rozłącz")), "compactDisconnectButton",
                                             self.tr("Rozłącz i zakończ pomoc zdalną"))
        self.disconnect_button.setStyleSheet(
            "QPushButton { background: #c82333; color: white; font-weight: bold; border-radius: 4px; }"
            "QPushButton:disabled { background: #e5a0a7; }")
        self.disconnect_button.clicked.connect(self._disconnect)
        row.addWidget(self.restore_button)
        row.addWidget(self.disconnect_button)
        layout.addLayout(row)
        self._info = SessionInfo()
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self._refresh)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        """Top-right corner of the screen: out of the way of the consultant's work, always findable."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is not None:
            area = screen.availableGeometry()
            self.adjustSize()
            self.move(area.right() - self.width() - 16, area.top() + 16)
        super().showEvent(event)

    @Slot(object)
    def show_session(self, info: SessionInfo) -> None:
        self._info = info
        if info.stopping:
            self.disconnect_button.setEnabled(False)
        if info.connected_since is not None:
            self._timer.start()
        else:
            self._timer.stop()
        self._refresh()

    @Slot()
    def _refresh(self) -> None:
        texts = describe(self._info)
        self.status.setText(texts.panel)
        self.setWindowTitle(texts.short)
        if self.isVisible():
            self.adjustSize()  # a longer status (a consultant's name) must not be cut off

    def set_stopping(self) -> None:
        """Rozłącz was pressed: no second press (the state's `stopping` words the status)."""
        self.disconnect_button.setEnabled(False)
        self._timer.stop()
        self._refresh()

    def reset(self) -> None:
        self.disconnect_button.setEnabled(True)
        self._info = SessionInfo()
        self._refresh()

    @Slot()
    def _restore(self) -> None:
        self.restoreRequested.emit()

    @Slot()
    def _disconnect(self) -> None:
        self.set_stopping()
        self.disconnectRequested.emit()
