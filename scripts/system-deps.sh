#!/usr/bin/env bash
# Debian/Ubuntu packages the test suite uses beyond Python (each test that needs one skips cleanly
# without it): a virtual X server and accessibility bus for the AT-SPI password test, the X libraries
# Qt's xcb plugin loads, osslsigncode + openssl for Authenticode and TLS fault tests, curl for the
# download benchmark, xdotool to bring QuickSupport's window forward, openbox (a window manager) and x11-utils
# (xprop) for the real-window tests (tests/ui/test_real_window.py).
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/apt-install.sh" xvfb xauth openbox x11-utils dbus at-spi2-core libxcb-cursor0 libxcb-icccm4 \
  libxcb-keysyms1 libxkbcommon-x11-0 osslsigncode openssl curl xdotool
