"""DESIGN.md `[quicksupport] log_dirs`: extra folders to look for TeamViewer logs in. A real child process (a
QuickSupport whose log goes to a folder outside its own and outside the per-OS defaults, as an installed
TeamViewer's does) writes its ID there; the session learns it only when that folder is in the config's
`log_dirs`, read from a `--config` file through `start_session`'s own path (QuickSupportConfig)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from launcher.config import load_config
from launcher.core.quicksupport.launch import Prepared, child_env
from launcher.core.quicksupport.session import QuickSupportSession
from tests.support.polling import poll_until

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX paths in the TOML below")

REPO = Path(__file__).resolve().parents[2]
TV_ID = "1660388656"
# a QuickSupport that logs its ID into $1's folder, then waits to be ended
CHILD = (
    "import sys, time; from pathlib import Path; sys.path.insert(0, sys.argv[2]);"
    "from launcher.demo.standin import TvLogWriter;"
    "w = TvLogWriter(Path(sys.argv[1])); w.header();"
    f"w.line('Login::Identify::ManageLogin(): ID: {TV_ID} IC -2100253538 MIDv2');"
    "time.sleep(120)"
)


def session_for(tmp_path: Path, config_text: str, logs: Path) -> QuickSupportSession:
    root = tmp_path / "qs"
    root.mkdir()
    config_file = tmp_path / "c.toml"
    config_file.write_text(config_text, encoding="utf-8")
    qs = load_config(config_file).quicksupport
    prepared = Prepared(argv=[sys.executable, "-c", CHILD, str(logs), str(REPO)], cwd=root, root=root,
                        log_dirs=[root / "logfiles", root], env=child_env(), watch_dirs=[root])
    return QuickSupportSession(prepared, extra_log_dirs=qs.log_dirs, id_timeout_s=qs.id_timeout_s)


def test_a_log_in_a_log_dirs_folder_gives_the_id(tmp_path):
    logs = tmp_path / "Dzienniki TeamViewer"
    session = session_for(tmp_path, f'[quicksupport]\nlog_dirs = ["{logs}"]\n', logs)
    assert logs in session.log_dirs
    session.start()
    try:
        events = poll_until(session, "id")
        assert [e.tv_id for e in events if e.kind == "id"] == [TV_ID] and session.tv_id == TV_ID
    finally:
        session.stop(grace_s=0.5)


def test_without_it_the_same_log_is_not_found(tmp_path):
    logs = tmp_path / "Dzienniki TeamViewer"
    session = session_for(tmp_path, "[quicksupport]\nid_timeout_s = 5\n", logs)
    assert logs not in session.log_dirs
    session.start()
    try:
        kinds = [e.kind for e in poll_until(session, "no-id", 30)]
        assert "id" not in kinds and kinds[-1] == "no-id"
        assert (logs / "TeamViewer15_Logfile.log").is_file()  # it was written, only not where anyone looked
    finally:
        session.stop(grace_s=0.5)
