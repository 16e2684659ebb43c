#!/usr/bin/env bash
# apt-install.sh PACKAGE...: install those of the Debian/Ubuntu packages that are missing (root or sudo).
# Exits 0 without apt-get (other systems); exits 1 when packages are missing and cannot be installed.
set -euo pipefail
command -v apt-get >/dev/null || { echo "apt-install: no apt-get here, skipping: $*"; exit 0; }
missing=()
for p in "$@"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
sudo_cmd=""
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null || { echo "apt-install: not root and no sudo for: ${missing[*]}" >&2; exit 1; }
  sudo_cmd="sudo -n"
fi
export DEBIAN_FRONTEND=noninteractive
if ! $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2>&1; then
  $sudo_cmd apt-get update -qq >/dev/null
  $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
echo "apt-install: installed ${missing[*]}"
