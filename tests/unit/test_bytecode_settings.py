"""The self-test names the bytecode settings, and refuses a frozen build made without them."""

from __future__ import annotations

import sys

import pytest

from launcher.core.errors import LauncherError
from launcher.selftest import bytecode_settings


def test_from_source_the_settings_are_reported():
    expected = f"optimize={sys.flags.optimize}, "
    assert bytecode_settings().startswith(expected)


def test_a_frozen_build_with_docstrings_or_column_tables_is_refused(monkeypatch):
    """This interpreter runs with neither setting, as a build without installer/build.sh would."""
    if sys.flags.optimize >= 2 and "no_debug_ranges" in sys._xoptions:
        pytest.skip("this interpreter already runs with the frozen build's settings")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    with pytest.raises(LauncherError) as err:
        bytecode_settings()
    assert err.value.code == "APP-INTERNAL" and "bytecode settings" in err.value.detail
