"""PyInstaller entry point: a top-level script, so `launcher/` itself never lands on sys.path."""

import signal
import sys

# Ctrl+C while the program is still loading (the imports before main() runs) ends it at once and quietly,
# not with a KeyboardInterrupt traceback; main() takes the interrupt over (as `python -m launcher` does in
# launcher/__init__.py). An interrupt the parent set to be ignored stays ignored.
if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
    signal.signal(signal.SIGINT, signal.SIG_DFL)

from launcher.__main__ import main  # noqa: E402 - after the interrupt is settled

if __name__ == "__main__":
    sys.exit(main())
