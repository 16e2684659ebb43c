"""A real process that owns a folder made by launcher.core.owned_folders, to be killed outright as Task Manager
or a crash would kill a launcher."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

# Makes the folder, puts a read-only TeamViewer log in it, says where, and waits for its input to end.
OWNER = """
import os, stat, sys
from pathlib import Path
from launcher.core import owned_folders
folder = owned_folders.create(Path(sys.argv[1]), sys.argv[2])
inner = folder.path / "teamviewerqs" / "logfiles"
inner.mkdir(parents=True)
(inner / "TeamViewer15_Logfile.log").write_text("who connected")
os.chmod(inner / "TeamViewer15_Logfile.log", stat.S_IREAD)
print(folder.path, flush=True)
sys.stdin.read()
"""


class FolderOwner:
    """`path`: the folder the process made under `parent` with `prefix`, its lock held while it lives."""

    def __init__(self, parent: Path, prefix: str) -> None:
        self.proc = subprocess.Popen([sys.executable, "-c", OWNER, str(parent), prefix], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True, cwd=REPO)
        line = self.proc.stdout.readline().strip()
        assert line, "the owner process did not make its folder"
        self.path = Path(line)

    def kill(self) -> None:
        self.proc.kill()  # SIGKILL / TerminateProcess: nothing of the owner runs after this
        self.proc.wait()

    def end(self) -> None:
        if self.proc.poll() is None:
            self.kill()
