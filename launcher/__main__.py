"""Command line: the GUI by default; `doctor`, `fetch`, `verify FILE`, `version` for support staff and scripts.

Failures print `ERROR <CODE>: <sentence>` and exit non-zero; nothing ends in a traceback.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from launcher import APP_NAME, __version__
from launcher.core.errors import LauncherError

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2

log = logging.getLogger("launcher")


def _common(parser: argparse.ArgumentParser, suppress: bool) -> None:
    default = argparse.SUPPRESS if suppress else None
    parser.add_argument("--config", metavar="FILE", default=default,
                        help="TOML file merged over the built-in resources/config.toml")
    parser.add_argument("--lang", choices=("pl", "en"), default=default,
                        help="language of the interface and messages (default: pl, or the system's)")
    parser.add_argument("--demo", action="store_true", default=argparse.SUPPRESS if suppress else False,
                        help="walk the whole flow offline against a loopback server and a QuickSupport stand-in")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m launcher", description=f"{APP_NAME} {__version__}")
    _common(parser, suppress=False)
    parser.add_argument("--self-test", action="store_true",
                        help="start, load resources, translations and config, paint every window, exit 0; with --demo "
                             "also walk the whole flow offline to the session page and disconnect")
    parser.add_argument("--walk-session", action="store_true",
                        help="with --self-test: walk the whole flow to the session page and disconnect, against the "
                             "manifest and QuickSupport that --config names (a staging server; --demo brings its own)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, text in (
        ("doctor", "check the connection: one line per probe, exit 0 only if all pass"),
        ("fetch", "download and verify QuickSupport for this computer; print the verified path"),
        ("version", "print the version"),
    ):
        _common(sub.add_parser(name, help=text, description=text), suppress=True)
    verify = sub.add_parser("verify", help="check a local file against the signed manifest",
                            description="check a local file against the signed manifest")
    verify.add_argument("file", type=Path)
    _common(verify, suppress=True)
    return parser


# The starts a customer and the self-test make: no arguments (a double-click), or on/off flags only.
# They need no parser: building argparse's (and the locale module its messages load) costs ~5 ms before
# the first window. Anything else, help and errors included, goes through the parser.
_QUICK_FLAGS = {"--self-test": "self_test", "--demo": "demo", "--walk-session": "walk_session"}


def parse_args(raw: Sequence[str]) -> argparse.Namespace:
    """What build_parser().parse_args(raw) returns, without building it for the quick starts."""
    if all(arg in _QUICK_FLAGS for arg in raw) and len(set(raw)) == len(raw):
        args = argparse.Namespace(config=None, lang=None, demo=False, self_test=False, walk_session=False,
                                  command=None)
        for arg in raw:
            setattr(args, _QUICK_FLAGS[arg], True)
        return args
    return build_parser().parse_args(list(raw))


def _language(args: argparse.Namespace) -> str:
    """--lang wins; otherwise Polish on a Polish system and English elsewhere (QLocale reads LANG/LC_*
    on Linux and the user's settings on Windows and macOS)."""
    if args.lang:
        return args.lang
    from PySide6.QtCore import QLocale

    system = QLocale.system()
    if system.language() in (QLocale.Language.C, QLocale.Language.AnyLanguage):
        return "pl"
    return "pl" if system.language() == QLocale.Language.Polish else "en"


def print_error(exc: LauncherError, lang: str) -> None:
    print(f"ERROR {exc.code}: {exc.spec.what(lang)} {exc.spec.todo(lang)}", file=sys.stderr)
    if exc.detail:
        print(f"  ({exc.detail})", file=sys.stderr)


def _load(args: argparse.Namespace):
    from launcher.config import load_config
    from launcher.core.paths import app_paths

    config = load_config(args.config)
    return config, app_paths(config.paths.data_dir)


def cmd_doctor(args: argparse.Namespace, lang: str) -> int:
    from launcher.core.connectivity import overall_code, planned_checks, run_checks

    config, _ = _load(args)
    labels = {c.key: (c.label_en if lang == "en" else c.label_pl) for c in planned_checks(config.connectivity)}
    results = run_checks(config.connectivity, proxies=config.download.proxies)
    for r in results:
        status = "OK  " if r.ok else "FAIL"
        port = f" port {r.port}" if r.port else ""
        code = f" {r.code}" if r.code else ""
        print(f"{status} {r.key:<12} {labels.get(r.key, r.key)}{port} ({r.elapsed_s:.2f} s){code} {r.detail}")
    code = overall_code(results)
    if code:
        print_error(LauncherError(code), lang)
        return EXIT_FAILED
    return EXIT_OK


def cmd_fetch(args: argparse.Namespace, lang: str) -> int:
    from launcher.core.fetch import fetch_quicksupport

    config, paths = _load(args)
    paths.ensure()
    verified = fetch_quicksupport(config, paths, progress=_cli_progress)
    print(verified.path)
    return EXIT_OK


def _cli_progress(p) -> None:
    if sys.stderr.isatty() and p.total:
        sys.stderr.write(f"\r{100 * p.done // p.total:3d}% {p.done}/{p.total} B")
        if p.done >= p.total:
            sys.stderr.write("\n")


def cmd_verify(args: argparse.Namespace, lang: str) -> int:
    from launcher.core.fetch import verify_local_file

    if not args.file.is_file():  # a usage error, before anything is downloaded
        print(f"error: {args.file}: no such file", file=sys.stderr)
        return EXIT_USAGE
    config, paths = _load(args)
    paths.ensure()
    verified = verify_local_file(args.file, config, paths)
    a = verified.artifact
    print(f"OK {verified.path} {a.platform} {a.version} sha256={a.sha256} manifest serial {verified.manifest.serial}")
    return EXIT_OK


def _load_qt() -> None:
    """PySide6 first, before anything else is imported."""
    import PySide6.QtCore  # noqa: F401


def cmd_gui(args: argparse.Namespace, lang: str) -> int:
    _load_qt()
    from launcher.core.applog import setup_logging

    if args.demo:
        from launcher.demo.session import demo_environment

        with demo_environment(args.config) as (config, paths):
            setup_logging(paths.logs, open_now=False)  # the window opens the file after its first paint
            return _run_gui_logged(config, paths, lang, demo=True)
    config, paths = _load(args)
    paths.ensure()
    setup_logging(paths.logs, open_now=False)
    return _run_gui_logged(config, paths, lang, demo=False)


def _run_gui_logged(config, paths, lang: str, *, demo: bool) -> int:
    from launcher.core.applog import open_log_file_or_warn
    from launcher.ui.app import run_gui

    try:
        return run_gui(config, paths, language=lang, demo=demo)
    except LauncherError as exc:
        log.error("%s: %s", exc.code, exc.detail)
        raise
    except BaseException:
        log.exception("the window failed")
        raise
    finally:
        open_log_file_or_warn()  # normally done after the first paint; a window that never came up still logs


def cmd_self_test(args: argparse.Namespace, lang: str) -> int:
    _load_qt()
    from launcher.selftest import run_self_test

    return run_self_test(args.config, lang, demo=args.demo, walk=args.walk_session)


def main(argv: Sequence[str] | None = None) -> int:
    raw = list(sys.argv[1:] if argv is None else argv)
    if raw[:1] == ["qs-watchdog"]:  # the frozen app's QuickSupport watchdog (see quicksupport/process.py)
        from launcher.core.quicksupport.process import watchdog_entry

        watchdog_entry()  # never returns
    if raw[:1] == ["demo-standin"]:  # the frozen app's demo QuickSupport; its options are its own
        from launcher.demo.standin import main as standin_main

        return standin_main(raw[1:])
    args = parse_args(raw)
    if args.walk_session and not args.self_test:
        build_parser().error("--walk-session goes with --self-test")
    lang = _language(args)
    try:
        if args.command == "version":
            print(f"{APP_NAME} {__version__}")
            return EXIT_OK
        if args.self_test:
            return cmd_self_test(args, lang)
        handler = {"doctor": cmd_doctor, "fetch": cmd_fetch, "verify": cmd_verify}.get(args.command, cmd_gui)
        return handler(args, lang)
    except LauncherError as exc:
        print_error(exc, lang)
        if args.command is None:
            _show_startup_error(exc, lang)
        return EXIT_FAILED
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # noqa: BLE001 - last resort: a code, never a bare traceback
        log.exception("unexpected failure")
        error = LauncherError("APP-INTERNAL", repr(exc))
        print_error(error, lang)
        if args.command is None:
            _show_startup_error(error, lang)
        return EXIT_FAILED


def _show_startup_error(exc: LauncherError, lang: str) -> None:
    """The GUI could not start (bad config, no data folder): say so in a window, not only on stderr."""
    if os.environ.get("QT_QPA_PLATFORM") == "offscreen" or not (
        sys.platform in ("win32", "darwin") or os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    ):
        return
    try:
        from PySide6.QtWidgets import QMessageBox

        from launcher.ui.app import create_app, load_qt_translations, set_window_icon

        app = create_app()
        set_window_icon(app)
        load_qt_translations(app, lang)  # the box's own buttons in the customer's language
        QMessageBox.critical(None, APP_NAME, f"{exc.code}\n\n{exc.spec.what(lang)}\n{exc.spec.todo(lang)}")
    except Exception:  # noqa: BLE001
        log.exception("could not show the startup error window")


if __name__ == "__main__":
    sys.exit(main())
