"""Build the --demo QuickSupport artifact: a teamviewer_qs.tar.gz shaped like the real Linux one.

Its entry `teamviewerqs/teamviewer` is a POSIX sh script that execs Python with the stand-in module
(or, in the frozen app, the launcher itself with `demo-standin`), passing its own folder as --root.
It goes through exactly the production path: signed manifest, hash, safe unpack, launch.
"""

from __future__ import annotations

import io
import os
import shlex
import sys
import tarfile
import time
from collections.abc import Sequence
from pathlib import Path

import launcher
from launcher.core.fsutil import atomic_write_bytes

ARTIFACT_NAME = "teamviewer_qs.tar.gz"
ENTRY = "teamviewerqs/teamviewer"


def entry_script(python_exe: str | None = None, standin_args: Sequence[str] = ()) -> str:
    frozen = getattr(sys, "frozen", False) and python_exe is None
    if frozen:
        command = f"exec {shlex.quote(sys.executable)} demo-standin"
        pythonpath = ""
    else:
        command = f"exec {shlex.quote(python_exe or sys.executable)} -m launcher.demo.standin"
        source_root = str(Path(launcher.__file__).resolve().parent.parent)  # so a source checkout imports
        pythonpath = f'PYTHONPATH={shlex.quote(source_root)}${{PYTHONPATH:+:$PYTHONPATH}}\nexport PYTHONPATH\n'
    return (
        "#!/bin/sh\n"
        "# Overmax Pomoc Zdalna: DEMO stand-in for TeamViewer QuickSupport (not TeamViewer).\n"
        'here=$(cd "$(dirname "$0")" && pwd) || exit 1\n'
        'cd "$here" || exit 1\n'
        f"{pythonpath}"
        f'{command} --root "$here"{"".join(" " + shlex.quote(a) for a in standin_args)} "$@"\n'
    )


def build_standin_artifact(out_dir: Path, python_exe: str | None = None,
                           standin_args: Sequence[str] = ()) -> tuple[Path, str]:
    """Write out_dir/teamviewer_qs.tar.gz; returns (its path, its entry). `standin_args` go to the stand-in
    (launcher.demo.standin's options, e.g. `--join-after 1 --leave-after 3`)."""
    script = entry_script(python_exe, standin_args).encode()
    buf = io.BytesIO()
    now = int(time.time())
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        folder = tarfile.TarInfo("teamviewerqs")
        folder.type, folder.mode, folder.mtime = tarfile.DIRTYPE, 0o755, now
        tar.addfile(folder)
        info = tarfile.TarInfo(ENTRY)
        info.size, info.mode, info.mtime = len(script), 0o755, now
        tar.addfile(info, io.BytesIO(script))
        readme = b"DEMO: a stand-in for TeamViewer QuickSupport used by Overmax Pomoc Zdalna --demo.\n"
        note = tarfile.TarInfo("teamviewerqs/README-DEMO.txt")
        note.size, note.mode, note.mtime = len(readme), 0o644, now
        tar.addfile(note, io.BytesIO(readme))
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / ARTIFACT_NAME
    atomic_write_bytes(path, buf.getvalue())
    if os.name == "posix":
        os.chmod(path, 0o644)
    return path, ENTRY
