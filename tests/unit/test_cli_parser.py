"""The command line's parser: always argparse, and the combinations it refuses with a usage error (exit 2)."""

from __future__ import annotations

from pathlib import Path

import pytest

from launcher import __version__
from launcher.cli.parser import parse_args


@pytest.mark.parametrize(("raw", "expected"), [
    ([], {"command": None, "demo": False, "self_test": False, "walk_session": False, "config": None}),
    (["--self-test", "--demo"], {"command": None, "demo": True, "self_test": True}),
    (["--demo", "doctor"], {"command": "doctor", "demo": True}),
    (["doctor", "--demo", "--lang", "en"], {"command": "doctor", "demo": True, "lang": "en"}),
    (["--config", "a.toml", "session", "--for", "2.5"], {"command": "session", "config": "a.toml", "for_s": 2.5}),
    (["session", "--no-input"], {"command": "session", "no_input": True, "for_s": None}),
    (["verify", "f.bin", "--config", "c.toml"], {"command": "verify", "file": Path("f.bin"), "config": "c.toml"}),
])
def test_what_the_parser_gives(raw, expected):
    args = vars(parse_args(raw))
    assert {k: args.get(k) for k in expected} == expected


@pytest.mark.parametrize("raw", [
    ["--walk-session"],  # goes with --self-test
    ["--demo", "fetch"], ["fetch", "--demo"], ["--demo", "verify", "f"], ["verify", "f", "--demo"],
    ["--demo", "version"],
    ["--self-test", "doctor"],
    ["session", "--for", "0"], ["session", "--for", "-3"], ["session", "--for", "later"],
    ["session", "--for", "nan"], ["session", "--for", "inf"],
    ["verify"], ["--lang", "de"], ["--no-such-option"],
])
def test_usage_errors_exit_2_with_argparse_usage(raw, capsys):
    with pytest.raises(SystemExit) as exit_info:
        parse_args(raw)
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "usage:" in err
    assert err.startswith("ERROR APP-USAGE: Program uruchomiono z nieznaną albo błędnie wpisaną opcją."), err


@pytest.mark.parametrize(("raw", "system", "sentence"), [
    (["--lang", "en", "--bogus"], "pl", "The program was started with an unknown or mistyped option."),
    (["doctr", "--lang=en"], "pl", "The program was started with an unknown or mistyped option."),
    (["--bogus"], "en", "The program was started with an unknown or mistyped option."),
    (["--bogus", "--lang", "pl"], "en", "Program uruchomiono z nieznaną albo błędnie wpisaną opcją."),
    (["--lang", "de"], "pl", "Program uruchomiono z nieznaną albo błędnie wpisaną opcją."),
])
def test_a_usage_error_has_its_code_in_the_users_language(raw, system, sentence, capsys):
    """A mistyped option printed argparse's English only, whatever the language; now the code and the
    catalogue's sentence in --lang's language (or the system's), argparse's words as the detail."""
    with pytest.raises(SystemExit) as exit_info:
        parse_args(raw, system_language=lambda: system)
    assert exit_info.value.code == 2
    first, detail, *_ = capsys.readouterr().err.splitlines()
    assert first.startswith(f"ERROR APP-USAGE: {sentence}"), first
    assert detail.startswith("  (") and ("--bogus" in detail or "doctr" in detail or "de" in detail), detail


@pytest.mark.parametrize("raw", [["--demo", "fetch"], ["fetch", "--demo"], ["verify", "f", "--demo"],
                                 ["version", "--demo"]])
def test_demo_refusal_names_where_it_works(raw, capsys):
    """`fetch --demo` (the order people type) said only "unrecognized arguments: --demo"."""
    with pytest.raises(SystemExit):
        parse_args(raw)
    err = capsys.readouterr().err
    assert f"--demo does not go with {raw[0] if raw[0] != '--demo' else raw[1]}" in err and "doctor and session" in err


def test_demo_is_in_the_help_only_where_it_works(capsys):
    for raw, shown in ((["fetch", "--help"], False), (["doctor", "--help"], True)):
        with pytest.raises(SystemExit):
            parse_args(raw)
        assert ("--demo" in capsys.readouterr().out) is shown


@pytest.mark.parametrize("raw", [["--help"], ["session", "--help"]])
def test_help(raw, capsys):
    with pytest.raises(SystemExit) as exit_info:
        parse_args(raw)
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert "--config" in out and ("session" in out or "--for" in out)


def test_version_option(capsys):
    with pytest.raises(SystemExit) as exit_info:
        parse_args(["--version"])
    assert exit_info.value.code == 0
    assert __version__ in capsys.readouterr().out


@pytest.mark.parametrize(("frozen", "executable", "argv0", "expected"), [
    (True, r"C:\Users\ą\AppData\Local\Programs\Overmax Pomoc Zdalna\OvermaxPomocZdalna.exe", "OvermaxPomocZdalna.exe",
     "OvermaxPomocZdalna.exe"),
    (False, "/usr/bin/python3", "/home/u/.local/bin/overmax-pomoc-zdalna-cli", "overmax-pomoc-zdalna-cli"),
    (False, r"C:\Python311\python.exe", r"C:\venv\Scripts\overmax-pomoc-zdalna-cli.exe", "overmax-pomoc-zdalna-cli"),
    (False, "/usr/bin/python3", "/repo/launcher/__main__.py", "python -m launcher"),
    (False, "/usr/bin/python3", "", "python -m launcher"),
])
def test_the_usage_line_names_the_program_as_it_was_started(monkeypatch, capsys, frozen, executable, argv0, expected):
    """The frozen Windows app said "usage: python -m launcher" to customers who never typed that."""
    import sys

    from launcher.cli.parser import parse_args

    if frozen:
        monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", executable)
    monkeypatch.setattr(sys, "argv", [argv0])
    with pytest.raises(SystemExit):
        parse_args(["--no-such-option"])
    assert f"usage: {expected} [-h]" in capsys.readouterr().err
