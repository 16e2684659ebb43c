"""Which sources a build in dist/ was made from, so that tests never judge the checkout by an older build.

A build script records the digest of the sources it built (`python -m tests.support.build_stamp write DIR`,
installer/windows/build-under-wine.sh does it for dist/windows); a test that runs that build asks
`stale_reason(DIR)` first and skips (or, where CI has just built it, fails) when the checkout has changed
since. Works the same under Linux Python and the lane's Windows Python (the files are read, not git's index).

The digest covers what a frozen build is made from: pyproject.toml, build_spec.spec and every file under
launcher/, resources/ and installer/, except build products derived from files that are covered themselves
(bytecode, the .qm translations built from the .ts files, the demo stand-in built from its C source).
"""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
STAMP_NAME = "BUILT-FROM.sha256"
SOURCE_FILES = ("pyproject.toml", "build_spec.spec")
SOURCE_DIRS = ("launcher", "resources", "installer")
DERIVED_SUFFIXES = {".pyc", ".pyo", ".qm", ".exe"}


def source_digest(root: Path = ROOT) -> str:
    """sha256 (hex) over the relative paths and contents of the build's sources under `root`.

    Raises OSError when a source file cannot be read."""
    paths = [root / name for name in SOURCE_FILES if (root / name).is_file()]
    for folder in SOURCE_DIRS:
        for dirpath, dirnames, filenames in os.walk(root / folder):
            dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
            paths.extend(Path(dirpath) / name for name in filenames if Path(name).suffix not in DERIVED_SUFFIXES)
    digest = hashlib.sha256()
    for path in sorted(paths, key=lambda p: p.relative_to(root).as_posix()):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def write(build_dir: Path, root: Path = ROOT) -> str:
    """Record in `build_dir` the digest of the sources now under `root`; returns it."""
    digest = source_digest(root)
    part = build_dir / (STAMP_NAME + ".part")
    part.write_text(digest + "\n", encoding="ascii")
    part.replace(build_dir / STAMP_NAME)
    return digest


def stale_reason(build_dir: Path, root: Path = ROOT) -> str | None:
    """None when `build_dir` was built from the sources now under `root`; else why it was not, in one line."""
    stamp = build_dir / STAMP_NAME
    try:
        recorded = stamp.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        return f"{build_dir} has no record of the sources it was built from (built before {STAMP_NAME} existed)"
    if recorded != source_digest(root):
        return f"{build_dir} was built from other sources than the checkout's (changed since the build)"
    return None


def require_current(build_dir: Path, root: Path = ROOT) -> None:
    """In a test: skip when the build in `build_dir` is older than the checkout (fail under CI's packaging run,
    OVERMAX_PACKAGING_TESTS=1, which has just built it: there it is a broken build, not an old one)."""
    import pytest

    reason = stale_reason(build_dir, root)
    if reason is None:
        return
    if os.environ.get("OVERMAX_PACKAGING_TESTS") == "1":
        pytest.fail(reason)
    pytest.skip(f"{reason}: scripts/windows-lane.sh build")


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in ("write", "check"):
        print("usage: python -m tests.support.build_stamp write|check BUILD_DIR", file=sys.stderr)
        return 2
    build_dir = Path(argv[1])
    if argv[0] == "write":
        print(write(build_dir))
        return 0
    reason = stale_reason(build_dir)
    if reason:
        print(reason, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
