"""What reading QuickSupport's password can come to: one small enum that the window's session state
(launcher/ui/session_state.py) and the accessibility code (credentials.py) both name."""

from __future__ import annotations

import enum


class PasswordStatus(enum.Enum):
    """What the QuickSupport window's password field tells us; the UI has one plain sentence for each."""

    READING = "reading"  # not tried yet / being read
    READ = "read"  # a password, shown to the customer
    NOT_READY = "not-ready"  # TeamViewer shows "-": it has not made the password yet
    FIXED = "fixed"  # TeamViewer shows "****": a fixed password is set on this computer
    UNREADABLE = "unreadable"  # no accessibility (no bus, no permission, no field found): still retried
    GAVE_UP = "gave-up"  # UNREADABLE for as long as the launcher keeps trying: no more retries
