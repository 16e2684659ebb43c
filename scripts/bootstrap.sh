#!/usr/bin/env bash
# Creates .venv (once) and installs the project with its dev tools into it; rebuilds the translations.
# Idempotent and quiet: pip's output goes to .venv/install.log and is shown only if it fails.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
py="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$py" -m venv .venv
fi
stamp=.venv/.installed-stamp
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  echo "Installing dependencies into .venv (first run only)..." >&2
  if ! { .venv/bin/python -m pip install -q --upgrade pip && .venv/bin/python -m pip install -q -e ".[dev]"; } \
      >.venv/install.log 2>&1; then
    cat .venv/install.log >&2
    echo "bootstrap: installing the dependencies failed (log above, also in .venv/install.log)" >&2
    exit 1
  fi
  touch "$stamp"
fi
# The .qm translations are build products: rebuilt from resources/translations/*.ts every time.
.venv/bin/python scripts/translations.py build >/dev/null
