"""A small always-on-top panel during the session: status, consultant, timer, Rozłącz, back to the window.

It stays reachable while the consultant moves windows around; the main window can be restored from it.
"Czy konsultant nadal Ci pomaga?" is asked here too (`compactConfirmPrompt`): the customer who works with
the main window minimised answers it where they are; it is the session page's question, not a second one.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, QRect, QSize, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from launcher.ui.activity_list import show_warning
from launcher.ui.confirm_prompt import ConfirmPrompt
from launcher.ui.focus_guard import rescue_focus
from launcher.ui.pages.base import name_widget, plain_label
from launcher.ui.screens import screen_of
from launcher.ui.session_state import SessionInfo, describe


class CompactPanel(QWidget):
    disconnectRequested = Signal()
    restoreRequested = Signal()
    stillHelpingConfirmed = Signal()  # Tak on "Czy konsultant nadal Ci pomaga?"

    def __init__(self) -> None:
        super().__init__(None, Qt.WindowType.Tool | Qt.WindowType.WindowStaysOnTopHint)
        self.setObjectName("compactPanel")
        # Appearing when the session starts, it must not take the keyboard from the window the customer is
        # in: a Space meant for the main window would press the panel's button (Tab: its Rozłącz).
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self.setWindowTitle(self.tr("Pomoc zdalna"))
        layout = QVBoxLayout(self)
        self.setMinimumWidth(340)
        self.status = name_widget(plain_label(), "compactStatus", self.tr("Stan pomocy zdalnej"))
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        # the newest line of the activity list (what the consultant did last)
        self.activity = name_widget(plain_label(), "compactActivity", self.tr("Ostatnia czynność konsultanta"))
        self.activity.setWordWrap(True)
        self.activity.setVisible(False)
        layout.addWidget(self.activity)
        self.confirm_prompt = ConfirmPrompt("compact", stacked=True)
        self.confirm_prompt.confirmed.connect(self._still_helping)
        self.confirm_prompt.disconnectRequested.connect(self._disconnect)
        layout.addWidget(self.confirm_prompt)
        row = QHBoxLayout()
        self.restore_button = name_widget(QPushButton(self.tr("Pokaż okno")), "restoreButton",
                                          self.tr("Pokaż główne okno"))
        self.restore_button.clicked.connect(self._restore)
        # its own accessible name: automation finding "Rozłącz i zakończ pomoc zdalną" (disconnectButton) by
        # name must find that one control, while this panel is on screen beside the window
        self.disconnect_button = name_widget(QPushButton(self.tr("Rozłącz")), "compactDisconnectButton",
                                             self.tr("Rozłącz w małym panelu i zakończ pomoc zdalną"))
        self.disconnect_button.clicked.connect(self._disconnect)
        row.addWidget(self.restore_button)
        row.addWidget(self.disconnect_button)
        layout.addLayout(row)
        self._info = SessionInfo()
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self._refresh)

    def focusNextPrevChild(self, next: bool) -> bool:  # noqa: N802, A002 - Qt API
        """The question answered here (its Tak hidden with the focus on it) or Rozłącz disabled: the focus goes
        to Pokaż okno, not on by itself to the next control, Rozłącz (launcher/ui/focus_guard.py)."""
        if rescue_focus(self, self.restore_button):
            return True
        return super().focusNextPrevChild(next)

    def event(self, event) -> bool:
        if event.type() == QEvent.Type.WindowActivate:
            rescue_focus(self, self.restore_button)  # before Qt gives the focus back (focus_guard.py)
        return super().event(event)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        """A corner of the screen, top right first: out of the way of the consultant's work, always findable,
        and where the screen has room, not over the main window (`avoid`)."""
        self._place()
        super().showEvent(event)
        # The window manager adds its frame only once the panel is on screen: place it again with it.
        QTimer.singleShot(0, self._place)

    avoid: QWidget | None = None  # the main window, set by it

    def _fit(self) -> None:
        """As tall as the wrapped status needs at the panel's width (adjustSize guesses a wrapped label's
        height for some other width and cut the buttons off)."""
        width = max(self.minimumWidth(), self.width() if self.isVisible() else 0)
        height = self.heightForWidth(width)
        before = self.height()
        if height > 0:
            self.resize(width, max(height, self.minimumSizeHint().height()))
        else:
            self.adjustSize()
        if self._anchored_bottom and self.isVisible() and self.height() != before:
            # in a bottom corner it grows and shrinks upwards: shrinking down from the top, it was left
            # floating over the middle of the window
            self.move(self.x(), self.y() + before - self.height())

    _anchored_bottom = False  # placed in a bottom corner (_place)
    MARGIN = 16

    @Slot()
    def _place(self) -> None:
        screen = screen_of(self)  # never self.screen(): see launcher/ui/screens.py
        if screen is None:
            return
        self._fit()
        area = screen.availableGeometry()
        inset = self._frame_inset()
        target = self.corner(area, inset)
        self._anchored_bottom = target.y() > area.center().y()
        self.move(target + inset)
        avoid = self.avoid
        if avoid is None or not avoid.isVisible() or avoid.isMaximized() or avoid.isFullScreen():
            return
        frame, taken = self.frameGeometry(), avoid.frameGeometry()
        if frame.intersects(taken) and taken.width() + frame.width() + 3 * self.MARGIN <= area.width():
            # no corner is clear, but the screen is wide enough for both: the window steps aside, once
            x = max(area.left() + self.MARGIN, frame.left() - self.MARGIN - taken.width())
            avoid.move(x, taken.top())

    @Slot()
    def keep_clear(self) -> None:
        """Moved to the first corner clear of the main window (`avoid`) where that window has come to lie under
        the panel since it was placed: it grew or moved after the panel appeared (a page that needs more room,
        the window manager's placement, a retry), and the panel stayed in a corner that was clear only before,
        over the password. Only the panel moves (the window may be in the customer's hand)."""
        avoid, screen = self.avoid, screen_of(self)
        if not self.isVisible() or avoid is None or not avoid.isVisible() or screen is None:
            return
        if not self.frameGeometry().intersects(avoid.frameGeometry()):
            return
        area = screen.availableGeometry()
        target = self.corner(area)
        if target != self.frameGeometry().topLeft():
            self._anchored_bottom = target.y() > area.center().y()
            self.move(target)

    def _frame_inset(self) -> QPoint:
        """Until the window manager has framed the panel, Qt knows no frame: move() then places the inside,
        and the title bar would go above the screen. The main window's frame (same window manager) stands
        in for it; zero once the panel's own frame is known (move() then places the frame)."""
        if self.frameGeometry() != self.geometry() or self.avoid is None or not self.avoid.isVisible():
            return QPoint(0, 0)
        return self.avoid.geometry().topLeft() - self.avoid.frameGeometry().topLeft()

    def corner(self, area: QRect, inset: QPoint | None = None) -> QPoint:
        """Top-left point of the panel's frame in `area`: the first corner clear of `avoid`, else bottom right.

        Bottom right where it must cover the window (a small screen, a large scale): there it covers the
        end of the activity list and the note beside Rozłącz, never the ID and the password at the top of
        the session page (top right covered the password), and the panel has its own Rozłącz."""
        margin = self.MARGIN
        frame = self.frameGeometry()
        inset = inset or QPoint(0, 0)
        frame = QRect(frame.topLeft(), frame.size() + QSize(2 * inset.x(), inset.y() + inset.x()))
        w, h = frame.width(), frame.height()
        left, right = area.left() + margin, area.right() + 1 - w - margin
        top, bottom = area.top() + margin, area.bottom() + 1 - h - margin
        corners = [QPoint(right, top), QPoint(left, top), QPoint(right, bottom), QPoint(left, bottom)]
        avoid = self.avoid
        if avoid is not None and avoid.isVisible():
            taken = avoid.frameGeometry()
            for point in corners:
                if not QRect(point, frame.size()).intersects(taken):
                    return point
            return corners[2]
        return corners[0]

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
        show_warning(self.status, texts.panel, texts.warning)
        self.activity.setText(texts.activity)
        self.activity.setVisible(bool(texts.activity))
        self.setWindowTitle(texts.short)
        if self.isVisible():
            self._fit()  # a longer status (a consultant's name) must not be cut off
            self._keep_on_screen()  # grown down from a bottom corner: moved back up

    @Slot(bool)
    def show_confirm_prompt(self, visible: bool) -> None:
        """The question shown or answered (the controller's state, whichever place it was answered in)."""
        if visible != self.confirm_prompt.isHidden():
            return
        self.confirm_prompt.setVisible(visible)
        if self.isVisible():
            self._fit()
            self._keep_on_screen()
            if visible:
                self.raise_()

    def _keep_on_screen(self) -> None:
        """Grown taller (the question), the panel is moved back inside the screen where it no longer fits."""
        screen = screen_of(self)  # never self.screen(): see launcher/ui/screens.py
        if screen is None:
            return
        area, frame = screen.availableGeometry(), self.frameGeometry()
        if area.contains(frame):
            return
        x = min(max(frame.left(), area.left()), area.right() + 1 - frame.width())
        y = min(max(frame.top(), area.top()), area.bottom() + 1 - frame.height())
        self.move(x, y)

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
    def _still_helping(self) -> None:
        self.stillHelpingConfirmed.emit()

    @Slot()
    def _disconnect(self) -> None:
        self.set_stopping()
        self.disconnectRequested.emit()
