"""The copied TeamViewer password carries the markers clipboard histories honour (Windows' Win+V history and
Cloud Clipboard, Klipper/CopyQ/GPaste on Linux, macOS clipboard managers) and leaves the clipboard when the
session ends; the ID, no secret, is copied as plain text. Offscreen (Qt's in-process clipboard); the same
through a real X server and another X client: tests/ui/test_real_clipboard.py."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QPushButton

from launcher.core.quicksupport.tvlog import TvEvent
from launcher.ui.controller import State
from launcher.ui.secret_clipboard import forget_secret, secret_markers, secret_mime_data

DWORD_ZERO = b"\x00\x00\x00\x00"

# learn.microsoft.com/en-us/windows/win32/dataxchg/clipboard-formats, "Cloud Clipboard and Clipboard History
# Formats"; Qt's name for a Windows format of one's own: QMimeData, "Platform-Specific MIME Types"
WINDOWS = {
    'application/x-qt-windows-mime;value="ExcludeClipboardContentFromMonitorProcessing"': DWORD_ZERO,
    'application/x-qt-windows-mime;value="CanIncludeInClipboardHistory"': DWORD_ZERO,
    'application/x-qt-windows-mime;value="CanUploadToCloudClipboard"': DWORD_ZERO,
}


@pytest.mark.parametrize(("platform", "markers"), [
    ("win32", WINDOWS),
    ("linux", {"x-kde-passwordManagerHint": b"secret"}),
    ("freebsd14", {"x-kde-passwordManagerHint": b"secret"}),
    ("darwin", {"application/x-nspasteboard-concealed-type": b"secret"}),
])
def test_each_platform_gets_the_markers_its_clipboard_programs_read(qapp, platform, markers):
    assert secret_markers(platform) == markers
    data = secret_mime_data("Secr3t9", platform)
    assert data.text() == "Secr3t9"
    for mime_type, value in markers.items():
        assert data.hasFormat(mime_type), mime_type
        assert bytes(data.data(mime_type)) == value


def test_a_platform_without_a_convention_gets_the_text_alone(qapp):
    data = secret_mime_data("Secr3t9", "emscripten")
    assert data.text() == "Secr3t9"
    assert [f for f in data.formats() if not f.startswith("text/")] == []


def _session_with_password(window, password: str) -> None:
    c = window.controller
    c._enter(State.STARTING)
    c._on_session_event(TvEvent(kind="id", when=None, tv_id="123456789"))
    c._on_password(password)


def test_the_copy_button_puts_the_password_marked_as_a_secret(window, qtbot):
    _session_with_password(window, "Secr3t9")
    qtbot.mouseClick(window.findChild(QPushButton, "copyPasswordButton"), Qt.MouseButton.LeftButton)
    on_clipboard = QGuiApplication.clipboard().mimeData()
    assert on_clipboard.text() == "Secr3t9"
    for mime_type, value in secret_markers().items():
        assert bytes(on_clipboard.data(mime_type)) == value, mime_type
    assert window.session_page.copied.text() == "Skopiowano hasło."


def test_the_copied_id_is_plain_text(window, qtbot):
    _session_with_password(window, "Secr3t9")
    qtbot.mouseClick(window.findChild(QPushButton, "copyIdButton"), Qt.MouseButton.LeftButton)
    on_clipboard = QGuiApplication.clipboard().mimeData()
    assert on_clipboard.text() == "123456789"
    assert not any(on_clipboard.hasFormat(mime_type) for mime_type in secret_markers())


def test_a_new_password_takes_the_old_one_off_the_clipboard(window, qtbot):
    _session_with_password(window, "Secr3t9")
    qtbot.mouseClick(window.findChild(QPushButton, "copyPasswordButton"), Qt.MouseButton.LeftButton)
    window.controller._on_password("N3wOne4")
    assert QGuiApplication.clipboard().text() == ""


def test_what_the_customer_copied_since_is_left_alone(window, qtbot):
    _session_with_password(window, "Secr3t9")
    qtbot.mouseClick(window.findChild(QPushButton, "copyPasswordButton"), Qt.MouseButton.LeftButton)
    QGuiApplication.clipboard().setText("the customer's own note")
    window.controller._on_session_stopped()
    assert QGuiApplication.clipboard().text() == "the customer's own note"
    assert forget_secret("Secr3t9") is False
    assert forget_secret("") is False
