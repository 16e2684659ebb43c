"""The command line as DESIGN.md states it, spelled exactly: `doctor`, `fetch`, `verify FILE`, `version`,
`session [--for SECONDS]`, all with `--config FILE` and `--lang pl|en`; the GUI with `--config`, `--lang`,
`--demo`; usage errors exit 2 with `ERROR APP-USAGE: ...`. What the commands print is pinned end to end in
tests/e2e/test_cli_output_contract.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from launcher.cli.parser import build_parser, parse_args

COMMANDS = {"doctor": [], "fetch": [], "verify": ["some file.exe"], "version": [], "session": []}


def test_the_commands_are_the_design_ones():
    sub = next(a for a in build_parser()._actions if a.dest == "command")  # noqa: SLF001 - argparse's own list
    assert sorted(sub.choices) == sorted(COMMANDS)


@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize("where", ["before", "after"])
def test_every_command_takes_config_file_and_lang(command, where):
    options = ["--config", "mój plik.toml", "--lang", "en"]
    raw = [*options, command, *COMMANDS[command]] if where == "before" else [command, *COMMANDS[command], *options]
    args = parse_args(raw)
    assert (args.command, args.config, args.lang) == (command, "mój plik.toml", "en")


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_lang_is_pl_or_en_only(command, capsys):
    with pytest.raises(SystemExit) as exit_info:
        parse_args([command, *COMMANDS[command], "--lang", "de"])
    assert exit_info.value.code == 2
    assert capsys.readouterr().err.startswith("ERROR APP-USAGE: ")


def test_the_gui_takes_config_lang_and_demo():
    args = parse_args(["--config", "c.toml", "--lang", "pl", "--demo"])
    assert (args.command, args.config, args.lang, args.demo) == (None, "c.toml", "pl", True)


def test_verify_takes_the_file_and_session_the_seconds():
    assert parse_args(["verify", "C:\\Pobrane\\TeamViewerQS.exe"]).file == Path("C:\\Pobrane\\TeamViewerQS.exe")
    assert parse_args(["session", "--for", "90"]).for_s == 90.0
    assert parse_args(["session"]).for_s is None


@pytest.mark.parametrize(("raw", "usage"), [
    (["verify"], "verify [-h] [--config FILE] [--lang {pl,en}] FILE"),
    (["session", "--for"], "session [-h] [--for SECONDS]"),
    (["doctor", "--config"], "doctor [-h] [--config FILE] [--lang {pl,en}]"),
    # what the command does not take is said with that command's usage line (it was the top one's)
    (["doctor", "--bogus"], "doctor [-h] [--config FILE] [--lang {pl,en}]"),
    (["verify", "a.exe", "b.exe"], "verify [-h] [--config FILE] [--lang {pl,en}] FILE"),
    (["session", "--no-input", "extra"], "session [-h] [--for SECONDS]"),
    (["verify", ""], "verify [-h] [--config FILE] [--lang {pl,en}] FILE"),  # it checked "." (the current folder)
    (["fetch", "--demo"], "fetch [-h] [--config FILE] [--lang {pl,en}]"),  # --demo refused by fetch: fetch's line
])
def test_usage_lines_spell_the_arguments_as_design_does(raw, usage, capsys):
    with pytest.raises(SystemExit) as exit_info:
        parse_args(raw)
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("ERROR APP-USAGE: ") and usage in " ".join(err.split()), err
