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


# Makes the UI Automation client with a copy of comtypes whose generated-code folder holds only its __init__.py,
# as the installed app's does, and prints what that folder holds afterwards.
_FRESH_COMTYPES = """
import json, os, sys
sys.path.insert(0, sys.argv[1])
import comtypes
assert os.path.dirname(comtypes.__file__) == os.path.join(sys.argv[1], "comtypes"), comtypes.__file__
from launcher.core.quicksupport import uia
try:
    uia._client()
    outcome = "made"
except Exception as exc:
    outcome = type(exc).__name__
print(json.dumps({"outcome": outcome, "gen": sorted(os.listdir(os.path.join(sys.argv[1], "comtypes", "gen")))}))
"""


def test_the_code_comtypes_generates_is_never_written_into_the_program_folder(tmp_path) -> None:
    """comtypes wrote the wrappers it generates from UIAutomationCore's type library into its own package folder:
    in the installed app that is the program folder (`_internal/comtypes/gen`), which then no longer held what the
    setup installed, and from which the generated code was imported on later runs. It stays in memory now."""
    import json
    import shutil
    import subprocess
    from pathlib import Path

    import comtypes

    copy = tmp_path / "site"
    shutil.copytree(Path(comtypes.__file__).parent, copy / "comtypes",
                    ignore=lambda folder, names: [n for n in names if Path(folder).name == "gen" and
                                                  n != "__init__.py"] + ["__pycache__"])
    assert sorted(p.name for p in (copy / "comtypes" / "gen").iterdir()) == ["__init__.py"]
    done = subprocess.run([sys.executable, "-c", _FRESH_COMTYPES, str(copy)], capture_output=True, text=True,
                          cwd=Path(__file__).resolve().parents[2], timeout=300)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    # made on Windows; under Wine the client cannot be made (see the wine_gap above), but the type library is
    # still turned into code first, which is what used to be written
    assert result["outcome"] in ("made", "ImportError"), result
    assert result["gen"] == ["__init__.py"], result
