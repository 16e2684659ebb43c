"""Windows backend: QuickSupport's windows through UI Automation (comtypes), as `A11yNode` trees.

comtypes is imported only here and only on Windows; on other systems (and where it is missing) the
caller gets an ImportError and falls back to telling the customer where to read the password.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

from launcher.core.quicksupport.a11y_tree import A11yNode

UIA_VALUE_PATTERN_ID = 10002
MAX_NODES = 600
MAX_DEPTH = 25
COINIT_MULTITHREADED = 0x0
RPC_E_CHANGED_MODE = -2147417850  # 0x80010106: the thread is in a single-threaded apartment already


class UiaReadFailed(RuntimeError):
    """Reading the windows failed; the message names the COM or comtypes error (its objects already released)."""


def enter_com_apartment() -> bool:
    """Join this thread to COM's multithreaded apartment (where Microsoft places UI Automation clients), as every
    thread that makes COM calls must: comtypes does it only for the thread that first imports it, and each
    password read runs on a thread of its own (from the second one on, making the client failed with
    CO_E_NOTINITIALIZED). Returns True when the caller must leave it with comtypes.CoUninitialize(); False when
    the thread already is in a single-threaded apartment (COM works there as it is)."""
    if not hasattr(sys, "coinit_flags"):
        # comtypes' documented switch, read when it is first imported: the importing thread joins the same apartment
        sys.coinit_flags = COINIT_MULTITHREADED  # type: ignore[attr-defined]
    import comtypes  # type: ignore[import-not-found]

    try:
        comtypes.CoInitializeEx(COINIT_MULTITHREADED)
    except OSError as exc:
        if getattr(exc, "winerror", None) == RPC_E_CHANGED_MODE:
            return False
        raise
    return True


def _client() -> tuple[Any, Any]:
    import comtypes.client  # type: ignore[import-not-found]

    # comtypes writes the Python it generates from a type library into its own package folder (for the installed
    # app: the program folder) and imports it from there on later runs. Kept in memory instead (comtypes'
    # documented gen_dir = None): the program folder stays as installed, a read-only one does not break the
    # read, and no code is ever loaded from a file that something other than the installer wrote.
    comtypes.client.gen_dir = None
    comtypes.client.GetModule("UIAutomationCore.dll")
    from comtypes.gen import UIAutomationClient as uia_mod  # type: ignore[import-not-found]

    uia = comtypes.client.CreateObject(uia_mod.CUIAutomation, interface=uia_mod.IUIAutomation)
    return uia, uia_mod


def _value(element: Any, uia_mod: Any) -> str:
    try:
        pattern = element.GetCurrentPattern(UIA_VALUE_PATTERN_ID)
        if not pattern:
            return ""
        return str(pattern.QueryInterface(uia_mod.IUIAutomationValuePattern).CurrentValue or "")
    except Exception:  # noqa: BLE001 - elements vanish and refuse patterns all the time
        return ""


def _node(element: Any, walker: Any, uia_mod: Any, depth: int, budget: list[int]) -> A11yNode:
    budget[0] -= 1
    node = A11yNode(
        role=str(element.CurrentLocalizedControlType or element.CurrentControlType),
        name=str(element.CurrentName or ""),
        value=_value(element, uia_mod),
        automation_id=str(element.CurrentAutomationId or ""),
    )
    if depth >= MAX_DEPTH:
        return node
    child = walker.GetFirstChildElement(element)
    while child and budget[0] > 0:
        node.children.append(_node(child, walker, uia_mod, depth + 1, budget))
        child = walker.GetNextSiblingElement(child)
    return node


def snapshot(pids: Sequence[int]) -> list[A11yNode]:
    """Top-level windows owned by `pids`, each as a tree (plain data: no COM object outlives the call). Runs on
    any thread; raises UiaReadFailed (or ImportError without comtypes)."""
    joined = enter_com_apartment()
    import comtypes

    failure = None
    try:
        trees = _snapshot(pids)
    except Exception as exc:  # noqa: BLE001 - reported below, once its traceback (and the COM objects its frames hold) is gone
        failure, trees = f"{type(exc).__name__}: {exc}", []
    if joined:
        comtypes.CoUninitialize()  # every COM object of this read has been released by now
    if failure is not None:
        raise UiaReadFailed(failure)
    return trees


def _snapshot(pids: Sequence[int]) -> list[A11yNode]:
    uia, uia_mod = _client()
    walker = uia.RawViewWalker
    wanted, trees = set(pids), []
    window = walker.GetFirstChildElement(uia.GetRootElement())
    while window:
        if window.CurrentProcessId in wanted:
            trees.append(_node(window, walker, uia_mod, 0, [MAX_NODES]))
        window = walker.GetNextSiblingElement(window)
    return trees
