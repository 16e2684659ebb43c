#!/usr/bin/env bash
# Installs the system tools the build and packaging tests need, per OS (CI and fresh machines):
#   Linux (Debian/Ubuntu): nsis (compile-check the Windows installer), binutils (strip, objdump),
#                          xz-utils, dpkg-dev, desktop-file-utils (checks the .desktop entry), and the
#                          libraries Qt's xcb/wayland plugins load from the system, so a built .deb
#                          installs and runs.
#   Windows (Git Bash):    NSIS via Chocolatey.
#   macOS:                 nothing: hdiutil, codesign and xcrun ship with Xcode's command line tools.
set -euo pipefail
sudo_cmd=""
[ "$(id -u 2>/dev/null || echo 0)" != 0 ] && command -v sudo >/dev/null && sudo_cmd="sudo"
case "$(uname -s)" in
  Linux*)
    export DEBIAN_FRONTEND=noninteractive
    $sudo_cmd apt-get update -qq
    $sudo_cmd apt-get install -y -qq --no-install-recommends nsis binutils xz-utils dpkg-dev desktop-file-utils \
      libgl1 libegl1 libxcb1 libxcb-icccm4 libxcb-keysyms1 libwayland-client0 libwayland-cursor0 \
      libxkbcommon0 libfontconfig1 libdbus-1-3
    ;;
  MINGW*|MSYS*|CYGWIN*)
    command -v makensis >/dev/null || choco install nsis -y --no-progress
    ;;
  Darwin*) ;;
esac
