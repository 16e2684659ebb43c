#!/usr/bin/env bash
# Notarizes and staples a signed .dmg (or .zip/.pkg), driven by the environment. Either an App Store
# Connect API key:   APPLE_API_KEY_PATH (.p8 file) + APPLE_API_KEY_ID + APPLE_API_ISSUER
# or an Apple ID:    APPLE_ID + APPLE_TEAM_ID + APPLE_APP_PASSWORD (app-specific password).
# Without credentials it says so and does nothing (exit 0), unless OVERMAX_REQUIRE_SIGNING=1.
#   installer/macos/notarize.sh dist/OvermaxPomocZdalna-0.1.0.dmg
set -euo pipefail
file="$1"
if [ -n "${APPLE_API_KEY_PATH:-}" ]; then
  auth=(--key "$APPLE_API_KEY_PATH" --key-id "$APPLE_API_KEY_ID" --issuer "$APPLE_API_ISSUER")
elif [ -n "${APPLE_ID:-}" ]; then
  auth=(--apple-id "$APPLE_ID" --team-id "$APPLE_TEAM_ID" --password "$APPLE_APP_PASSWORD")
else
  if [ "${OVERMAX_REQUIRE_SIGNING:-}" = 1 ]; then
    echo "notarize.sh: OVERMAX_REQUIRE_SIGNING=1 but no APPLE_* credentials are set" >&2
    exit 1
  fi
  echo "notarize.sh: no Apple credentials, not notarizing $file" >&2
  exit 0
fi
xcrun notarytool submit "$file" "${auth[@]}" --wait --timeout 30m
xcrun stapler staple "$file"
xcrun stapler validate "$file"
spctl --assess --type open --context context:primary-signature --verbose=2 "$file" || true
echo "notarized and stapled $file"
