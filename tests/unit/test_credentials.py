"""find_password over recorded accessibility trees from every platform, anchored on the ID from the log."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from launcher.core.quicksupport.a11y_tree import A11yNode
from launcher.core.quicksupport.credentials import find_password

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "a11y"
CASES = sorted(FIXTURES.glob("*.json"))


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def test_fixtures_cover_every_platform():
    assert {load(p)["platform"] for p in CASES} == {"windows", "macos", "linux"}


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_recorded_tree(path: Path):
    case = load(path)
    tree = A11yNode.from_dict(case["tree"])
    assert find_password(tree, case["known_id"]) == case["expected"]
    assert A11yNode.from_dict(tree.to_dict()) == tree  # the fixture format round-trips


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_wrong_id_reads_nothing(path: Path):
    tree = A11yNode.from_dict(load(path)["tree"])
    assert find_password(tree, "1111111111") is None
    assert find_password(tree, "") is None


def test_raw_and_grouped_ids_both_anchor():
    for shown in ("1660388656", "1 660 388 656", "1\u00a0660\u00a0388\u00a0656"):
        tree = A11yNode("window", children=[A11yNode("text", "Your ID", shown), A11yNode("text", "Hasło:", "qq77rr")])
        assert find_password(tree, "1660388656") == "qq77rr"
    near_miss = A11yNode("window", children=[A11yNode("text", "Your ID", "16603886560"),
                                             A11yNode("text", "Password", "qq77rr")])
    assert find_password(near_miss, "1660388656") is None


def test_the_backends_need_only_the_tree_type_not_credentials():
    """credentials imports the backends; they import the tree type from its own module (no cycle)."""
    import ast
    from pathlib import Path

    folder = Path(__file__).resolve().parents[2] / "launcher" / "core" / "quicksupport"
    for backend in ("atspi.py", "ax.py", "uia.py", "a11y_tree.py"):
        tree = ast.parse((folder / backend).read_text(encoding="utf-8"))
        imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
        assert "launcher.core.quicksupport.credentials" not in imported, backend
