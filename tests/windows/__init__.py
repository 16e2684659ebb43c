"""The Windows suite: runs under the official Windows CPython in Wine (scripts/windows-lane.sh test)."""
