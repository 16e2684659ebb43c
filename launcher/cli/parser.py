"""The command line's argparse parser: the GUI's options, and the subcommands for support staff and scripts."""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn

from launcher import APP_NAME, __version__
from launcher.core.errors import LauncherError

# Subcommands that take --demo (they run against the in-process demo server); `fetch` and `verify` refuse
# it: their answer (a verified file) would point into a demo folder deleted as they exit.
DEMO_COMMANDS = (None, "doctor", "session")


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not 0 < value <= 7 * 24 * 3600:
        raise argparse.ArgumentTypeError(f"must be more than 0 and at most a week of seconds: {text!r}")
    return value


def _file(text: str) -> Path:
    if not text.strip():  # Path("") is the current folder: `verify ""` was checked as "."
        raise argparse.ArgumentTypeError("an empty file name")
    return Path(text)


def _common(parser: argparse.ArgumentParser, *, top: bool, demo: bool) -> None:
    # On a subcommand the defaults are suppressed, so an option given before the subcommand is kept.
    default = None if top else argparse.SUPPRESS
    parser.add_argument("--config", metavar="FILE", default=default,
                        help="TOML file merged over the built-in resources/config.toml")
    parser.add_argument("--lang", choices=("pl", "en"), default=default,
                        help="language of the interface and messages (default: pl, or the system's)")
    # Every command knows --demo, so that `fetch --demo` is refused saying where it works (parse_args), not
    # as an unknown option; it is listed in the help only where it works.
    parser.add_argument("--demo", action="store_true", default=False if top else argparse.SUPPRESS,
                        help="against the offline demo: a loopback server and a QuickSupport stand-in" if demo
                        else argparse.SUPPRESS)


class _Parser(argparse.ArgumentParser):
    """argparse, with its usage errors said as every failure is: `ERROR APP-USAGE: <sentence>` in the user's
    language, argparse's own words as the detail, its usage line after; exit 2."""

    language: Callable[[], str] = staticmethod(lambda: "pl")
    commands: dict[str, argparse.ArgumentParser]  # the top parser's: each command's own, for its usage line

    def error(self, message: str) -> NoReturn:
        from launcher.cli.output import EXIT_USAGE, print_error

        # said where it can be: standard error closed (argparse would put the usage line on stdout then) or
        # on a full disk, the exit status still says it was a usage error
        with contextlib.suppress(OSError, ValueError):
            print_error(LauncherError("APP-USAGE", message), _Parser.language())
            if sys.stderr is not None:
                self.print_usage(sys.stderr)
        sys.exit(EXIT_USAGE)


def _language_option(raw: Sequence[str]) -> str | None:
    """`--lang en` / `--lang=en` wherever it is on the command line (before it is parsed: the usage error
    may be in it or anywhere else)."""
    for i, arg in enumerate(raw):
        value = raw[i + 1] if arg == "--lang" and i + 1 < len(raw) else arg.partition("=")[2] \
            if arg.startswith("--lang=") else None
        if value in ("pl", "en"):
            return value
    return None


def program_name() -> str:
    """How the user started the program, for the usage line: the frozen app's file name
    (OvermaxPomocZdalna.exe: a customer never typed "python -m launcher"), an installed script's name
    (overmax-pomoc-zdalna-cli), else `python -m launcher`."""
    def name(path: str) -> str:  # the last part of a Windows or POSIX path
        return path.replace("\\", "/").rsplit("/", 1)[-1]

    if getattr(sys, "frozen", False):
        return name(sys.executable)
    stem = name(sys.argv[0] if sys.argv else "").removesuffix(".exe").removesuffix("-script.py")
    return stem if stem.lower().startswith("overmax") else "python -m launcher"


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog=program_name(), description=f"{APP_NAME} {__version__}")
    _common(parser, top=True, demo=True)
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    parser.add_argument("--self-test", action="store_true",
                        help="start, load resources, translations and config, paint every window, exit 0; with --demo "
                             "also walk the whole flow offline to the session page and disconnect")
    parser.add_argument("--walk-session", action="store_true",
                        help="with --self-test: walk the whole flow to the session page and disconnect, against the "
                             "manifest and QuickSupport that --config names (a staging server; --demo brings its own)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    parser.commands = {}
    for name, text in (
        ("doctor", "check the connection: one line per probe, exit 0 only if all pass"),
        ("fetch", "download and verify QuickSupport for this computer; print the verified path"),
        ("version", "print the version"),
    ):
        parser.commands[name] = sub.add_parser(name, help=text, description=text)
        _common(parser.commands[name], top=False, demo=name in DEMO_COMMANDS)
    text = "check a local file against the signed manifest"
    verify = parser.commands["verify"] = sub.add_parser("verify", help=text, description=text)
    verify.add_argument("file", metavar="FILE", type=_file, help="the file to check (never deleted or run)")
    _common(verify, top=False, demo=False)
    text = ("headless session: check, verified fetch, start QuickSupport, one line per event; ends on q, end "
            "of input, Ctrl+C, SIGTERM or after --for, then checks that nothing of it is left")
    session = parser.commands["session"] = sub.add_parser("session", help=text, description=text)
    session.add_argument("--for", dest="for_s", metavar="SECONDS", type=_seconds, default=None,
                         help="end the session this many seconds after QuickSupport started")
    session.add_argument("--no-input", action="store_true",
                         help="do not read standard input (for scripts without one: only a signal or --for ends it)")
    _common(session, top=False, demo=True)
    return parser


def parse_args(raw: Sequence[str], system_language: Callable[[], str] | None = None) -> argparse.Namespace:
    """The parsed command line; usage errors print `ERROR APP-USAGE: ...` (in --lang's language if it is
    on the line, else `system_language()`'s, else Polish) with argparse's message and usage, and exit 2."""
    chosen = _language_option(raw)
    _Parser.language = staticmethod(lambda: chosen or (system_language() if system_language else "pl"))
    parser = build_parser()
    args, unknown = parser.parse_known_args(list(raw))
    if unknown:  # said with the usage line of the command they were given to (`doctor --bogus`: doctor's)
        parser.commands.get(args.command, parser).error(f"unrecognized arguments: {' '.join(unknown)}")
    if args.walk_session and not args.self_test:
        parser.error("--walk-session goes with --self-test")
    if args.demo and args.command not in DEMO_COMMANDS:
        parser.commands[args.command].error(f"--demo does not go with {args.command}: it works with the window, "
                                            "--self-test, doctor and session")
    if args.self_test and args.command is not None:
        parser.error(f"--self-test does not go with {args.command}")
    return args
