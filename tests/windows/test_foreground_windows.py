"""Bringing QuickSupport's window forward on Windows (launcher/core/quicksupport/foreground.py) with the real
user32 under Wine."""

from __future__ import annotations


def test_bringing_windows_forward_takes_window_handles_as_pointers() -> None:
    """foreground._windows declares every user32 prototype it calls (a handle is pointer-sized: a window handle
    above 2**31 raised ArgumentError with the default int conversion, and the window stayed behind). Run with
    this process, which has no window: nothing to bring forward, and no error."""
    import os

    from launcher.core.quicksupport import foreground

    assert foreground._windows([os.getpid()]) is False


def test_a_second_start_may_hand_the_foreground_over() -> None:
    """AllowSetForegroundWindow, what a second start calls before asking the first launcher to come forward,
    with a PID and with ASFW_ANY (the lock's PID unknown: PySide6 6.6 cannot read it)."""
    import os

    from launcher.ui.single_instance import hand_over_foreground

    # Windows allows it only to a process that may set the foreground itself (a test run in the background may be
    # refused: logged, and the first launcher then flashes its taskbar button as before); Wine always allows it.
    # What this checks is the call: its prototype takes both a PID and ASFW_ANY (0xFFFFFFFF, not a C int).
    from tests.windows.conftest import IS_WINE

    for pid in (os.getpid(), None):
        allowed = hand_over_foreground(pid)
        assert allowed is True if IS_WINE else isinstance(allowed, bool)
