"""Windows backend: QuickSupport's windows through UI Automation (comtypes), as `A11yNode` trees.

comtypes is imported only here and only on Windows; on other systems (and where it is missing) the
caller gets an ImportError and falls back to telling the customer where to read the password.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from launcher.core.quicksupport.a11y_tree import A11yNode

UIA_VALUE_PATTERN_ID = 10002
MAX_NODES = 600
MAX_DEPTH = 25


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
    """Top-level windows owned by `pids`, each as a tree."""
    uia, uia_mod = _client()
    walker = uia.RawViewWalker
    wanted, trees = set(pids), []
    window = walker.GetFirstChildElement(uia.GetRootElement())
    while window:
        if window.CurrentProcessId in wanted:
            trees.append(_node(window, walker, uia_mod, 0, [MAX_NODES]))
        window = walker.GetNextSiblingElement(window)
    return trees
