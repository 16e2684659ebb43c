"""UI Automation, through which the launcher reads QuickSupport's password on Windows
(launcher/core/quicksupport/uia.py): comtypes must be installed with the launcher on Windows. It was not a
dependency, so every Windows install logged "accessibility snapshot failed: ModuleNotFoundError" and never
showed the password in large print."""

from __future__ import annotations

import sys

import pytest

pytestmark = pytest.mark.skipif(sys.platform != "win32", reason="the Windows suite: scripts/windows-lane.sh test")


def test_comtypes_is_installed_with_the_launcher() -> None:
    from importlib.metadata import requires

    import comtypes.client  # the backend's one import

    assert comtypes.client.CreateObject
    assert any(r.startswith("comtypes") for r in requires("overmax-pomoc-zdalna") or [])


@pytest.mark.wine_gap("Wine's uiautomationcore.dll carries only a private type library (UIA_wine_private), "
                      "without IUIAutomation, so comtypes cannot make the client")
def test_the_ui_automation_client_is_made_and_reads_the_desktop() -> None:
    from launcher.core.quicksupport import uia

    client, _module = uia._client()
    assert client.GetRootElement() is not None
