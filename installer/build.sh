#!/usr/bin/env bash
# Builds Overmax Pomoc Zdalna for the current OS into dist/ — the one documented build command:
#
#   installer/build.sh              frozen app (dist/OvermaxPomocZdalna/), self-test, then this OS's packages:
#                                   Linux .deb + .tar.xz, Windows setup .exe (NSIS), macOS .dmg
#   installer/build.sh --app-only   frozen app and its self-test, no packages
#   installer/build.sh --baseline   also freeze the minimal PySide6 window the benchmarks compare against
#
# Needs the venv (scripts/bootstrap.sh) and, for packages, the tools installer/ci-deps.sh installs.
# Signing is driven by the environment; see installer/windows/sign.sh and installer/macos/*.sh.
set -euo pipefail
{ # bash reads scripts as it runs them: parse the whole body first, so editing this file mid-build is safe
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

app_only=0
baseline=0
for arg in "$@"; do
  case "$arg" in
    --app-only) app_only=1 ;;
    --baseline) baseline=1 ;;
    *) echo "usage: installer/build.sh [--app-only] [--baseline]" >&2; exit 2 ;;
  esac
done

case "$(uname -s)" in
  Linux*) os=linux; py_default=.venv/bin/python ;;
  Darwin*) os=macos; py_default=.venv/bin/python ;;
  MINGW*|MSYS*|CYGWIN*) os=windows; py_default=.venv/Scripts/python.exe ;;
  *) echo "unsupported OS: $(uname -s)" >&2; exit 2 ;;
esac
py="${PYTHON:-$py_default}"
command -v "$py" >/dev/null || scripts/bootstrap.sh
"$py" -c "import PyInstaller" 2>/dev/null || "$py" -m pip install -q "pyinstaller>=6.6"

version="$("$py" -c 'import launcher; print(launcher.__version__)')"
app_id="$("$py" -c 'import launcher; print(launcher.APP_ID)')"
export OVERMAX_VERSION="$version" OVERMAX_APP_ID="$app_id"
echo "== building $app_id $version for $os"
# which sources dist/ was built from (tests/support/build_stamp.py): written once the app is built and has passed
# its self-test; the benchmarks refuse to time a frozen app the checkout has changed since
rm -f dist/BUILT-FROM.sha256

# Translations: .ts sources are committed, .qm files are built (and ignored by git).
if [ -f scripts/translations.py ] && compgen -G "resources/translations/*.ts" >/dev/null; then
  "$py" scripts/translations.py build
fi

if [ "$os" = windows ]; then  # the --demo QuickSupport stand-in, bundled by the spec (needs mingw-w64)
  "$py" scripts/build_windows_standin.py || echo "warning: no Windows stand-in: this build's --demo will not run" >&2
fi

"$py" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath dist --workpath build/pyinstaller build_spec.spec

if [ "$os" = macos ]; then
  app_dir="dist/Overmax Pomoc Zdalna.app"
  exe="$app_dir/Contents/MacOS/$app_id"
else
  app_dir="dist/$app_id"
  exe="$app_dir/$app_id"
  [ "$os" = windows ] && exe="$exe.exe"
fi

echo "== self-test of the frozen app"
QT_QPA_PLATFORM=offscreen "$exe" --self-test
QT_QPA_PLATFORM=offscreen "$exe" --self-test --lang en >/dev/null
if [ "$os" = linux ]; then  # the whole flow, frozen, against the demo server and stand-in (Linux-only)
  QT_QPA_PLATFORM=offscreen "$exe" --self-test --demo >/dev/null
fi

if [ "$baseline" = 1 ]; then
  echo "== minimal PySide6 window, frozen the same way (benchmark baseline)"
  "$py" -m PyInstaller --noconfirm --clean --log-level WARN \
    --distpath dist/perf --workpath build/pyinstaller-perf tests/perf/minimal_window.spec
fi

"$py" -m tests.support.build_stamp write dist >/dev/null

[ "$app_only" = 1 ] && exit 0

case "$os" in
  linux) installer/linux/build.sh "$app_dir" "$version" ;;
  windows) installer/windows/build.sh "$app_dir" "$version" ;;
  macos) installer/macos/build.sh "$app_dir" "$version" ;;
esac
echo "== done:"
ls -l dist | grep -v '^total'
exit 0
}
