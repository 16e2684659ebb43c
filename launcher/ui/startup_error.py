"""The box shown when the window cannot start at all (a config refused, no data folder): the code, what
happened and what to do, as every error page says them, and the technical detail behind Qt's "Show
Details..." button, selectable, so that a consultant on the phone can have it read out or copied (it went
to standard error only, which a program started from a shortcut has nowhere to show)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from launcher import APP_NAME
from launcher.core.errors import LauncherError


def startup_error_box(exc: LauncherError, lang: str, todo: str) -> QMessageBox:
    """A modal critical box for `exc` (objectName `startupErrorBox`), not shown yet: the caller runs exec().
    `todo` is the catalogue's "what to do" as it reads without a retry button."""
    box = QMessageBox(QMessageBox.Icon.Critical, APP_NAME, f"{exc.code}\n\n{exc.spec.what(lang)}\n{todo}",
                      QMessageBox.StandardButton.Ok)
    box.setObjectName("startupErrorBox")
    box.setTextFormat(Qt.TextFormat.PlainText)  # the detail may quote a config file's text
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if exc.detail:
        box.setDetailedText(exc.detail)
    return box
