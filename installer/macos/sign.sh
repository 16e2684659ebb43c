#!/usr/bin/env bash
# Signs a .app inside-out with the hardened runtime (needed for notarization), driven by the environment:
#   OVERMAX_CODESIGN_IDENTITY   "Developer ID Application: BrandLineGroup sp. z o.o. (TEAMID)"; empty = ad hoc ("-")
#   OVERMAX_ENTITLEMENTS        entitlements plist (default: installer/macos/entitlements.plist)
#   (CI: installer/macos/keychain.sh imports the identity first, before PyInstaller signs during the build)
#   OVERMAX_REQUIRE_SIGNING=1   fail instead of signing ad hoc (release builds)
#   installer/macos/sign.sh "dist/Overmax Pomoc Zdalna.app"
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
target="$1"
identity="${OVERMAX_CODESIGN_IDENTITY:-}"
entitlements="${OVERMAX_ENTITLEMENTS:-$here/entitlements.plist}"

if [ -z "$identity" ]; then
  if [ "${OVERMAX_REQUIRE_SIGNING:-}" = 1 ]; then
    echo "sign.sh: OVERMAX_REQUIRE_SIGNING=1 but OVERMAX_CODESIGN_IDENTITY is empty" >&2
    exit 1
  fi
  echo "sign.sh: no identity, signing ad hoc (runs locally, cannot be notarized)" >&2
  identity="-"
fi

opts=(--force --options runtime --sign "$identity")
[ "$identity" != "-" ] && opts+=(--timestamp)

if [ -d "$target" ] && [ "${target%.app}" != "$target" ]; then
  # Inside-out: every nested library first, then the executables with entitlements, then the bundle.
  find "$target/Contents" -type f \( -name '*.dylib' -o -name '*.so' \) -print0 | xargs -0 -r codesign "${opts[@]}"
  find "$target/Contents/Frameworks" -type d -name '*.framework' -prune -print0 2>/dev/null \
    | xargs -0 -r codesign "${opts[@]}"
  find "$target/Contents/MacOS" -type f -perm -u+x -print0 | xargs -0 codesign "${opts[@]}" --entitlements "$entitlements"
  codesign "${opts[@]}" --entitlements "$entitlements" "$target"
  codesign --verify --deep --strict --verbose=2 "$target"
else
  codesign "${opts[@]}" "$target"  # the .dmg
  codesign --verify --verbose=2 "$target"
fi
echo "signed $target with ${identity}"
