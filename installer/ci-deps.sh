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
    command -v apt-get >/dev/null || { echo "ci-deps: no apt-get here, install the tools above by hand"; exit 0; }
    sudo_cmd=""
    if [ "$(id -u)" != 0 ]; then
      command -v sudo >/dev/null || { echo "ci-deps: not root and no sudo" >&2; exit 1; }
      sudo_cmd="sudo -n"
    fi
    packages=(nsis binutils xz-utils dpkg-dev desktop-file-utils libgl1 libegl1 libxcb1 libxcb-icccm4
              libxcb-keysyms1 libwayland-client0 libwayland-cursor0 libxkbcommon0 libfontconfig1 libdbus-1-3)
    missing=()
    for p in "${packages[@]}"; do
      dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && exit 0
    export DEBIAN_FRONTEND=noninteractive
    $sudo_cmd apt-get update -qq
    $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}"
    echo "ci-deps: installed ${missing[*]}"
    ;;
  MINGW*|MSYS*|CYGWIN*)
    command -v makensis >/dev/null || choco install nsis -y --no-progress
    ;;
  Darwin*) ;;
esac
