#!/usr/bin/env bash
# Debian/Ubuntu packages the test suite uses beyond Python (each test that needs one skips cleanly
# without it): a virtual X server and accessibility bus for the AT-SPI password test, the X libraries
# Qt's xcb plugin loads, osslsigncode + openssl for Authenticode and TLS fault tests, curl for the
# download benchmark, xdotool to bring QuickSupport's window forward, xclip to read the clipboard as a
# clipboard manager does (tests/ui/test_real_clipboard.py), mingw-w64 to build the Windows QuickSupport
# stand-in (scripts/build_windows_standin.py; its objdump checks what the PE imports),
# openbox (a window manager) and x11-utils (xprop) for the real-window tests (tests/ui/test_real_window.py),
# fonts-liberation and fonts-dejavu-core: the UI tests' fonts (a monospace one for the ID and password), on
# Linux through fontconfig and in the Windows lane's C:\windows\Fonts (scripts/windows-lane.sh).
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/apt-install.sh" xvfb xauth openbox x11-utils dbus at-spi2-core libxcb-cursor0 \
  libxcb-icccm4 libxcb-keysyms1 libxkbcommon-x11-0 osslsigncode openssl curl xdotool xclip gcc-mingw-w64-x86-64 \
  binutils-mingw-w64-x86-64 fonts-liberation fonts-dejavu-core
