#!/usr/bin/env bash
# Sets up everything on a fresh machine (first run only) and launches Overmax Pomoc Zdalna.
# Any arguments go to the app: ./run.sh --demo, ./run.sh doctor, ./run.sh --lang en ...
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
"$root/scripts/bootstrap.sh"
exec "$root/.venv/bin/python" -m launcher "$@"
