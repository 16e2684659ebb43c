"""Step 4: the TeamViewer ID and password, large, what the consultant is doing, and the red Rozłącz."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QPushButton

from launcher.core.formatting import format_duration, group_id
from launcher.ui.controller import SessionInfo
from launcher.ui.pages.base import Page, name_widget


class SessionPage(Page):
    disconnectRequested = Signal()

    def __init__(self, phone: str) -> None:
        super().__init__(self.tr("Pomoc zdalna"))
        self.intro = QLabel(self.tr("Podaj konsultantowi przez telefon swój numer ID i hasło."))
        self.intro.setWordWrap(True)
        self.layout_.addWidget(self.intro)

        grid = QGridLayout()
        id_label = QLabel(self.tr("Twoje ID:"))
        pw_label = QLabel(self.tr("Hasło:"))
        self.id_value = name_widget(QLabel("…"), "sessionId", self.tr("Twoje ID"))
        self.password_value = name_widget(QLabel("…"), "sessionPassword", self.tr("Hasło"))
        for value in (self.id_value, self.password_value):
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        id_label.setBuddy(self.id_value)
        pw_label.setBuddy(self.password_value)
        grid.addWidget(id_label, 0, 0)
        grid.addWidget(self.id_value, 0, 1)
        grid.addWidget(pw_label, 1, 0)
        grid.addWidget(self.password_value, 1, 1)
        grid.setColumnStretch(1, 1)
        self.layout_.addLayout(grid)

        self.password_hint = QLabel("")
        self.password_hint.setWordWrap(True)
        self.layout_.addWidget(self.password_hint)

        self.status = name_widget(QLabel(""), "sessionStatus", self.tr("Stan połączenia"))
        self.status.setWordWrap(True)
        self.layout_.addWidget(self.status)
        hotline = QLabel(self.tr("Infolinia Overmax: {phone}").format(phone=phone))
        self.layout_.addWidget(hotline)
        self.layout_.addStretch(1)

        row = QHBoxLayout()
        row.addStretch(1)
        self.disconnect_button = name_widget(
            QPushButton(self.tr("Rozłącz")), "disconnectButton", self.tr("Rozłącz i zakończ pomoc zdalną")
        )
        self.disconnect_button.clicked.connect(self._disconnect)
        row.addWidget(self.disconnect_button)
        row.addStretch(1)
        self.layout_.addLayout(row)
        note = QLabel(self.tr("Rozłącz kończy pomoc zdalną na dobre: konsultant nie połączy się ponownie."))
        note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        note.setWordWrap(True)
        self.layout_.addWidget(note)

        self._info = SessionInfo()
        self._stopping = False
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self._refresh_status)

    def reset(self) -> None:
        self._info = SessionInfo()
        self._stopping = False
        self.id_value.setText("…")
        self.set_password("")
        self.disconnect_button.setEnabled(True)
        self._refresh_status()

    @Slot(object)
    def show_session(self, info: SessionInfo) -> None:
        self._info = info
        self.id_value.setText(group_id(info.tv_id) if info.tv_id else "…")
        if info.connected_since is not None:
            self._timer.start()
        else:
            self._timer.stop()
        self._refresh_status()

    @Slot(str)
    def set_password(self, value: str) -> None:
        self.password_value.setText(value or "…")
        if value:
            self.password_hint.setText("")
        else:
            self.password_hint.setText(
                self.tr(
                    "Hasło odczytaj z okna TeamViewer QuickSupport: jest w polu „Hasło” "
                    "tuż pod numerem „Twoje ID”."
                )
            )

    def set_stopping(self) -> None:
        self._stopping = True
        self.disconnect_button.setEnabled(False)
        self._timer.stop()
        self._refresh_status()

    @Slot()
    def _refresh_status(self) -> None:
        info = self._info
        if self._stopping:
            text = self.tr("Kończenie połączenia…")
        elif not info.tv_id:
            text = self.tr("Uruchamianie TeamViewer QuickSupport…")
        elif info.connected_since is not None:
            who = info.supporter or self.tr("konsultant")
            text = self.tr("Konsultant {name} jest połączony ({time})").format(
                name=who, time=format_duration(time.monotonic() - info.connected_since)
            )
        elif info.ended_by_consultant:
            text = self.tr(
                "Konsultant zakończył sesję. Kliknij Rozłącz, aby zamknąć TeamViewer na dobre."
            )
        elif not info.online:
            text = self.tr("Łączenie z siecią TeamViewer…")
        else:
            text = self.tr("Czekamy na połączenie konsultanta")
        self.status.setText(text)

    @Slot()
    def _disconnect(self) -> None:
        self.set_stopping()
        self.disconnectRequested.emit()
