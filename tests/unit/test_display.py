"""Whether a window can be shown, told before Qt is asked (it aborts the process without a display server)."""

from __future__ import annotations

import pytest

from launcher.ui.display import no_display_reason


@pytest.mark.parametrize(("environ", "platform", "can_show"), [
    ({}, "linux", False),  # a remote shell, a service: Qt's xcb would abort
    ({"DISPLAY": ":0"}, "linux", True),
    ({"WAYLAND_DISPLAY": "wayland-0"}, "linux", True),
    ({"DISPLAY": ""}, "linux", False),  # set but empty is no display either
    ({"QT_QPA_PLATFORM": "offscreen"}, "linux", True),  # the self-test's and the tests' own: needs no server
    ({"QT_QPA_PLATFORM": "vnc:size=800x600"}, "linux", True),
    ({"QT_QPA_PLATFORM": "xcb"}, "linux", False),
    ({"QT_QPA_PLATFORM": "wayland-egl"}, "freebsd14", False),
    ({"QT_QPA_PLATFORM": "wayland;xcb", "DISPLAY": ":1"}, "linux", True),
    ({"QT_QPA_PLATFORM": "wayland;offscreen"}, "linux", True),  # Qt falls back to offscreen
    ({}, "win32", True),  # Windows and macOS always have their own
    ({}, "darwin", True),
])
def test_a_window_needs_a_display_server_only_where_qt_would_use_one(environ, platform, can_show):
    reason = no_display_reason(environ, platform)
    assert (reason is None) is can_show
    if reason is not None:
        assert "DISPLAY" in reason
