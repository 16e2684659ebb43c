#!/usr/bin/env bash
# The frozen Windows app and its per-user setup, built on Linux: PyInstaller runs under Wine with the
# Windows lane's CPython (scripts/windows-lane.sh) on the real build_spec.spec; Debian's makensis makes
# the setup from that onedir.
#
#   installer/windows/build-under-wine.sh      -> dist/windows/OvermaxPomocZdalna/ (the onedir app)
#                                                 dist/windows/OvermaxPomocZdalna-<v>-setup.exe
#
# The setup is built for 64-bit Windows (NSIS_TARGET=amd64-unicode): the app inside is x64 anyway, and
# Debian's Wine runs only 64-bit programs here (no wine32). Nothing is signed (no certificate here; see
# installer/README.md). Prints the time of each step and the sizes; exit 0 only if everything was built
# and the onedir holds no Wine-made DLL.
set -euo pipefail
{ # parse the whole body first: editing this file mid-build is safe
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
say() { echo "build-under-wine: $*" >&2; }
die() { say "$*"; exit 1; }
t0=$(date +%s)
lap() { say "$1 ($(( $(date +%s) - t0 )) s so far)"; }

scripts/windows-lane.sh setup
# makensis makes the setup at the end: installed now (Debian's nsis), not found missing after the long build
command -v makensis >/dev/null || scripts/apt-install.sh nsis >&2 || true
command -v makensis >/dev/null || die "makensis (Debian's nsis) is needed for the setup and could not be installed"
# shellcheck source=../../scripts/windows-lane/env.sh
source scripts/windows-lane/env.sh
trap '"$WINESERVER" -k 2>/dev/null || true' EXIT

# PyInstaller and its Windows-only needs, from the project's `build` extra (pefile and pywin32-ctypes are
# declared for Windows only, and `pip download --platform win_amd64` judges markers as Linux: named here).
build_reqs="$WINDOWS_LANE_DIR/build-requirements.txt"
.venv/bin/python - pyproject.toml >"$build_reqs" <<'EOF'
import sys, tomllib
project = tomllib.load(open(sys.argv[1], "rb"))["project"]
print("\n".join(project["optional-dependencies"]["build"] + ["pefile>=2022.5.30", "pywin32-ctypes>=0.2.1"]))
EOF
stamp="$WINDOWS_LANE_DIR/python/.build-tools-$(sha256sum "$build_reqs" | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  wheels="$WINDOWS_LANE_DIR/wheels"
  .venv/bin/python -m pip download -q --platform win_amd64 --only-binary=:all: --python-version 3.11 \
    --implementation cp -d "$wheels" -r "$build_reqs" >"$WINDOWS_LANE_DIR/build-tools-download.log" 2>&1 \
    || { cat "$WINDOWS_LANE_DIR/build-tools-download.log" >&2; die "could not download PyInstaller's wheels"; }
  winpy -m pip --isolated --disable-pip-version-check install -q --no-index \
    --find-links "Z:${wheels//\//\\}" -r "Z:${build_reqs//\//\\}" >"$WINDOWS_LANE_DIR/build-tools-install.log" 2>&1 \
    || { cat "$WINDOWS_LANE_DIR/build-tools-install.log" >&2; die "could not install PyInstaller under Wine"; }
  rm -f "$WINDOWS_LANE_DIR"/python/.build-tools-*
  touch "$stamp"
fi
lap "lane ready, PyInstaller installed"

version="$(.venv/bin/python -c 'import launcher; print(launcher.__version__)')"
app_id="$(.venv/bin/python -c 'import launcher; print(launcher.APP_ID)')"
out="$root/dist/windows"
app_dir="$out/$app_id"
setup_exe="$out/$app_id-$version-setup.exe"
work="$root/build/pyinstaller-windows"
rm -rf "$app_dir" "$setup_exe" "$out/BUILT-FROM.sha256"
mkdir -p "$out"

# The --demo QuickSupport stand-in (mingw-w64, Linux side): the spec bundles it (installer/pyi_windows.py).
.venv/bin/python scripts/build_windows_standin.py >/dev/null

# The .qm files are built (not committed); lrelease runs on Linux, the files are the same everywhere.
.venv/bin/python scripts/translations.py build >/dev/null

winpath() { echo "Z:${1//\//\\}"; }
log="$out/pyinstaller.log"
if ! winpy -m PyInstaller --noconfirm --clean --log-level WARN \
    --distpath "$(winpath "$out")" --workpath "$(winpath "$work")" "$(winpath "$root/build_spec.spec")" \
    >"$log" 2>&1; then
  tail -40 "$log" >&2
  die "PyInstaller failed under Wine (log: $log)"
fi
grep '^pyi_qt:' "$log" >&2 || true
[ -f "$app_dir/$app_id.exe" ] || die "PyInstaller made no $app_dir/$app_id.exe (log: $log)"
[ -f "$app_dir/$app_id-cli.exe" ] || die "PyInstaller made no $app_dir/$app_id-cli.exe, the console twin (log: $log)"
lap "PyInstaller onedir built: $(du -sm "$app_dir" | cut -f1) MiB"

# Wine's own DLLs (builtin or placeholder) must never reach a customer: PyInstaller resolves what a
# binary imports from the building system, and under Wine that system is Wine.
wine_made="$(grep -rlaE 'Wine (builtin|placeholder) DLL' "$app_dir" || true)"
[ -z "$wine_made" ] || die "Wine's own DLLs were collected into the app: $wine_made"
[ -f "$app_dir/_internal/launcher/demo/windows/TeamViewerQS.exe" ] || die "the --demo stand-in is not in the app"
# ... and python311.dll's C++ runtime must sit beside it (installer/pyi_windows.py).
for dll in vcruntime140.dll vcruntime140_1.dll; do
  [ -n "$(find "$app_dir/_internal" -maxdepth 1 -iname "$dll")" ] || die "$dll is missing from $app_dir/_internal"
done

NSIS_TARGET=amd64-unicode OUTFILE="$setup_exe" installer/windows/build.sh "$app_dir" "$version" >&2
lap "setup built: $setup_exe $(du -k "$setup_exe" | cut -f1) KiB"
# which sources these were built from: tests that run them skip (CI: fail) once the checkout has changed
.venv/bin/python -m tests.support.build_stamp write "$out" >/dev/null
echo "$setup_exe"
exit 0
}
