"""`python -m launcher session ...` as a real subprocess whose stdout lines a thread collects as they come."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import threading
from pathlib import Path

from tests.support.polling import wait_until

REPO = Path(__file__).resolve().parents[2]
LIMIT_S = 60.0


class CliSession:
    """One `session` run; `wait_for(prefix)` waits for a state (a line), never a time. Its environment is
    this test's (the QuickSupport family of launch.SCOPE_VAR included), plus `env`."""

    def __init__(self, *args: str, cwd: Path, env: dict | None = None) -> None:
        self.env = {**os.environ, "PYTHONPATH": str(REPO), "LANG": "pl_PL.UTF-8", "TMPDIR": str(cwd),
                    "QT_QPA_PLATFORM": "offscreen", **(env or {})}
        self.proc = subprocess.Popen([sys.executable, "-m", "launcher", "session", *args], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=self.env,
                                     cwd=cwd)
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))

    def wait_for(self, prefix: str, limit_s: float = LIMIT_S) -> str:
        def found():
            return next((line for line in self.lines if line.startswith(prefix)), None)

        wait_until(lambda: found() is not None or self.proc.poll() is not None, limit_s)
        if found() is None:
            wait_until(lambda: found() is not None, 2)  # printed just before it exited
        line = found()
        assert line is not None, f"no {prefix!r} line: {self.lines}\n{self.stderr()}"
        return line

    def quit(self) -> None:
        """`q`, as support staff end it."""
        with contextlib.suppress(BrokenPipeError, OSError, ValueError):
            self.proc.stdin.write("q\n")
            self.proc.stdin.flush()

    def finish(self, timeout: float = LIMIT_S) -> tuple[int, str, str]:
        """Wait for the end; (exit code, stdout, stderr)."""
        code = self.proc.wait(timeout=timeout)
        with contextlib.suppress(BrokenPipeError, OSError):
            self.proc.stdin.close()
        self._reader.join(10)
        return code, "\n".join(self.lines), self.stderr()

    def stderr(self) -> str:
        if self.proc.poll() is None:
            return "(still running)"
        return self.proc.stderr.read() if not self.proc.stderr.closed else ""

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
