#!/usr/bin/env bash
# Sets up everything on a fresh machine (first run only) and runs the whole test suite:
# lint (ruff), then pytest (unit, UI with pytest-qt offscreen, end to end). Extra arguments go to pytest.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$root"
scripts/bootstrap.sh
export QT_QPA_PLATFORM=offscreen
.venv/bin/ruff check .
exec .venv/bin/python -m pytest "$@"
