#!/usr/bin/env bash
# Authenticode-signs the files given (Windows, Git Bash), driven by environment variables:
#   WINDOWS_CERT_FILE + WINDOWS_CERT_PASSWORD   a .pfx file and its password, or
#   WINDOWS_CERT_PFX_BASE64 + WINDOWS_CERT_PASSWORD   the same .pfx as base64 (CI secrets), or
#   WINDOWS_CERT_SHA1                           thumbprint of a certificate in the user's store (HSM/token)
#   WINDOWS_TIMESTAMP_URL                       RFC 3161 server (default http://timestamp.digicert.com)
#   SIGNTOOL                                    path to signtool.exe (default: from PATH or the Windows SDK)
#   OVERMAX_REQUIRE_SIGNING=1                   fail instead of leaving files unsigned (release builds)
# Without a certificate it says so and leaves the files unsigned (exit 0), so local builds work.
set -euo pipefail
[ "$#" -ge 1 ] || { echo "usage: sign.sh FILE..." >&2; exit 2; }

if [ -z "${WINDOWS_CERT_FILE:-}${WINDOWS_CERT_PFX_BASE64:-}${WINDOWS_CERT_SHA1:-}" ]; then
  if [ "${OVERMAX_REQUIRE_SIGNING:-}" = 1 ]; then
    echo "sign.sh: OVERMAX_REQUIRE_SIGNING=1 but no WINDOWS_CERT_* variable is set" >&2
    exit 1
  fi
  echo "sign.sh: no certificate configured, leaving unsigned: $*" >&2
  exit 0
fi

tool="${SIGNTOOL:-}"
if [ -z "$tool" ]; then
  tool="$(command -v signtool.exe || true)"
fi
if [ -z "$tool" ]; then
  tool="$(ls -1 "/c/Program Files (x86)/Windows Kits/10/bin/"*/x64/signtool.exe 2>/dev/null | sort -V | tail -1)"
fi
[ -n "$tool" ] || { echo "sign.sh: signtool.exe not found (set SIGNTOOL)" >&2; exit 1; }

args=(sign /fd sha256 /tr "${WINDOWS_TIMESTAMP_URL:-http://timestamp.digicert.com}" /td sha256
      /d "Overmax Pomoc Zdalna" /du "https://www.ov.overmax.eu/pomoc-zdalna")
cleanup=""
# the decoded certificate and its folder go whatever happens, from before the first byte is written
trap '[ -z "$cleanup" ] || rm -rf "$cleanup"' EXIT
if [ -n "${WINDOWS_CERT_SHA1:-}" ]; then
  args+=(/sha1 "$WINDOWS_CERT_SHA1")
else
  pfx="${WINDOWS_CERT_FILE:-}"
  if [ -z "$pfx" ]; then
    cleanup="$(mktemp -d)"  # readable by this user only
    pfx="$cleanup/cert.pfx"
    printf '%s' "$WINDOWS_CERT_PFX_BASE64" | base64 -d > "$pfx"
  fi
  # signtool takes a .pfx file's password only on its command line; a certificate in the user's store
  # (WINDOWS_CERT_SHA1, an HSM or token) needs none
  args+=(/f "$(cygpath -w "$pfx" 2>/dev/null || echo "$pfx")" /p "${WINDOWS_CERT_PASSWORD:-}")
fi

for file in "$@"; do
  win="$(cygpath -w "$file" 2>/dev/null || echo "$file")"
  # Timestamp servers fail now and then: three tries.
  for attempt in 1 2 3; do
    if "$tool" "${args[@]}" "$win" >/dev/null; then break; fi
    [ "$attempt" = 3 ] && { echo "sign.sh: signing failed: $file" >&2; exit 1; }
    sleep $((attempt * 5))
  done
  "$tool" verify /pa /q "$win"
  echo "signed $file"
done
