"""The supported Python versions are written down once (pyproject's classifiers) and said the same way
everywhere: `requires-python`, ruff's target, README. tests/packaging/test_wheel.py runs the installed wheel on
each of them; here, that it finds the right interpreters and never takes a pyenv shim or a wrong version."""

from __future__ import annotations

import re
import sys
import tomllib
import warnings
from pathlib import Path

import pytest
from packaging.specifiers import SpecifierSet

from tests.support.pythons import ROOT, find_python, promised_versions, running_version

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _key(version: str) -> tuple[int, int]:
    major, minor = version.split(".")
    return int(major), int(minor)


def test_the_classifiers_are_consecutive_from_requires_python():
    versions = promised_versions()
    assert versions, "pyproject names no 'Programming Language :: Python :: 3.N' classifier"
    requires = SpecifierSet(PYPROJECT["project"]["requires-python"])
    oldest = versions[0]
    assert f"{oldest}.0" in requires and f"{_key(oldest)[0]}.{_key(oldest)[1] - 1}.99" not in requires
    assert all(f"{v}.0" in requires for v in versions)
    minors = [_key(v)[1] for v in versions]
    assert minors == list(range(minors[0], minors[0] + len(minors)))  # none left out in between
    assert PYPROJECT["tool"]["ruff"]["target-version"] == "py" + oldest.replace(".", "")


def test_readme_names_the_tested_versions():
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())  # lines wrap anywhere
    *first, last = promised_versions()
    said = re.search(r"\*\*Tested Python versions: ([^*]+)\*\*", readme)
    assert said, "README's 'Tested Python versions' line is gone"
    assert said.group(1) == f"{', '.join(first)} and {last}"
    assert f"Python {', '.join(first)} or {last} (" in readme  # the two commands' prerequisite


def test_the_running_python_is_found_as_itself():
    assert running_version() in promised_versions()  # the suite itself runs on a promised version
    found = find_python(running_version())
    assert found is not None and Path(found) == Path(sys.executable)


def _fake_python(folder: Path, name: str, prints: str, code: int = 0) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(f"#!/bin/sh\necho '{prints}'\nexit {code}\n", encoding="utf-8")
    path.chmod(0o755)
    return path


def test_a_shim_or_a_wrong_version_is_not_taken(tmp_path, monkeypatch):
    # what pyenv's shim does for a version that is not selected: fails; and a binary that is another version
    shims = tmp_path / "shims"
    _fake_python(shims, "python3.97", "pyenv: python3.97: command not found", code=127)
    root = tmp_path / "pyenv"
    _fake_python(root / "versions" / "3.97.1" / "bin", "python3.97", "3.96")
    monkeypatch.setenv("PATH", str(shims))
    monkeypatch.setenv("PYENV_ROOT", str(root))
    assert find_python("3.97") is None


def test_the_newest_working_pyenv_release_is_taken(tmp_path, monkeypatch):
    root = tmp_path / "pyenv"
    _fake_python(root / "versions" / "3.97.2" / "bin", "python3.97", "3.97")
    newest = _fake_python(root / "versions" / "3.97.10" / "bin", "python3.97", "3.97")
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.setenv("PYENV_ROOT", str(root))
    assert find_python("3.97") == newest
    assert find_python("3.98") is None  # absent: None, so the packaging test skips with the reason


@pytest.mark.parametrize("category", [DeprecationWarning, PendingDeprecationWarning])
def test_a_deprecation_in_the_launchers_code_fails_the_tests(category):
    # pyproject's filterwarnings: a deprecated stdlib call made from launcher.* is an error in every test
    with pytest.raises(category):
        warnings.warn_explicit("deprecated call", category, "probe.py", 1, module="launcher.core.probe")
