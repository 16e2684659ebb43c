"""DESIGN.md's command-line output, pinned as scripts read it: `session` prints one line per event
(`ID 1 660 388 656`, `ONLINE`, `JOINED <tv id> <name>`, `LEFT`, `ENDED`), stops on `q` and then says nothing is
left (exit 0); `doctor` one line per probe (exit 0 only if all pass); failures `ERROR <CODE>: <sentence>` on
stderr, exit 1; usage errors exit 2. Real subprocesses against the loopback demo server and the real
stand-in (tests/windows/test_installed_app.py pins the same lines through the frozen Windows app)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.cli_session import CliSession

pytestmark = [pytest.mark.e2e,
              pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the Linux demo stand-in")]

REPO = Path(__file__).resolve().parents[2]
STOPPED = {
    "pl": "STOPPED QuickSupport zakończony, nic z niego już nie działa; konsultant nie może się ponownie "
          "połączyć.",
    "en": "STOPPED QuickSupport ended, nothing of it is left running; the consultant cannot reconnect.",
}
# `doctor`'s line for one probe, `session`'s with CHECK before it
PROBE_LINE = re.compile(r"^(OK  |FAIL) (dns|download|teamviewer) +\S.* \(\d+\.\d\d s\)( [A-Z]+-[A-Z0-9-]+)?( .*)?$")
ERROR_LINE = re.compile(r"^ERROR [A-Z]+(-[A-Z0-9]+)+: \S.*$")


@pytest.mark.parametrize("lang", ["pl", "en"])
def test_session_prints_the_design_event_lines_in_order_and_says_nothing_is_left(config_file, tmp_path, lang):
    session = CliSession("--config", str(config_file), "--lang", lang, cwd=tmp_path)
    try:
        session.wait_for("ENDED")  # the consultant left and the session ended: every event line is out
        session.quit()
        code, out, err = session.finish()
    finally:
        session.kill()
    assert code == 0 and err == "", err
    lines = out.splitlines()
    checks = [line for line in lines if line.startswith("CHECK ")]
    assert [line.split()[2] for line in checks] == ["dns", "download", "teamviewer"], lines
    assert all(PROBE_LINE.match(line.removeprefix("CHECK ")) for line in checks), checks
    verified = next(line for line in lines if line.startswith("VERIFIED "))
    assert re.fullmatch(r"VERIFIED 15\.0\.0\+demo sha256=[0-9a-f]{64}", verified), verified
    ident = next(line for line in lines if line.startswith("ID "))
    assert re.fullmatch(r"ID \d{1,3}( \d{3}){2,3}", ident) and len(ident.replace(" ", "")) - 2 in (9, 10), ident
    joined = next(line for line in lines if line.startswith("JOINED "))
    assert joined == "JOINED 1987654320 Demo Konsultant"  # <tv id> <name>, as the stand-in logged them
    order = [lines.index(x) for x in (checks[-1], verified, "STARTED", ident, joined, "LEFT", "ENDED", "STOPPING q")]
    assert order == sorted(order), lines
    assert lines.index("STARTED") < lines.index("ONLINE") < lines.index("LEFT")
    assert lines[-1] == STOPPED[lang]


def test_doctor_prints_one_line_per_probe_and_exits_0_only_if_all_pass(config_file, tmp_path):
    env = {"PYTHONPATH": str(REPO), "LANG": "pl_PL.UTF-8", "QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"}
    ok = subprocess.run([sys.executable, "-m", "launcher", "doctor", "--config", str(config_file)],
                        capture_output=True, text=True, timeout=60, env=env, cwd=tmp_path)
    assert ok.returncode == 0 and ok.stderr == "", ok.stderr
    assert [line.split()[1] for line in ok.stdout.splitlines()] == ["dns", "download", "teamviewer"]
    assert all(PROBE_LINE.match(line) and line.startswith("OK") for line in ok.stdout.splitlines()), ok.stdout
    failing = config_file.read_text(encoding="utf-8").replace('host = "127.0.0.1"', 'host = "127.0.0.1.invalid."')
    bad = tmp_path / "bad.toml"
    bad.write_text(failing, encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "launcher", "doctor", "--config", str(bad)],
                         capture_output=True, text=True, timeout=60, env=env, cwd=tmp_path)
    assert out.returncode == 1, out.stdout + out.stderr
    assert any(line.startswith("FAIL teamviewer") for line in out.stdout.splitlines()), out.stdout
    assert all(PROBE_LINE.match(line) for line in out.stdout.splitlines()), out.stdout
    assert ERROR_LINE.match(out.stderr.splitlines()[0]), out.stderr
