"""A launcher ended outright (Task Manager's "End task", a crash, the power button held) leaves its single-instance
lock file behind in the Polish profile's Local AppData: the next start must come up as the only launcher, not
say APP-RUNNING for a launcher that no longer exists. The window runs offscreen (Wine has no windows
platform), with the real lock (QLockFile: Windows' share modes decide whether its holder lives) and the real
come-forward pipe.
"""

from __future__ import annotations

import os
import sys

import pytest

from tests.support.polling import wait_until
from tests.windows.test_polish_paths_windows import (  # noqa: F401 - `profile` is a fixture
    Profile,
    _launcher_log,
    launcher_command,
    profile,
)

pytestmark = pytest.mark.skipif(sys.platform != "win32", reason="the Windows suite: scripts/windows-lane.sh test")


def _painted_times(place: Profile) -> int:
    return _launcher_log(place).count("first window painted")


def test_a_launcher_ended_outright_leaves_a_lock_the_next_start_replaces(profile):  # noqa: F811
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    first = launcher_command("--lang", "pl", cwd=profile.downloads, env=env)
    try:
        assert wait_until(lambda: _painted_times(profile) == 1 or first.poll() is not None, 120), \
            "the first launcher never came up"
        assert first.poll() is None, first.stderr.read().decode("utf-8", "replace")
    finally:
        first.kill()  # TerminateProcess: nothing of the launcher's own clean-up runs
        first.communicate()
    locks = list(profile.user_data.glob("*.lock"))
    assert locks, list(profile.user_data.iterdir())  # left behind, as after a crash
    again = launcher_command("--lang", "pl", cwd=profile.root, env=env)
    try:
        assert wait_until(lambda: _painted_times(profile) == 2 or again.poll() is not None, 120), \
            "the next start never came up"
        assert again.poll() is None, again.communicate()[1].decode("utf-8", "replace")
        assert "running without" not in _launcher_log(profile)
        # and the new holder's lock is a real one: a third start is turned away
        third = launcher_command("--lang", "en", cwd=profile.downloads, env=env)
        out, err = third.communicate(timeout=120)
        assert third.returncode == 1 and b"ERROR APP-RUNNING" in err, (out + err).decode("utf-8", "replace")
    finally:
        again.kill()
        again.communicate()


def test_a_double_double_click_runs_one_launcher(profile):  # noqa: F811
    """Two starts at the same moment (a customer double-clicks twice, or the icon and the shortcut): exactly one
    comes up, the other says APP-RUNNING (exit 1) and the one that came up is asked to come forward."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    starts = [launcher_command("--lang", "pl", cwd=profile.downloads, env=env) for _ in range(2)]
    try:
        assert wait_until(lambda: any(p.poll() is not None for p in starts), 120), "neither start gave way"
        gave_way = [p for p in starts if p.poll() is not None]
        assert len(gave_way) == 1
        out, err = gave_way[0].communicate()
        assert gave_way[0].returncode == 1 and b"ERROR APP-RUNNING" in err, (out + err).decode("utf-8", "replace")
        assert wait_until(lambda: _painted_times(profile) == 1 and "this window comes forward" in _launcher_log(
            profile), 120), _launcher_log(profile)
        assert all(p.poll() is None for p in starts if p is not gave_way[0])
        assert "running without" not in _launcher_log(profile)
    finally:
        for proc in starts:
            proc.kill()
            proc.communicate()
