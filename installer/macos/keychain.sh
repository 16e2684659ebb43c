#!/usr/bin/env bash
# CI only: imports the Developer ID identity into a temporary keychain so PyInstaller (during the build)
# and sign.sh can use it. Needs MACOS_CERT_P12_BASE64 (base64 of the .p12) and MACOS_CERT_PASSWORD;
# does nothing without them. Run it before installer/build.sh.
set -euo pipefail
[ -n "${MACOS_CERT_P12_BASE64:-}" ] || { echo "keychain.sh: no MACOS_CERT_P12_BASE64, nothing to import"; exit 0; }
keychain="${RUNNER_TEMP:-$(mktemp -d)}/overmax-signing.keychain-db"
kc_pass="$(uuidgen)"
p12="$(mktemp)"
trap 'rm -f "$p12"' EXIT
printf '%s' "$MACOS_CERT_P12_BASE64" | base64 --decode > "$p12"
security create-keychain -p "$kc_pass" "$keychain"
security set-keychain-settings -lut 3600 "$keychain"
security unlock-keychain -p "$kc_pass" "$keychain"
security import "$p12" -k "$keychain" -P "${MACOS_CERT_PASSWORD:-}" -T /usr/bin/codesign
security set-key-partition-list -S apple-tool:,apple: -s -k "$kc_pass" "$keychain" >/dev/null
# shellcheck disable=SC2046 - the existing keychains, word-split on purpose
security list-keychains -d user -s "$keychain" $(security list-keychains -d user | tr -d '"')
security find-identity -v -p codesigning "$keychain"
