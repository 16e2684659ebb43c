#!/usr/bin/env bash
# Windows installer from the frozen onedir app (run in Git Bash; needs makensis, see installer/ci-deps.sh):
#   installer/windows/build.sh dist/OvermaxPomocZdalna 0.1.0
# Environment: OUTFILE (default dist/OvermaxPomocZdalna-<v>-setup.exe), NSIS_TARGET (see below).
# Signs every unsigned PE file of the app first (unsigned_pe.py) and the installer + uninstaller through
# makensis (sign.sh).
# Also runs on Linux with Debian's nsis to compile-check the script (nothing is signed there).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
app_dir="$(cd "$1" && pwd)"
version="$2"
out="${OUTFILE:-$root/dist/OvermaxPomocZdalna-$version-setup.exe}"

winpath() { cygpath -m "$1" 2>/dev/null || echo "$1"; }

defines=(-DVERSION="$version" -DSOURCE_DIR="$(winpath "$app_dir")" -DOUTFILE="$(winpath "$out")")
# NSIS_TARGET=amd64-unicode: a 64-bit setup (Debian's nsis has that stub; the official Windows build of NSIS
# ships only x86 ones). The default is NSIS's own (x86-unicode: runs on every Windows).
[ -n "${NSIS_TARGET:-}" ] && defines=("-XTarget $NSIS_TARGET" "${defines[@]}")
case "$(uname -s)" in
  MINGW*|MSYS*|CYGWIN*)
    # Every PE file of the app without a signature (our exes, and the extension modules and DLLs that come
    # unsigned: Smart App Control refuses to load an unsigned DLL even into a signed program); what its vendor
    # signed (python*.dll, Qt) keeps that signature.
    # (UTF-8 output: a Windows Python writes a pipe in the ANSI code page, which bash would misread in a folder
    # name with Polish letters)
    python="${PYTHON:-python}"
    PYTHONUTF8=1 "$python" "$here/unsigned_pe.py" -0 "$app_dir" | xargs -0 -r bash "$here/sign.sh"
    if [ "${OVERMAX_REQUIRE_SIGNING:-}" = 1 ] && [ -n "$(PYTHONUTF8=1 "$python" "$here/unsigned_pe.py" "$app_dir")" ]; then
      echo "build.sh: unsigned files left in $app_dir:" >&2
      PYTHONUTF8=1 "$python" "$here/unsigned_pe.py" "$app_dir" >&2
      exit 1
    fi
    # makensis runs this through cmd.exe: name this very bash, not whichever bash.exe is first in PATH.
    defines+=(-DSIGN_CMD="\"$(winpath "$BASH")\" \"$(winpath "$here/sign.sh")\"")
    ;;
esac
makensis -V2 -WX "${defines[@]}" "$here/installer.nsi"
echo "built $out ($(du -k "$out" | cut -f1) KiB)"
