"""Every error code used anywhere under launcher/ is in the one catalogue, and the catalogue is complete."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from launcher.core.errors import CATALOGUE, LauncherError

PACKAGE = Path(__file__).resolve().parents[2] / "launcher"
CODE_RE = re.compile(r"^[A-Z]+(-[A-Z0-9]+)+$")
STEPS = {"terms", "check", "download", "session", "app"}
PREFIXES = {code.split("-", 1)[0] for code in CATALOGUE}


def _sources() -> list[tuple[Path, ast.Module]]:
    files = sorted(PACKAGE.rglob("*.py"))
    assert files, f"no sources under {PACKAGE}"
    return [(path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))) for path in files]


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _raised_codes() -> dict[str, list[str]]:
    """{code: ["file:line", ...]} for every LauncherError("CODE", ...) / LauncherError(code="CODE")."""
    found: dict[str, list[str]] = {}
    for path, tree in _sources():
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and _name(node.func) == "LauncherError"):
                continue
            args = [*node.args[:1], *(k.value for k in node.keywords if k.arg == "code")]
            for arg in args:
                values = [arg] if not isinstance(arg, ast.IfExp) else [arg.body, arg.orelse]
                for value in values:
                    if isinstance(value, ast.Constant) and isinstance(value.value, str):
                        where = f"{path.relative_to(PACKAGE.parent)}:{node.lineno}"
                        found.setdefault(value.value, []).append(where)
    return found


def _code_like_strings() -> dict[str, list[str]]:
    """String constants shaped like a code with a catalogue prefix, e.g. ProbeResult(code="NET-DNS")."""
    found: dict[str, list[str]] = {}
    for path, tree in _sources():
        if path.name == "errors.py":
            continue
        for node in ast.walk(tree):
            value = node.value if isinstance(node, ast.Constant) else None
            if isinstance(value, str) and CODE_RE.match(value) and value.split("-", 1)[0] in PREFIXES:
                found.setdefault(value, []).append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno}")
    return found


def test_the_scan_finds_raises():
    codes = _raised_codes()
    assert "CFG-INVALID" in codes  # launcher/config.py raises it in many places
    assert "TERMS-MISSING" in codes


def test_every_raised_code_is_in_the_catalogue():
    missing = {code: where for code, where in _raised_codes().items() if code not in CATALOGUE}
    assert not missing, f"codes raised but not in launcher/core/errors.py CATALOGUE: {missing}"


def test_every_code_like_string_is_in_the_catalogue():
    missing = {code: where for code, where in _code_like_strings().items() if code not in CATALOGUE}
    assert not missing, f"code-like strings not in the CATALOGUE: {missing}"


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_catalogue_entry_is_complete(code: str):
    spec = CATALOGUE[code]
    assert spec.code == code
    assert CODE_RE.match(code), code
    assert spec.step in STEPS
    for text in (spec.what_pl, spec.todo_pl, spec.what_en, spec.todo_en):
        assert text.strip(), f"{code} has an empty text"
    assert spec.what("pl") == spec.what_pl and spec.what("en") == spec.what_en
    assert spec.todo("pl") == spec.todo_pl and spec.todo("en") == spec.todo_en


def test_codes_are_unique_in_the_source_list():
    from launcher.core import errors

    codes = [spec.code for spec in errors._SPECS]
    assert len(codes) == len(set(codes))


def test_unknown_code_is_refused():
    with pytest.raises(ValueError):
        LauncherError("NOT-A-CODE")
    assert LauncherError("NET-DNS", "x").sentence("en") == CATALOGUE["NET-DNS"].what_en
