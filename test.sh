#!/usr/bin/env bash
# Sets up everything on a fresh machine (first run only) and runs the whole test suite:
# lint (ruff), then pytest (unit, UI with pytest-qt offscreen, end to end). Extra arguments go to pytest.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$root"
scripts/bootstrap.sh
export QT_QPA_PLATFORM=offscreen
.venv/bin/ruff check .
for arg in "$@"; do
  case "$arg" in -*) ;; *) exec .venv/bin/python -m pytest "$@" ;; esac  # tests named: run just those
done
# The in-process UI modules (tests/ui) each get a process of their own: several of them in one process
# crash now and then inside Qt (QScreen::virtualSiblings during a new window's creation; cause not found
# yet, see the README's "Known problems"). Every module still runs; the suite fails if any part fails.
status=0
.venv/bin/python -m pytest --ignore=tests/ui "$@" || status=$?
for module in tests/ui/test_*.py; do
  rc=0
  .venv/bin/python -m pytest "$@" "$module" || rc=$?
  [ "$rc" = 0 ] || [ "$rc" = 5 ] || status=$rc  # 5: a -k filter left nothing in this module
done
exit "$status"
