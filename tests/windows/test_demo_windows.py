"""`--demo` on Windows: the demo server serves the unsigned PE stand-in as `kind: exe` through the production
path, and its publisher exemption covers those bytes in that process alone.

The stand-in the demo serves is the build as the compiler made it (no TeamViewer signature, as on a
customer's Windows), here the lane's `standin/TeamViewerQS-unsigned.exe` (scripts/windows-lane.sh builds
it). WinVerifyTrust refuses it (0x800B0100, which Wine gives too), so the tests show both sides: the demo
runs it, and the same bytes without the demo's exemption are deleted, never run.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from launcher.core import publisher
from launcher.core.download import open_verified
from launcher.core.errors import LauncherError
from launcher.core.fetch import fetch_quicksupport
from launcher.core.quicksupport.launch import prepare
from launcher.core.quicksupport.session import QuickSupportSession
from launcher.demo import scenario, windows_standin
from launcher.demo.session import demo_environment
from tests.support.polling import poll_until
from tests.windows.standin_session import DEMO_OPTIONS, set_customer_home

pytestmark = pytest.mark.skipif(sys.platform != "win32", reason="the Windows suite: scripts/windows-lane.sh test")

OWN_ID = DEMO_OPTIONS["OVERMAX_DEMO_ID"]


@pytest.fixture
def demo_exe(monkeypatch: pytest.MonkeyPatch) -> Path:
    lane = os.environ.get("OVERMAX_WINDOWS_LANE_DIR", "")
    exe = Path(lane) / "standin" / "TeamViewerQS-unsigned.exe" if lane else windows_standin.STANDIN_EXE
    if not exe.is_file():
        pytest.skip(f"{exe} was not built: run the suite with scripts/windows-lane.sh test")
    monkeypatch.setattr(windows_standin, "STANDIN_EXE", exe)
    return exe


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """%TEMP% and %APPDATA% of this test (QuickSupport inherits them) and the stand-in's options."""
    folders = {"TEMP": tmp_path / "Temp Łódź", "APPDATA": tmp_path / "Roaming ż"}
    set_customer_home(monkeypatch, folders)
    return folders


def test_demo_runs_the_stand_in_through_the_production_path(demo_exe: Path, home: dict[str, Path]) -> None:
    with demo_environment() as (config, paths):
        verified = fetch_quicksupport(config, paths)  # signed manifest, size, sha256, publisher (exempt)
        assert verified.artifact.kind == "exe"
        assert verified.path.read_bytes() == demo_exe.read_bytes()
        session = QuickSupportSession(prepare(verified.path, verified.artifact, paths.runtime, open_verified))
        session.start()
        try:
            events = poll_until(session, "left", 30.0)
            assert session.tv_id == OWN_ID
            joined = next(e for e in events if e.kind == "joined")
            assert (joined.tv_id, joined.name) == (scenario.CONSULTANT_ID, scenario.CONSULTANT_NAME)
        finally:
            session.stop()
        assert session.pids == []
    assert not publisher._demo_exempt_sha256  # gone with the demo server


def test_the_demo_bytes_without_the_exemption_are_refused_by_winverifytrust(
        demo_exe: Path, home: dict[str, Path]) -> None:
    with demo_environment() as (config, paths):
        for sha in list(publisher._demo_exempt_sha256):
            publisher.withdraw_demo_exemption(sha)  # what any server other than --demo's gets
        with pytest.raises(LauncherError) as info:
            fetch_quicksupport(config, paths)
        assert info.value.code == "DL-PUBLISHER"
        assert "0x800B0100" in info.value.detail  # no signature
        assert not list(paths.cache.glob("*.exe"))
    assert not (home["TEMP"] / "TeamViewer").exists()  # never ran


def test_demo_without_the_stand_in_is_app_demo_standin(tmp_path: Path) -> None:
    """The real entry point in a process of its own, with the stand-in's path pointing nowhere."""
    code = ("import sys; from pathlib import Path; import launcher.demo.windows_standin as w; "
            f"w.STANDIN_EXE = Path({str(tmp_path / 'absent.exe')!r}); "
            "from launcher.__main__ import main; sys.exit(main(['--demo']))")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, encoding="utf-8",
                          env=env, timeout=120, check=False)
    assert proc.returncode == 1, proc.stderr
    assert proc.stderr.startswith("ERROR APP-DEMO-STANDIN: "), proc.stderr
    assert "Traceback" not in proc.stderr
