"""Windows: once QuickSupport starts, a report Windows Error Reporting makes of this process holds no heap
(WerSetFlags(WER_FAULT_REPORTING_FLAG_NOHEAP), launcher.core.crash_dumps): the heap is where the password's
text lives. For this process only; nothing is written to the registry. Each check in a fresh interpreter."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from launcher.core.crash_dumps import WER_FAULT_REPORTING_FLAG_NOHEAP

REPO = Path(__file__).resolve().parents[2]
CODE = """
import ctypes, json
from ctypes import wintypes
from launcher.core.crash_dumps import keep_out_of_crash_dumps
done = keep_out_of_crash_dumps()
kernel32 = ctypes.windll.kernel32
kernel32.WerGetFlags.argtypes = [wintypes.HANDLE, ctypes.POINTER(wintypes.DWORD)]
flags = wintypes.DWORD(0)
result = kernel32.WerGetFlags(kernel32.GetCurrentProcess(), ctypes.byref(flags)) & 0xFFFFFFFF
print(json.dumps([done, result, flags.value]))
"""


def _run() -> tuple[list[str], int, int]:
    """(what keep_out_of_crash_dumps says is in force, WerGetFlags' HRESULT, the flags it read)."""
    out = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True, timeout=120, check=True,
                         env={**os.environ, "PYTHONPATH": str(REPO)}).stdout
    done, result, flags = json.loads(out)
    return done, result, flags


def test_the_heap_is_kept_out_of_error_reports():
    done, _result, _flags = _run()
    assert done == ["no heap in error reports"]  # WerSetFlags answered S_OK


@pytest.mark.wine_gap("Wine's WerGetFlags is not implemented (E_NOTIMPL): the flag cannot be read back")
def test_windows_error_reporting_reads_the_flag_back():
    _done, result, flags = _run()
    assert result == 0 and flags & WER_FAULT_REPORTING_FLAG_NOHEAP
