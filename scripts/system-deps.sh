#!/usr/bin/env bash
# Debian/Ubuntu packages the test suite uses beyond Python (each test that needs one skips cleanly
# without it): a virtual X server and accessibility bus for the AT-SPI password test, the X libraries
# Qt's xcb plugin loads, osslsigncode + openssl for Authenticode and TLS fault tests, curl for the
# download benchmark. Needs root (or sudo); does nothing on other systems.
set -euo pipefail
command -v apt-get >/dev/null || { echo "system-deps: no apt-get here, skipping"; exit 0; }
sudo_cmd=""
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null || { echo "system-deps: not root and no sudo, skipping"; exit 0; }
  sudo_cmd="sudo -n"
fi
packages=(xvfb xauth dbus at-spi2-core libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxkbcommon-x11-0
          osslsigncode openssl curl xdotool)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
export DEBIAN_FRONTEND=noninteractive
$sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2>&1 || {
  $sudo_cmd apt-get update -qq >/dev/null 2>&1
  $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}
echo "system-deps: installed ${missing[*]}"
