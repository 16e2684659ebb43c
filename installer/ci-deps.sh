#!/usr/bin/env bash
# Installs the system tools the build and the packaging tests need, per OS (CI and fresh machines).
# Idempotent: installs only what is missing.
#   Linux (Debian/Ubuntu): nsis (compile-check the Windows installer), binutils (strip, objdump),
#                          xz-utils, dpkg-dev, desktop-file-utils (checks the .desktop entry), and the
#                          libraries Qt's xcb/wayland plugins load from the system, so a built .deb
#                          installs and runs.
#   Windows (Git Bash):    NSIS via Chocolatey.
#   macOS:                 nothing: hdiutil, codesign and xcrun ship with Xcode's command line tools.
set -euo pipefail
case "$(uname -s)" in
  Linux*)
    "$(dirname "${BASH_SOURCE[0]}")/../scripts/apt-install.sh" nsis binutils xz-utils dpkg-dev \
      desktop-file-utils libgl1 libegl1 libxcb1 libxcb-icccm4 libxcb-keysyms1 libwayland-client0 \
      libwayland-cursor0 libxkbcommon0 libfontconfig1 libdbus-1-3
    ;;
  MINGW*|MSYS*|CYGWIN*)
    command -v makensis >/dev/null || choco install nsis -y --no-progress
    ;;
  Darwin*) ;;
esac
