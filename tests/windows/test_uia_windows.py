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


# Reading threads one after the other, as the launcher reads the password (each read on a new thread), each making
# a COM object, in a fresh Python where comtypes is first imported on the first reading thread, as in the app:
# `joined`, each thread joins COM's apartment first (uia.enter_com_apartment, what uia.snapshot does); `as before`,
# none does (comtypes' import joins only the first thread). Under Wine, which has no IUIAutomation,
# Scripting.FileSystemObject stands in for the UI Automation client: the rule is COM's own.
_READS_ON_THREADS = """
import json, sys, threading
from launcher.core.quicksupport import uia
outcomes = []

def read(join):
    try:
        joined = uia.enter_com_apartment() if join else False
        import comtypes, comtypes.client
        try:
            fso = comtypes.client.CreateObject("Scripting.FileSystemObject", dynamic=True)
            ok = bool(fso.FolderExists("C:\\\\windows"))
            del fso
            outcomes.append("read" if ok else "no-folder")
        finally:
            if joined:
                comtypes.CoUninitialize()
    except OSError as exc:
        outcomes.append(getattr(exc, "winerror", None) or repr(exc))

for _ in range(3):
    worker = threading.Thread(target=read, args=(sys.argv[1] == "joined",))
    worker.start()
    worker.join()
print(json.dumps(outcomes))
"""


def test_every_reading_thread_joins_com_before_using_it() -> None:
    """comtypes joins COM only on the thread that first imports it; every later password read (a new thread each
    time) failed to make the UI Automation client with CO_E_NOTINITIALIZED, so a password not ready at the first
    read was never shown. Each read now joins COM's multithreaded apartment first and leaves it after."""
    import json
    import subprocess
    from pathlib import Path

    outcomes = {}
    for mode in ("joined", "as before"):
        done = subprocess.run([sys.executable, "-c", _READS_ON_THREADS, mode], capture_output=True, text=True,
                              cwd=Path(__file__).resolve().parents[2], timeout=300)
        assert done.returncode == 0, done.stderr
        outcomes[mode] = json.loads(done.stdout.strip().splitlines()[-1])
    assert outcomes == {"joined": ["read"] * 3,
                        "as before": ["read", -2147221008, -2147221008]}, outcomes  # CO_E_NOTINITIALIZED
