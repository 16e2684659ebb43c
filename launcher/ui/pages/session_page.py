"""Step 4: the TeamViewer ID and password, large, what the consultant is doing, and the red Rozłącz."""

from __future__ import annotations

import sys

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from launcher.core.formatting import group_id
from launcher.core.spelling import spell
from launcher.ui.activity_list import ActivityList, show_warning
from launcher.ui.confirm_prompt import ConfirmPrompt
from launcher.ui.hotkey import SEQUENCE
from launcher.ui.monospace import monospace
from launcher.ui.pages.base import PAGE_SIDE_MARGIN, Page, name_widget, plain_label
from launcher.ui.secret_clipboard import copy_secret, forget_secret
from launcher.ui.session_state import SessionInfo, describe, password_shown
from launcher.ui.side_by_side import SideBySideLayout

CREDENTIAL_POINT_SIZE = 30


def credential_font() -> QFont:
    """Large monospace for the ID and password: every character as wide as the next, 0/O and 1/l apart."""
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    font.setStyleHint(QFont.StyleHint.TypeWriter)
    font.setPointSize(CREDENTIAL_POINT_SIZE)
    font.setBold(True)
    return monospace(font)


def _credential_column(label: QLabel, value: QLabel, buttons: list[QPushButton]) -> QWidget:
    """"Twoje ID:" over the large value over its buttons: one column of the credentials."""
    column = QWidget()
    layout = QVBoxLayout(column)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(4)
    layout.addWidget(label)
    layout.addWidget(value)
    row = QHBoxLayout()
    for button in buttons:
        row.addWidget(button)
    row.addStretch(1)
    layout.addLayout(row)
    layout.addStretch(1)  # side by side, a shorter column (a password still to come) keeps to the top
    return column


class SessionPage(Page):
    steady_width = True  # its scroll area keeps the scroll bar's room (main_window.PageFrame)
    disconnectRequested = Signal()
    stillHereConfirmed = Signal()
    stillHelpingConfirmed = Signal()  # Tak on "Czy konsultant nadal Ci pomaga?"
    showQuickSupportRequested = Signal()

    def __init__(self, phone: str, language: str = "pl") -> None:
        super().__init__(self.tr("Pomoc zdalna"))
        self.language = language
        # under the ID and the password, not above them: it goes when a consultant has joined (its room goes
        # to what they do), and above them its going moved both while the customer read them out
        self.intro = QLabel(self.tr("Podaj konsultantowi przez telefon swój numer ID i hasło."))
        self.intro.setWordWrap(True)
        self._intro_wanted = True  # until a consultant is connected (show_session)
        self._short = False  # the window is too short for the title and the intro too (fit_height)

        # The ID and the password side by side where the window is wide enough, else one under the other:
        # either way each is one large line, and the page keeps its height for what the consultant does.
        self.credentials = QWidget()
        self.credentials.setObjectName("credentials")
        columns = SideBySideLayout(self.credentials)
        columns.setContentsMargins(0, 0, 0, 0)
        columns.setSpacing(self.layout_.spacing())
        id_label = QLabel(self.tr("Twoje ID:"))
        pw_label = QLabel(self.tr("Hasło:"))
        self.id_value = name_widget(plain_label("…"), "sessionId", self.tr("Twoje ID"))
        self.password_value = name_widget(plain_label("…"), "sessionPassword", self.tr("Hasło"))
        for value in (self.id_value, self.password_value):
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setFont(credential_font())
        id_label.setBuddy(self.id_value)
        pw_label.setBuddy(self.password_value)
        self.copy_id_button = name_widget(QPushButton(self.tr("Kopiuj")), "copyIdButton", self.tr("Kopiuj ID"))
        self.copy_password_button = name_widget(QPushButton(self.tr("Kopiuj")), "copyPasswordButton",
                                                self.tr("Kopiuj hasło"))
        self.spell_button = name_widget(QPushButton(self.tr("Przeliteruj")), "spellButton",
                                        self.tr("Przeliteruj hasło"))
        self.spell_button.setCheckable(True)
        self.copy_id_button.clicked.connect(self._copy_id)
        self.copy_password_button.clicked.connect(self._copy_password)
        self.spell_button.toggled.connect(self._update_spelling)
        columns.addWidget(_credential_column(id_label, self.id_value, [self.copy_id_button]))
        columns.addWidget(_credential_column(pw_label, self.password_value,
                                             [self.copy_password_button, self.spell_button]))
        self.layout_.addWidget(self.credentials)
        self.spelling = name_widget(plain_label(), "passwordSpelling", self.tr("Hasło litera po literze"))
        self.spelling.setWordWrap(True)
        self.spelling.setVisible(False)
        self.layout_.addWidget(self.spelling)
        self.layout_.addWidget(self.intro)

        self.hint_row = QWidget()  # only while the password is not shown here: hidden, it takes no room
        hint_row = QHBoxLayout(self.hint_row)
        hint_row.setContentsMargins(0, 0, 0, 0)
        self.password_hint = plain_label()
        self.password_hint.setWordWrap(True)
        hint_row.addWidget(self.password_hint, 1)
        self.show_qs_button = name_widget(QPushButton(self.tr("Pokaż okno TeamViewer")), "showQuickSupportButton",
                                          self.tr("Pokaż okno TeamViewer QuickSupport"))
        self.show_qs_button.clicked.connect(self._show_quicksupport)
        hint_row.addWidget(self.show_qs_button)
        self.layout_.addWidget(self.hint_row)
        # macOS asks the customer for permissions before a consultant can see or control anything.
        self.permission_hint = name_widget(QLabel(self.tr(
            "Jeśli TeamViewer poprosi o uprawnienia „Nagrywanie ekranu” i „Dostępność”, kliknij "
            "„Otwórz Ustawienia systemowe”, włącz przełącznik przy TeamViewer i wróć do tego okna."
        )), "permissionHint", self.tr("Uprawnienia systemu macOS"))
        self.permission_hint.setWordWrap(True)
        self.permission_hint.setVisible(sys.platform == "darwin")
        self.layout_.addWidget(self.permission_hint)

        self.status = name_widget(plain_label(), "sessionStatus", self.tr("Stan połączenia"))
        self.status.setWordWrap(True)
        # „Skopiowano ID.” beside the status, in room kept for it from the start: appearing, it moves nothing
        # (on a line of its own it pushed what was under it down, and through fit_height the ID up)
        self.copied = plain_label()
        self.copied.setObjectName("copiedConfirmation")
        self.copied.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self.copied.ensurePolished()
        self.copied.setFixedWidth(max(self.copied.fontMetrics().horizontalAdvance(text) for text in (
            self.tr("Skopiowano ID."), self.tr("Skopiowano hasło."))) + 2 * self.copied.margin() + 4)
        self.status_row = QWidget()
        status_row = QHBoxLayout(self.status_row)
        status_row.setContentsMargins(0, 0, 0, 0)
        status_row.addWidget(self.status, 1)
        status_row.addWidget(self.copied, 0, Qt.AlignmentFlag.AlignTop)
        self.layout_.addWidget(self.status_row)
        # the question comes right under the status, above the list: it must never be scrolled away
        self.confirm_prompt = ConfirmPrompt()
        self.confirm_prompt.confirmed.connect(self.stillHelpingConfirmed)
        self.confirm_prompt.disconnectRequested.connect(self._disconnect)
        self.layout_.addWidget(self.confirm_prompt)

        self.idle_prompt = QFrame()
        self.idle_prompt.setObjectName("idlePrompt")
        self.idle_prompt.setStyleSheet("QFrame#idlePrompt { background: #fff3cd; border: 2px solid #e0a800; }")
        prompt_row = QHBoxLayout(self.idle_prompt)
        prompt_text = QLabel(self.tr("Czy nadal czekasz na konsultanta? Jeśli nikt nie odpowie, "
                                     "pomoc zdalna zakończy się za chwilę."))
        prompt_text.setWordWrap(True)
        prompt_row.addWidget(prompt_text, 1)
        self.still_here_button = name_widget(QPushButton(self.tr("Tak, czekam")), "stillHereButton",
                                             self.tr("Tak, nadal czekam"))
        self.still_here_button.clicked.connect(self._still_here)
        prompt_row.addWidget(self.still_here_button)
        self.idle_prompt.setVisible(False)
        self.layout_.addWidget(self.idle_prompt)
        # What the consultant does gets the page's spare height (stretch); with no lines yet the list is
        # hidden and the spacer under it keeps the controls at the top.
        self.activity = ActivityList()
        self.layout_.addWidget(self.activity, 1)
        self.layout_.addStretch(0)

        # Rozłącz stays in view whatever the screen size: the window pins this below the scrolling page.
        self.fixed_footer = QWidget()
        footer = QVBoxLayout(self.fixed_footer)
        footer.setContentsMargins(PAGE_SIDE_MARGIN, 6, PAGE_SIDE_MARGIN, 8)
        row = QHBoxLayout()
        self.disconnect_button = name_widget(
            QPushButton(self.tr("Rozłącz")), "disconnectButton", self.tr("Rozłącz i zakończ pomoc zdalną")
        )
        self.disconnect_button.clicked.connect(self._disconnect)
        row.addWidget(self.disconnect_button)
        # the note beside the button, not under it: one row's height more for the page above
        note = QLabel(self.tr("Rozłącz kończy pomoc zdalną na dobre: konsultant nie połączy się ponownie. "
                              "Skrót klawiszowy: {keys}.").format(keys=SEQUENCE))
        note.setObjectName("disconnectNote")
        note.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        note.setWordWrap(True)
        row.addWidget(note, 1)
        footer.addLayout(row)

        self._info = SessionInfo()
        self._password = ""
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self._refresh_status)
        self.reset()  # built in its first state (the window builds it after its first paint, before Dalej)

    def safe_focus(self) -> QWidget | None:
        """A question answered, a hint hidden, Rozłącz disabled: the focus goes to the ID's Kopiuj (a stray
        Space copies the ID again), never on by itself to the next control, the red Rozłącz (focus_guard.py)."""
        return self.copy_id_button

    def reset(self) -> None:
        self._info = SessionInfo()
        self.id_value.setText("…")
        self.set_password("")
        self._say_copied("")
        self.disconnect_button.setEnabled(True)
        self.idle_prompt.setVisible(False)
        self.confirm_prompt.setVisible(False)
        self._refresh_status()

    @Slot(bool)
    def show_idle_prompt(self, visible: bool) -> None:
        self.idle_prompt.setVisible(visible)

    def fit_height(self, height: int) -> None:
        """The page's view is `height` px tall (its scroll area calls this when resized): where the page with
        a consultant at work (the list's newest lines and the question "Czy konsultant nadal Ci pomaga?" on
        it) would not fit with them, the title (the step indicator above already names the step) and the
        intro give their room, so on a short screen (a netbook, 125-200 % scaling) the ID and the password
        stay in view without scrolling, and at the window's own 860x640 so do the consultant's lines.

        Decided from the view's size alone, never from what comes and goes during a session (a consultant
        joining, a question, „Skopiowano ID.”, the spelled password): the title is above the ID and the
        password, and its going when a consultant joined moved both while the customer was reading them
        out over the phone. What comes and goes is under them and scrolls where it must."""
        self._short = self._connected_height() > height
        self.title.setVisible(not self._short)
        self.intro.setVisible(self._intro_wanted and not self._short)

    def _connected_height(self) -> int:
        """The page's height with the title, a consultant at work and the question: the ID and the password,
        the password's hint as it is now (QuickSupport's window may be where the password is for the whole
        session), the status, the list's minimum and the taller of the two questions."""
        margins = self.layout_.contentsMargins()
        width = self.width() - margins.left() - margins.right()
        spacing = self.layout_.spacing()
        need = margins.top() + margins.bottom()

        def height_of(widget: QWidget) -> int:
            hfw = widget.heightForWidth(width) if widget.hasHeightForWidth() else -1
            return max(hfw, widget.minimumSizeHint().height()) + spacing

        parts = [self.title, self.credentials, self.status_row, self.activity.list]
        if not self.hint_row.isHidden():
            parts.append(self.hint_row)
        # one of the two questions at a time: "Czy nadal czekasz…" while waiting, "…nadal Ci pomaga?" connected
        return need + sum(height_of(w) for w in parts) + max(height_of(self.confirm_prompt),
                                                             height_of(self.idle_prompt))

    @Slot()
    def _show_quicksupport(self) -> None:
        self.showQuickSupportRequested.emit()

    @Slot()
    def _still_here(self) -> None:
        self.idle_prompt.setVisible(False)
        self.stillHereConfirmed.emit()

    @Slot()
    def _copy_id(self) -> None:
        if self._info.tv_id:
            QGuiApplication.clipboard().setText(self._info.tv_id)
            self._say_copied(self.tr("Skopiowano ID."))

    @Slot()
    def _copy_password(self) -> None:
        if self._password:
            copy_secret(self._password)  # marked: Windows' clipboard history and Cloud Clipboard leave it out
            self._say_copied(self.tr("Skopiowano hasło."))

    def _say_copied(self, text: str) -> None:
        self.copied.setText(text)

    @Slot(bool)
    def _update_spelling(self, checked: bool) -> None:
        self.spelling.setVisible(checked and bool(self._password))
        self.spelling.setText(spell(self._password, self.language) if self._password else "")

    @Slot(object)
    def show_session(self, info: SessionInfo) -> None:
        self._info = info
        self.id_value.setText(group_id(info.tv_id) if info.tv_id else "…")
        if info.connected_since is not None:
            self._timer.start()
        else:
            self._timer.stop()
        if info.stopping:
            self.disconnect_button.setEnabled(False)
        self._refresh_status()
        self._show_password_state()
        self.activity.show_session(info)
        # with a consultant connected the ID and password are given: the room goes to what they do
        self._intro_wanted = info.connected_since is None
        self.intro.setVisible(self._intro_wanted and not self._short)

    @Slot(str)
    def set_password(self, value: str) -> None:
        old = self._password
        if old and old != value:
            forget_secret(old)  # an old password left on the clipboard is taken back (not what was copied since)
        self._password = value
        self.copy_password_button.setEnabled(bool(value))
        self.spell_button.setEnabled(bool(value))
        if not value:
            self.spell_button.setChecked(False)
        self._update_spelling(self.spell_button.isChecked())
        self._show_password_state()

    def _show_password_state(self) -> None:
        """The password box and the hint under it, from the session state (never a spinner for ever)."""
        value = self._password
        self.password_value.setText(password_shown(self._info, value))
        self.password_value.setProperty("placeholder", not value)
        self.password_value.style().unpolish(self.password_value)
        self.password_value.style().polish(self.password_value)
        self.show_qs_button.setVisible(not value)
        self.password_hint.setText("" if value else describe(self._info).password_hint)
        self.hint_row.setVisible(not value)

    def set_stopping(self) -> None:
        """Rozłącz was pressed: no second press (the state's `stopping` words the status)."""
        self.disconnect_button.setEnabled(False)
        self._timer.stop()
        self._refresh_status()

    @Slot()
    def _refresh_status(self) -> None:
        texts = describe(self._info)
        show_warning(self.status, texts.status, texts.warning)

    @Slot()
    def _disconnect(self) -> None:
        self.set_stopping()
        self.disconnectRequested.emit()
