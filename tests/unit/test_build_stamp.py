"""A build's record of its sources (tests/support/build_stamp.py): a test may run a build from dist/ only while
the checkout's sources are those it was built from."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support import build_stamp


def _sources(root: Path) -> None:
    (root / "launcher" / "core").mkdir(parents=True)
    (root / "launcher" / "core" / "config.py").write_text("TIMEOUT_S = 10\n")
    (root / "launcher" / "core" / "__pycache__").mkdir()
    (root / "launcher" / "core" / "__pycache__" / "config.cpython-311.pyc").write_bytes(b"\x00" * 16)
    (root / "resources" / "translations").mkdir(parents=True)
    (root / "resources" / "translations" / "launcher_en.ts").write_text("<TS/>\n")
    (root / "resources" / "translations" / "launcher_en.qm").write_bytes(b"qm")
    (root / "installer").mkdir()
    (root / "installer" / "build.sh").write_text("#!/bin/sh\n")
    (root / "pyproject.toml").write_text('[project]\nname = "x"\n')
    (root / "build_spec.spec").write_text("# spec\n")


@pytest.fixture
def built(tmp_path: Path) -> tuple[Path, Path]:
    root, build = tmp_path / "checkout", tmp_path / "checkout" / "dist" / "windows"
    _sources(root)
    build.mkdir(parents=True)
    build_stamp.write(build, root)
    return root, build


def test_a_build_of_the_checkouts_sources_is_current(built):
    root, build = built
    assert build_stamp.stale_reason(build, root) is None
    assert not list(build.glob("*.part"))  # the record is written whole or not at all


@pytest.mark.parametrize("changed", ["launcher/core/config.py", "resources/translations/launcher_en.ts",
                                     "installer/build.sh", "pyproject.toml", "build_spec.spec"])
def test_any_source_changed_since_the_build_makes_it_stale(built, changed):
    root, build = built
    (root / changed).write_text((root / changed).read_text() + "# changed\n")
    assert "other sources than the checkout's" in build_stamp.stale_reason(build, root)


def test_a_source_added_or_renamed_makes_it_stale(built):
    root, build = built
    (root / "launcher" / "core" / "config.py").rename(root / "launcher" / "core" / "settings.py")
    assert build_stamp.stale_reason(build, root) is not None


@pytest.mark.parametrize("product", ["launcher/core/__pycache__/config.cpython-311.pyc",
                                     "resources/translations/launcher_en.qm"])
def test_build_products_made_from_covered_sources_do_not_count(built, product):
    root, build = built
    (root / product).write_bytes(b"rebuilt")
    assert build_stamp.stale_reason(build, root) is None


def test_a_build_without_a_record_is_never_taken_for_current(tmp_path):
    _sources(tmp_path)
    assert "no record of the sources" in build_stamp.stale_reason(tmp_path / "dist", tmp_path)


def test_require_current_skips_an_old_build_and_fails_it_in_cis_packaging_run(built, monkeypatch):
    root, build = built
    (root / "pyproject.toml").write_text('[project]\nname = "y"\n')
    monkeypatch.delenv("OVERMAX_PACKAGING_TESTS", raising=False)
    with pytest.raises(pytest.skip.Exception, match="scripts/windows-lane.sh build"):
        build_stamp.require_current(build, root)
    monkeypatch.setenv("OVERMAX_PACKAGING_TESTS", "1")
    with pytest.raises(pytest.fail.Exception, match="other sources"):
        build_stamp.require_current(build, root)
