"""Build the Windows QuickSupport stand-in (a real PE32+ x86-64 program) from launcher/demo/windows/standin.c.

    python scripts/build_windows_standin.py [--out FILE]     prints the path of the built exe

The output is a build product (git-ignored) at launcher/demo/windows/TeamViewerQS.exe by default: there
`--demo` finds it in a source checkout, and the frozen Windows build bundles it at the same place inside
the package (`launcher.demo.windows_standin.STANDIN_EXE`). Needs Debian's mingw-w64
(`gcc-mingw-w64-x86-64`, installed by scripts/system-deps.sh). The build is reproducible (no link
timestamp): the same source and compiler give the same bytes.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SOURCE = REPO / "launcher" / "demo" / "windows" / "standin.c"
DEFAULT_OUTPUT = REPO / "launcher" / "demo" / "windows" / "TeamViewerQS.exe"
COMPILER = "x86_64-w64-mingw32-gcc"
CFLAGS = (
    "-std=c11", "-O2", "-Wall", "-Wextra", "-Werror",
    "-municode",  # wmain: arguments and paths as UTF-16, as Windows hands them over
    "-mwindows",  # GUI subsystem: no console window pops up when the launcher starts it
    "-s", "-Wl,--no-insert-timestamp",
)


class BuildError(RuntimeError):
    """The compiler is missing or refused the source (its message is in the text)."""


def compiler() -> str | None:
    """The mingw-w64 compiler's path, or None where it is not installed."""
    return shutil.which(COMPILER)


def build_standin(out: Path = DEFAULT_OUTPUT) -> Path:
    """Compile the stand-in to `out` (written atomically: a half-built exe never sits there); returns `out`.

    Raises BuildError when mingw-w64 is missing or the compile fails (warnings are errors).
    """
    cc = compiler()
    if cc is None:
        raise BuildError(f"{COMPILER} is not installed (Debian: apt-get install gcc-mingw-w64-x86-64)")
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=".standin-", suffix=".exe", dir=out.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        proc = subprocess.run([cc, *CFLAGS, "-o", str(tmp), str(SOURCE)], capture_output=True, text=True,
                              timeout=300, check=False)
        if proc.returncode != 0:
            raise BuildError(f"{COMPILER} failed:\n{proc.stderr.strip()}")
        os.chmod(tmp, 0o755)
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUTPUT, help=f"default: {DEFAULT_OUTPUT}")
    args = parser.parse_args(argv)
    try:
        print(build_standin(args.out))
    except BuildError as exc:
        print(f"ERROR: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
