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
