"""The platform-neutral accessibility tree the OS backends (uia.py, ax.py, atspi.py) produce and
credentials.py searches; also the JSON shape of the recorded trees in tests/fixtures/a11y/."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any


@dataclass
class A11yNode:
    """One element of a window: its role ("text", "edit", "push button"...), name (label), value
    (shown text) and automation id (Windows UIA), with its children in screen order."""

    role: str
    name: str = ""
    value: str = ""
    automation_id: str = ""
    children: list[A11yNode] = field(default_factory=list)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> A11yNode:
        return cls(role=str(data.get("role", "")), name=str(data.get("name", "")),
                   value=str(data.get("value", "")), automation_id=str(data.get("automation_id", "")),
                   children=[cls.from_dict(c) for c in data.get("children", [])])

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"role": self.role}
        for key in ("name", "value", "automation_id"):
            if getattr(self, key):
                out[key] = getattr(self, key)
        if self.children:
            out["children"] = [c.to_dict() for c in self.children]
        return out

    def walk(self) -> Iterator[A11yNode]:
        yield self
        for child in self.children:
            yield from child.walk()
