#!/usr/bin/env bash
# macOS disk image from the frozen .app: sign (sign.sh), dmg with an Applications link (hdiutil),
# sign the dmg, notarize + staple (notarize.sh). All signing is driven by environment variables.
#   installer/macos/build.sh "dist/Overmax Pomoc Zdalna.app" 0.1.0
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
app="$1"
version="$2"
name="Overmax Pomoc Zdalna"
dmg="$root/dist/OvermaxPomocZdalna-$version-macos-$(uname -m).dmg"

"$here/sign.sh" "$app"
stage="$root/build/dmg"
rm -rf "$stage" "$dmg"
mkdir -p "$stage"
ditto "$app" "$stage/$(basename "$app")"
ln -s /Applications "$stage/Applications"
# ULMO (lzma) needs macOS 10.15+, below our LSMinimumSystemVersion of 11.0.
hdiutil create -volname "$name" -srcfolder "$stage" -fs HFS+ -format ULMO -ov "$dmg"
"$here/sign.sh" "$dmg"
"$here/notarize.sh" "$dmg"
echo "built $dmg ($(du -k "$dmg" | cut -f1) KiB)"
