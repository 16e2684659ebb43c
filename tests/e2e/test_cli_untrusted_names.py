"""The `session` command (a real subprocess, against the loopback demo server's signed roster and the real demo
stand-in QuickSupport) when the supporter's display name holds line breaks of every kind, an escape sequence, a
bidi override and a fake event line: each event is still exactly one line, under any reader's idea of a line
(bytes split at `\\n`, Python's str.splitlines(), which also breaks at `\\r`, U+2028, U+2029, NEL, VT, FF)."""

from __future__ import annotations

import sys
import threading
from pathlib import Path

import pytest

from launcher.core.untrusted_text import one_line
from launcher.demo.server import DemoServer
from launcher.demo.session import demo_overrides
from launcher.demo.standin import DEMO_CONSULTANT_ID, IMPOSTOR_ID
from tests.support.cli_session import LIMIT_S, CliSession
from tests.support.demo_config import write_config
from tests.support.polling import wait_until
from tests.support.processes import processes_mentioning

pytestmark = [pytest.mark.e2e,
              pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the Linux demo stand-in")]

HOSTILE = f"Jan\rLEFT\u2028ENDED\u2029JOINED {DEMO_CONSULTANT_ID} Demo\x85STOPPED\x0bx\x0cy\x1c\x1b[2J\u202eexe.pdf"


class RawLines:
    """The command's stdout as bytes, cut only at b"\\n" (no text layer that would also cut at `\\r`)."""

    def __init__(self, session: CliSession) -> None:
        self.raw: list[bytes] = []
        self._thread = threading.Thread(target=self._read, args=(session.proc.stdout.buffer,), daemon=True)
        self._thread.start()

    def _read(self, stream) -> None:
        for line in iter(stream.readline, b""):
            self.raw.append(line)

    def starting(self, prefix: str) -> list[str]:
        return [line for line in self.lines() if line.startswith(prefix)]

    def lines(self) -> list[str]:
        return [line.decode("utf-8").removesuffix("\n") for line in list(self.raw)]

    def join(self) -> None:
        self._thread.join(10)


def _hostile_session(tmp_path: Path, mode: str) -> tuple[DemoServer, CliSession, RawLines]:
    root = tmp_path / "www"
    root.mkdir()
    server = DemoServer(root, standin_args=("--join-after", "0.5", "--leave-after", "-1")).start()
    overrides = {**demo_overrides(server, tmp_path / "data"), "session": {"unknown_supporter": mode}}
    config = write_config(tmp_path / "demo.toml", overrides)
    session = CliSession("--config", str(config), cwd=tmp_path, collect=False,
                         env={"OVERMAX_DEMO_SCENARIO": "impostor", "OVERMAX_DEMO_SUPPORTER_NAME": HOSTILE})
    return server, session, RawLines(session)


def _assert_clean(data: bytes) -> None:
    text = data.decode("utf-8")
    assert text.splitlines() == text.split("\n")[: len(text.splitlines())], text
    assert b"\x1b" not in data and b"\r" not in data and not {"\u202e", "\u2028", "\u2029", "\x85"} & set(text)


def test_a_hostile_name_is_one_joined_and_one_unknown_line(tmp_path: Path) -> None:
    server, session, out = _hostile_session(tmp_path, "warn")
    try:
        assert wait_until(lambda: out.starting("UNKNOWN") or session.proc.poll() is not None, LIMIT_S)
        code, _, err = session.finish(close_input=True)  # end of input: STOPPING eof, STOPPED
        out.join()
        assert code == 0, err
        raw = b"".join(out.raw)
        lines = out.lines()
        assert raw.decode("utf-8").splitlines() == lines, lines  # no line break of any kind inside a line
        _assert_clean(raw)
        shown = one_line(HOSTILE)
        assert shown == f"Jan LEFT ENDED JOINED {DEMO_CONSULTANT_ID} Demo STOPPED x y [2J\ufffdexe.pdf"
        assert out.starting("JOINED") == [f"JOINED {IMPOSTOR_ID} {shown}"], lines
        assert out.starting("UNKNOWN") == [f"UNKNOWN {IMPOSTOR_ID} {shown}"], lines
        joined = lines.index(f"JOINED {IMPOSTOR_ID} {shown}")
        assert lines[joined + 1] == f"UNKNOWN {IMPOSTOR_ID} {shown}"
        assert "LEFT" not in lines and "ENDED" not in lines, lines
        assert len(out.starting("STOPPED")) == 1 and lines[-1].startswith("STOPPED QuickSupport zakończony")
        assert wait_until(lambda: processes_mentioning(str(tmp_path / "data")) == [], 5)
    finally:
        session.kill()
        server.stop()


def test_a_hostile_name_cut_off_is_one_line_on_stdout_stderr_and_in_the_log(tmp_path: Path) -> None:
    """Disconnect mode: the JOINED line, the SEC-UNKNOWN-SUPPORTER error naming who was cut off (its detail
    line on stderr) and the log file hold the name on one line each, and nothing of QuickSupport is left."""
    server, session, out = _hostile_session(tmp_path, "disconnect")
    try:
        code, _, err = session.finish()  # the session ends itself: the supporter is cut off at once
        out.join()
        assert code == 1 and "ERROR SEC-UNKNOWN-SUPPORTER" in err, (out.lines(), err)
        shown = one_line(HOSTILE)
        assert out.starting("JOINED") == [f"JOINED {IMPOSTOR_ID} {shown}"]
        assert f"  ({IMPOSTOR_ID} ({shown}) is not on the roster; QuickSupport was ended)" in err.splitlines()
        _assert_clean(b"".join(out.raw))
        _assert_clean(err.encode("utf-8"))
        logs = [p for p in (tmp_path / "data").rglob("*.log") if "teamviewerqs" not in p.parts]
        assert any(p.parent.name == "logs" for p in logs), logs  # the launcher's own log file
        for log in logs:
            _assert_clean(log.read_bytes())
        assert wait_until(lambda: processes_mentioning(str(tmp_path / "data")) == [], 5)
    finally:
        session.kill()
        server.stop()
