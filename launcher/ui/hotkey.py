"""The keyboard shortcut that disconnects: Ctrl+Alt+R ("R jak Rozłącz").

During a session it works in every window of the launcher; on Windows it is also registered
system-wide (RegisterHotKey), so it works while the consultant's TeamViewer window has the focus. Other
systems offer no global hotkey without extra libraries; there the compact always-on-top panel is the way.
"""

from __future__ import annotations

import logging
import sys

from PySide6.QtCore import QAbstractNativeEventFilter, QObject, Qt, Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QWidget

log = logging.getLogger(__name__)

SEQUENCE = "Ctrl+Alt+R"
_HOTKEY_ID = 0x4F4D  # "OM"
_WM_HOTKEY = 0x0312


class _WindowsHotkeyFilter(QAbstractNativeEventFilter):  # pragma: no cover - Windows only
    def __init__(self, owner: DisconnectHotkey) -> None:
        super().__init__()
        self.owner = owner

    def nativeEventFilter(self, event_type, message):  # noqa: N802 - Qt API
        if event_type == b"windows_generic_MSG":
            from ctypes import wintypes

            msg = wintypes.MSG.from_address(int(message))
            if msg.message == _WM_HOTKEY and msg.wParam == _HOTKEY_ID:
                self.owner.triggered.emit()
                return True, 0
        return False, 0


class DisconnectHotkey(QObject):
    triggered = Signal()

    def __init__(self, windows: list[QWidget]) -> None:
        super().__init__()
        self._shortcuts = []
        for window in windows:
            shortcut = QShortcut(QKeySequence(SEQUENCE), window)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.setEnabled(False)
            shortcut.activated.connect(self._on_activated)
            self._shortcuts.append(shortcut)
        self._filter = None
        self.global_active = False

    @Slot()
    def _on_activated(self) -> None:
        self.triggered.emit()

    def enable(self) -> None:
        for shortcut in self._shortcuts:
            shortcut.setEnabled(True)
        if sys.platform == "win32" and not self.global_active:
            self.global_active = self._register_windows()

    def disable(self) -> None:
        for shortcut in self._shortcuts:
            shortcut.setEnabled(False)
        if self.global_active:
            self._unregister_windows()
            self.global_active = False

    def _register_windows(self) -> bool:  # pragma: no cover - Windows only
        import ctypes

        from PySide6.QtCore import QCoreApplication

        mod_alt, mod_control, mod_norepeat = 0x0001, 0x0002, 0x4000
        if not ctypes.windll.user32.RegisterHotKey(None, _HOTKEY_ID, mod_alt | mod_control | mod_norepeat, ord("R")):
            log.info("Ctrl+Alt+R is taken by another program: only the launcher's windows react to it")
            return False
        self._filter = _WindowsHotkeyFilter(self)
        QCoreApplication.instance().installNativeEventFilter(self._filter)
        return True

    def _unregister_windows(self) -> None:  # pragma: no cover - Windows only
        import ctypes

        from PySide6.QtCore import QCoreApplication

        ctypes.windll.user32.UnregisterHotKey(None, _HOTKEY_ID)
        if self._filter is not None:
            QCoreApplication.instance().removeNativeEventFilter(self._filter)
            self._filter = None
