"""macOS backend: QuickSupport's windows through the Accessibility API (pyobjc), as `A11yNode` trees.

Reading another app's window needs the Accessibility permission for the launcher (System Settings >
Privacy & Security > Accessibility); `permitted()` tells the UI whether to explain that. pyobjc is
imported only here, only on macOS.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from launcher.core.quicksupport.a11y_tree import A11yNode

MAX_NODES = 600
MAX_DEPTH = 25


def permitted(prompt: bool = False) -> bool:
    """True if this process may read other apps' windows; `prompt` asks macOS to show its dialog."""
    import ApplicationServices as AS  # type: ignore[import-not-found]  # noqa: N812

    if prompt:
        return bool(AS.AXIsProcessTrustedWithOptions({AS.kAXTrustedCheckOptionPrompt: True}))
    return bool(AS.AXIsProcessTrusted())


def _attr(element: Any, name: str) -> Any:
    import ApplicationServices as AS  # type: ignore[import-not-found]  # noqa: N812

    err, value = AS.AXUIElementCopyAttributeValue(element, name, None)
    return value if err == 0 else None


def _node(element: Any, depth: int, budget: list[int]) -> A11yNode:
    budget[0] -= 1
    value = _attr(element, "AXValue")
    node = A11yNode(
        role=str(_attr(element, "AXRole") or ""),
        name=str(_attr(element, "AXTitle") or _attr(element, "AXDescription") or ""),
        value=value if isinstance(value, str) else "",
        automation_id=str(_attr(element, "AXIdentifier") or ""),
    )
    if depth < MAX_DEPTH:
        for child in _attr(element, "AXChildren") or []:
            if budget[0] <= 0:
                break
            node.children.append(_node(child, depth + 1, budget))
    return node


def snapshot(pids: Sequence[int]) -> list[A11yNode]:
    import ApplicationServices as AS  # type: ignore[import-not-found]  # noqa: N812

    if not permitted():
        return []
    return [_node(AS.AXUIElementCreateApplication(pid), 0, [MAX_NODES]) for pid in pids]
