"""find_password over recorded accessibility trees from every platform, anchored on the ID from the log."""

from __future__ import annotations

import json
import logging
import os
import sys
from pathlib import Path

import pytest

from launcher.core.quicksupport import credentials
from launcher.core.quicksupport.a11y_tree import A11yNode
from launcher.core.quicksupport.credentials import (
    PasswordReading,
    PasswordStatus,
    classify_shown,
    find_password,
    find_password_field,
    read_password_field,
)

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


def _qs_window(password_text: str) -> A11yNode:
    return A11yNode("frame", "TeamViewer QuickSupport", children=[
        A11yNode("label", "Your ID"), A11yNode("label", "1 660 388 656"),
        A11yNode("label", "Password"), A11yNode("label", password_text)])


def test_what_the_password_field_shows_each_has_its_status():
    assert find_password_field(_qs_window("-"), "1660388656") == PasswordReading(PasswordStatus.NOT_READY)
    assert find_password_field(_qs_window("****"), "1660388656") == PasswordReading(PasswordStatus.FIXED)
    assert find_password(_qs_window("****"), "1660388656") is None  # a mask is never taken for a password
    assert find_password_field(_qs_window("x7k2mq"), "1660388656") == PasswordReading(PasswordStatus.READ, "x7k2mq")
    assert find_password_field(_qs_window("x7k2mq"), "1111111111") is None
    assert "x7k2mq" not in repr(find_password_field(_qs_window("x7k2mq"), "1660388656"))
    assert classify_shown("•••••").status is PasswordStatus.FIXED
    assert classify_shown("…").status is PasswordStatus.NOT_READY


def test_hidden_fixture_reads_as_not_ready():
    case = json.loads((FIXTURES / "linux_atspi_password_hidden.json").read_text(encoding="utf-8"))
    tree = A11yNode.from_dict(case["tree"])
    assert find_password_field(tree, case["known_id"]).status is PasswordStatus.NOT_READY


def test_no_accessibility_bus_is_a_plain_unreadable_said_once(monkeypatch, caplog):
    """No D-Bus session (a bare X session, a service): jeepney's KeyError was logged at every retry."""
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
    monkeypatch.delenv("AT_SPI_BUS_ADDRESS", raising=False)
    monkeypatch.setattr(credentials, "_reported_failures", set())
    from launcher.core.quicksupport import atspi

    with pytest.raises(atspi.A11yUnavailable):
        atspi.snapshot([os.getpid()])
    with caplog.at_level(logging.INFO, logger="launcher.core.quicksupport.credentials"):
        for _ in range(5):
            assert read_password_field([os.getpid()], "1660388656") == PasswordReading(PasswordStatus.UNREADABLE)
    failures = [r for r in caplog.records if "snapshot failed" in r.getMessage()]
    assert len(failures) == 1 and "KeyError" not in failures[0].getMessage()
