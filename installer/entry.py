"""PyInstaller entry point: a top-level script, so `launcher/` itself never lands on sys.path."""

import sys

from launcher.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
