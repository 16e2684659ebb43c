# shellcheck shell=bash
# Source this file for the Windows lane's environment (after `scripts/windows-lane.sh setup`):
#   WINDOWS_LANE_DIR  the lane's folder, outside the checkout (default: the user's cache folder,
#                     overmax-windows-lane/<a hash of the checkout's path>; override before sourcing). Never
#                     inside the checkout: the Wine prefix links Z: to /, and setuptools (pip install -e .)
#                     walks the project folder following links, so it would walk the whole filesystem
#   WINEPREFIX        the lane's own Wine prefix, inside WINDOWS_LANE_DIR
#   WINEDLLOVERRIDES  no Mono/Gecko prompts; winemenubuilder off (no menu entries in the Linux home)
#   WINEDEBUG         quiet
#   WINE64            Debian's 64-bit loader (the plain `wine` wrapper asks for wine32)
#   WINESERVER        the prefix's server (`"$WINESERVER" -k` ends everything of the prefix)
#   WINPY             the Windows python.exe (Linux path); run it as `winpy ARGS...` (see below)
#   WINPY_WIN         the same as a Windows path (Z:\...)
#   OVERMAX_REPO      the repository root (Linux path)
#   WINE_LOCALE_ENV   "LOCPATH=... LC_ALL=pl_PL.UTF-8" once setup compiled that locale into the lane:
#                     Wine takes Windows' locale from the Unix one, so Wine runs as a Polish Windows
#                     (ANSI code page 1250, as customers have) and file names with Polish letters work
# and the function `winpy ARGS...`: runs the Windows python.exe under wine64 (as a Polish Windows) with
# stdout and stderr passed through pipes (python.exe fails at start when either is a regular file), standard
# input as a pipe where it is a file and empty where there is none, and returns its status. Never wrap it in `timeout`: that kills Wine's children and hides what a Job Object did.
_wl_here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export OVERMAX_REPO="${OVERMAX_REPO:-$(cd "$_wl_here/../.." && pwd)}"
export WINDOWS_LANE_DIR="${WINDOWS_LANE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/overmax-windows-lane/$(printf %s "$OVERMAX_REPO" | sha256sum | cut -c1-12)}"
export WINEPREFIX="$WINDOWS_LANE_DIR/prefix"
export WINEDLLOVERRIDES="mscoree,mshtml=;winemenubuilder.exe=d"
export WINEDEBUG=-all
export WINEARCH=win64
export WINE64="${WINE64:-/usr/lib/wine/wine64}"
export WINESERVER="${WINESERVER:-/usr/lib/wine/wineserver}"
export WINPY="$WINDOWS_LANE_DIR/python/cp311/python.exe"
export WINPY_WIN="Z:${WINPY//\//\\}"
export WINE_LOCALE_ENV=""
if [ -d "$WINDOWS_LANE_DIR/locale/pl_PL.UTF-8" ]; then
  WINE_LOCALE_ENV="LOCPATH=$WINDOWS_LANE_DIR/locale LC_ALL=pl_PL.UTF-8"
fi
unset _wl_here

winpy() {
  # python.exe cannot start with a closed standard input (CI may give none) or a regular file as one
  if ! [ -e /dev/stdin ]; then
    winpy "$@" </dev/null
    return
  fi
  if [ -f /dev/stdin ]; then
    cat | winpy "$@"
    return "${PIPESTATUS[1]}"
  fi
  # stdout and stderr that are one pipe, file or terminal (`2>&1`) stay one pipe: through two `cat`s an
  # ERROR line would overtake the event lines printed before it
  if [ /dev/stdout -ef /dev/stderr ]; then
    # shellcheck disable=SC2086 # WINE_LOCALE_ENV is a list of NAME=VALUE words without spaces
    env $WINE_LOCALE_ENV "$WINE64" "$WINPY" "$@" 2>&1 | cat
    return "${PIPESTATUS[0]}"
  fi
  # shellcheck disable=SC2086 # WINE_LOCALE_ENV is a list of NAME=VALUE words without spaces
  env $WINE_LOCALE_ENV "$WINE64" "$WINPY" "$@" 2> >(cat >&2) | cat
  return "${PIPESTATUS[0]}"
}
