"""The quick starts (no arguments, on/off flags only) skip argparse and get exactly its answer."""

from __future__ import annotations

import itertools
import subprocess
import sys
from pathlib import Path

import pytest

from launcher.__main__ import _QUICK_FLAGS, build_parser, parse_args

REPO = Path(__file__).resolve().parents[2]


def _every_quick_start() -> list[list[str]]:
    flags = list(_QUICK_FLAGS)
    return [list(order) for n in range(len(flags) + 1) for combo in itertools.combinations(flags, n)
            for order in itertools.permutations(combo)]


@pytest.mark.parametrize("raw", _every_quick_start(), ids=lambda raw: " ".join(raw) or "(none)")
def test_quick_starts_get_what_argparse_gives(raw: list[str]):
    assert vars(parse_args(raw)) == vars(build_parser().parse_args(raw))


@pytest.mark.parametrize("raw", [
    ["--lang", "en"], ["--config", "x.toml", "--self-test"], ["doctor"], ["--self-test", "--self-test"],
    ["version", "--lang", "pl"], ["verify", "f.bin"],
])
def test_everything_else_goes_through_the_parser(raw: list[str]):
    assert vars(parse_args(raw)) == vars(build_parser().parse_args(raw))


def test_help_and_unknown_options_still_come_from_argparse():
    with pytest.raises(SystemExit) as exit_info:
        parse_args(["--no-such-option"])
    assert exit_info.value.code == 2
    out = subprocess.run([sys.executable, "-m", "launcher", "--help"], capture_output=True, text=True,
                         cwd=REPO, timeout=60)
    assert out.returncode == 0 and "--self-test" in out.stdout and "doctor" in out.stdout


def test_a_quick_start_builds_no_parser_and_loads_no_locale_module():
    code = ("import sys; import argparse; from launcher.__main__ import parse_args;"
            "built = []; orig = argparse.ArgumentParser.__init__;"
            "argparse.ArgumentParser.__init__ = lambda self, *a, **k: (built.append(1), orig(self, *a, **k))[1];"
            "parse_args(['--self-test']); print(len(built), 'locale' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["0", "False"]
