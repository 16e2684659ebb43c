"""The real-window tests' screen (tests/support/xserver.py): a screen that does not come up is tried once more,
and then the error says what Xvfb and the window manager printed (a bare "did not start" after 20 s told
nothing when CI's openbox once failed)."""

from __future__ import annotations

import shutil

import pytest

import tests.support.xserver as xserver

pytestmark = pytest.mark.skipif(shutil.which("Xvfb") is None or shutil.which("xprop") is None,
                                reason="needs Xvfb and xprop (scripts/system-deps.sh)")


def test_a_window_manager_that_cannot_start_is_tried_twice_and_its_words_reported(monkeypatch):
    starts = []
    real = xserver._dies_with_us

    def failing_wm(cmd: list[str]) -> list[str]:
        if cmd[0] == "openbox":
            starts.append(cmd)
            return ["sh", "-c", "echo 'Openbox-Message: cannot open display' >&2; exit 3"]
        return real(cmd)

    monkeypatch.setattr(xserver, "_dies_with_us", failing_wm)
    with pytest.raises(xserver.ScreenFailed) as failed, xserver.virtual_screen(640, 480):
        pass
    assert len(starts) == 2
    assert str(failed.value).count("openbox exit 3: Openbox-Message: cannot open display") == 2


@pytest.mark.skipif(shutil.which("openbox") is None, reason="needs openbox (scripts/system-deps.sh)")
def test_a_screen_that_fails_once_comes_up_the_second_time(monkeypatch):
    real = xserver._dies_with_us
    failed_once: list[bool] = []

    def wm_failing_first(cmd: list[str]) -> list[str]:
        if cmd[0] == "openbox" and not failed_once:
            failed_once.append(True)
            return ["sh", "-c", "exit 1"]
        return real(cmd)

    monkeypatch.setattr(xserver, "_dies_with_us", wm_failing_first)
    with xserver.virtual_screen(640, 480) as display:
        assert xserver._wm_running(display)
    assert failed_once
