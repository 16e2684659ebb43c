"""Command line: the GUI by default; `doctor`, `fetch`, `verify FILE`, `version`, `session` for support staff
and scripts (the parser is `launcher.cli.parser`, the output `launcher.cli.output`).

Failures print `ERROR <CODE>: <sentence>` and exit 1 (2 for usage); nothing ends in a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import signal
import sys
import threading
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from launcher import APP_NAME, __version__
from launcher.cli.output import (
    DISK_FULL,
    EXIT_FAILED,
    EXIT_OK,
    OutputLost,
    attach_windows_console,
    exit_status,
    may_be_lost_output,
    print_error,
    setup_streams,
    todo_without_retry_button,
)
from launcher.cli.parser import parse_args
from launcher.cli.stopping import Stopped, StopRequest, stop_on_signals, stop_signal_numbers, unless_stopped
from launcher.core.errors import LauncherError

if TYPE_CHECKING:
    from launcher.config import Config
    from launcher.core.paths import AppPaths

log = logging.getLogger("launcher")


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


@contextlib.contextmanager
def _environment(args: argparse.Namespace) -> Iterator[tuple[Config, AppPaths]]:
    """The config and data folders the command runs with: --config's, or the offline demo's (--demo)."""
    if args.demo:
        from launcher.demo.session import demo_environment

        with demo_environment(args.config) as env:
            yield env
        return
    from launcher.config import load_config
    from launcher.core.paths import app_paths

    config = load_config(args.config)
    yield config, app_paths(config.paths.data_dir)


def cmd_doctor(args: argparse.Namespace, lang: str, stop: StopRequest) -> int:
    from launcher.cli.check import check_connection

    with _environment(args) as (config, _paths):
        if not stop.is_set():  # the check itself is not waited for once a stop comes (launcher.cli.stopping)
            failure = check_connection(config, lang, stop=stop.event)
        if stop.is_set():
            raise Stopped(stop.reason)
    if failure is not None:
        print_error(failure, lang)
        return EXIT_FAILED
    return EXIT_OK


def cmd_fetch(args: argparse.Namespace, lang: str, stop: StopRequest) -> int:
    from launcher.core.fetch import fetch_quicksupport

    with _environment(args) as (config, paths):
        paths.ensure()
        verified = unless_stopped(
            lambda: fetch_quicksupport(config, paths, progress=_cli_progress, cancel=stop.event), stop, "fetch")
    print(verified.path, flush=True)
    return EXIT_OK


def _cli_progress(p) -> None:
    if sys.stderr.isatty() and p.total:
        sys.stderr.write(f"\r{100 * p.done // p.total:3d}% {p.done}/{p.total} B")
        if p.done >= p.total:
            sys.stderr.write("\n")


def cmd_verify(args: argparse.Namespace, lang: str, stop: StopRequest) -> int:
    from launcher.core.fetch import verify_local_file

    try:
        usable = args.file.is_file()  # before anything is downloaded
        why = "" if usable else "not a file" if args.file.exists() else "no such file"
    except PermissionError as exc:  # another user's folder: it is there, only not for this user
        raise LauncherError("APP-FILE-UNREADABLE", f"{args.file}: {exc}") from exc
    except OSError as exc:  # what the stat itself refuses (a device such as \\.\PhysicalDrive0): no file to check
        usable, why = False, str(exc)
    if not usable:
        raise LauncherError("APP-NO-FILE", f"{args.file}: {why}")
    with _environment(args) as (config, paths):
        paths.ensure()
        verified = unless_stopped(lambda: verify_local_file(args.file, config, paths, cancel=stop.event), stop,
                                  "verify")
    a = verified.artifact
    print(f"OK {verified.path} {a.platform} {a.version} sha256={a.sha256} manifest serial {verified.manifest.serial}",
          flush=True)
    return EXIT_OK


def cmd_session(args: argparse.Namespace, lang: str) -> int:
    from launcher.cli.session import StopRequest, run_session, stop_on_signals

    stop = StopRequest()
    # Ctrl+C while the demo server starts or the config loads is a stop like any other: said, and cleaned up
    with stop_on_signals(stop), _environment(args) as (config, paths):
        paths.ensure()
        return run_session(config, paths, lang, for_s=args.for_s, read_input=not args.no_input, stop=stop)


def _load_qt() -> None:
    """PySide6 first, before anything else is imported."""
    import PySide6.QtCore  # noqa: F401


def cmd_gui(args: argparse.Namespace, lang: str) -> int:
    from launcher.ui.display import no_display_reason

    if reason := no_display_reason():  # before Qt, which would end the process without a word of ours
        raise LauncherError("APP-NO-DISPLAY", reason)
    _load_qt()
    from launcher.core.applog import setup_logging

    if args.demo:
        from launcher.demo.session import demo_environment

        with demo_environment(args.config) as (config, paths):
            setup_logging(paths.logs, open_now=False, lang=lang)  # the window opens the file after its first paint
            return _run_gui_logged(config, paths, lang, demo=True)
    from launcher.config import load_config
    from launcher.core.paths import app_paths

    config = load_config(args.config)
    paths = app_paths(config.paths.data_dir)
    paths.ensure()
    setup_logging(paths.logs, open_now=False, lang=lang)
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


def cmd_self_test(args: argparse.Namespace, lang: str, interrupt_ends_at_once: bool) -> int:
    """Ctrl+C, SIGTERM, a closed terminal or Ctrl+Break stop it between two of its steps, its throwaway folders
    removed (and the demo's server and stand-in ended), with the exit code a shell gives a command that signal
    ended."""
    _load_qt()
    from launcher.selftest import run_self_test

    stop = StopRequest()
    with stop_on_signals(stop, _stop_signals(interrupt_ends_at_once)):
        return run_self_test(args.config, lang, demo=args.demo, walk=args.walk_session, stop=stop)


def _interrupt_ends_at_once() -> bool:
    """Until a command has something to clean up, Ctrl+C ends the process at once, as it ends any program
    that catches nothing: a KeyboardInterrupt raised inside an import printed a traceback, and one inside
    PySide6's import aborted the interpreter ("Fatal Python error: libshiboken"). `session` and the window
    install their own handlers before they start anything; the other commands get Python's back once Qt is
    loaded. An interrupt the parent set to be ignored (a background job) stays ignored. True if Ctrl+C is
    now this call's to manage: changed here, or already set so by the start-up (`python -m launcher` sets it
    in launcher/__init__.py, the frozen app in installer/entry.py, before the imports that precede main())."""
    if threading.current_thread() is not threading.main_thread():
        return False  # main() called from a thread (tests): signals are not this call's to change
    handler = signal.getsignal(signal.SIGINT)
    if handler is signal.SIG_DFL:
        return True
    if handler is not signal.default_int_handler:
        return False
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    return True


def main(argv: Sequence[str] | None = None) -> int:
    raw = list(sys.argv[1:] if argv is None else argv)
    if raw[:1] == ["qs-watchdog"]:  # the frozen app's QuickSupport watchdog (see quicksupport/process.py)
        from launcher.core.quicksupport.process import watchdog_entry

        watchdog_entry()  # never returns
    if raw[:1] == ["demo-standin"]:  # the frozen app's demo QuickSupport; its options are its own
        from launcher.demo.standin import main as standin_main

        return standin_main(raw[1:])
    attach_windows_console()  # started from a console (a windowed Windows build): answer there
    setup_streams()
    previous = signal.getsignal(signal.SIGINT) if threading.current_thread() is threading.main_thread() else None
    interrupt_ends_at_once = _interrupt_ends_at_once()
    try:
        return _run(raw, interrupt_ends_at_once)
    finally:
        if interrupt_ends_at_once and previous is not None:
            # a caller in this process gets its own back; after `python -m launcher`, Ctrl+C while the
            # interpreter ends stays the quiet end the start-up set, not a KeyboardInterrupt at exit
            signal.signal(signal.SIGINT, previous)


def _run(raw: list[str], interrupt_ends_at_once: bool) -> int:
    args = parse_args(raw, system_language=lambda: _language(argparse.Namespace(lang=None)))
    lang = _language(args)
    if interrupt_ends_at_once and args.command == "version":
        # Qt is loaded: from here Ctrl+C is a KeyboardInterrupt again, which ends it with 130
        signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        if args.command == "version":
            if args.config is not None:  # every command takes --config: a missing, empty or broken one is said
                from launcher.config import load_config

                load_config(args.config)
            print(f"{APP_NAME} {__version__}")
            return EXIT_OK
        if args.self_test:
            return cmd_self_test(args, lang, interrupt_ends_at_once)
        if args.command in _NETWORK_COMMANDS:
            network_command = {"doctor": cmd_doctor, "fetch": cmd_fetch, "verify": cmd_verify}[args.command]
            stop = StopRequest()
            with stop_on_signals(stop, _stop_signals(interrupt_ends_at_once)):
                return network_command(args, lang, stop)
        handler = cmd_session if args.command == "session" else cmd_gui
        return handler(args, lang)
    except Stopped as exc:
        # Ctrl+C, SIGTERM (a service manager, `timeout`, kill), a closed terminal or Ctrl+Break: the command's
        # clean-up has run (the demo's folder and server, a partial download); 128 + the signal's number, as a
        # shell reports a command a signal ended
        log.info("%s stopped (%s)", args.command, exc.reason)
        return exc.exit_code
    except LauncherError as exc:
        print_error(exc, lang)
        if args.command is None:
            _show_startup_error(exc, lang)
        return exit_status(exc)
    except KeyboardInterrupt:
        return 130
    except OSError as exc:
        # Windows says a pipe nobody reads any more as EINVAL, not as a broken pipe (python/cpython#79935):
        # `doctor | more` quit early was APP-INTERNAL, "an unexpected error"
        said = isinstance(exc, OutputLost)  # a line of the answer that could not be written (cli.output.say)
        if exc.errno not in DISK_FULL and may_be_lost_output(exc):
            if not said and not _stdout_reader_gone():  # a pipe of the program's own (a socket): a real failure
                return _internal_error(exc, args, lang)
            _silence_stdout()  # `launcher version | true`: nobody reads the answer; the exit's flush must not fail
            return EXIT_FAILED
        if exc.errno not in DISK_FULL:
            return _internal_error(exc, args, lang)
        # `doctor > file` on a full disk: no room for the answer, which the customer can fix
        print_error(LauncherError("DL-DISK-FULL", f"writing the output: {exc}"), lang)
        _silence_stdout()  # the exit's flush of what is still buffered must not fail again
        return EXIT_FAILED
    except Exception as exc:  # noqa: BLE001 - last resort: a code, never a bare traceback
        return _internal_error(exc, args, lang)


# `doctor`, `fetch` and `verify`: their network work runs so that a signal stops it at once, on Windows too
# (launcher.cli.stopping), with their clean-up, then exit 128 + the signal's number
_NETWORK_COMMANDS = ("doctor", "fetch", "verify")


def _stop_signals(interrupt_ends_at_once: bool) -> dict[str, int]:
    """The signals that stop a network command: none off the main thread (main() called from a thread: they
    are not this call's to change); Ctrl+C when it is this call's to manage (one the parent set to be ignored
    stays ignored); SIGTERM; a closed terminal and Ctrl+Break unless ignored (`nohup`)."""
    if threading.current_thread() is not threading.main_thread():
        return {}
    return {name: signum for name, signum in stop_signal_numbers(interrupt=interrupt_ends_at_once).items()
            if name in ("sigint", "sigterm") or signal.getsignal(signum) is not signal.SIG_IGN}


def _internal_error(exc: BaseException, args: argparse.Namespace, lang: str) -> int:
    if logging.getLogger().handlers:  # into the log file; without one Python's last resort would print
        log.error("unexpected failure", exc_info=exc)  # the traceback on the customer's console
    error = LauncherError("APP-INTERNAL", repr(exc))
    print_error(error, lang)
    if args.command is None:
        _show_startup_error(error, lang)
    return EXIT_FAILED


def _stdout_reader_gone() -> bool:
    """True when standard output is a pipe whose reader has closed it (POLLERR on its write end; on Windows
    a write of no bytes to it fails with ERROR_NO_DATA, "the pipe is being closed")."""
    import select

    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):
        return True
    if sys.platform == "win32":
        return _windows_pipe_reader_gone(fd)
    if not hasattr(select, "poll"):
        return True
    poller = select.poll()
    poller.register(fd, select.POLLOUT)
    return any(events & (select.POLLERR | select.POLLHUP) for _fd, events in poller.poll(0))


def _windows_pipe_reader_gone(fd: int) -> bool:
    """True when `fd` is a pipe whose reading end is closed: a write of no bytes fails with ERROR_NO_DATA (232)
    or ERROR_BROKEN_PIPE (109); the pipe file system checks the pipe's state before the length."""
    import ctypes
    import msvcrt
    from ctypes import wintypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    kernel32.WriteFile.argtypes = [wintypes.HANDLE, wintypes.LPCVOID, wintypes.DWORD,
                                   ctypes.POINTER(wintypes.DWORD), wintypes.LPVOID]
    kernel32.GetFileType.argtypes = [wintypes.HANDLE]
    try:
        handle = msvcrt.get_osfhandle(fd)
    except OSError:
        return True
    if kernel32.GetFileType(handle) != 3:  # FILE_TYPE_PIPE
        return False
    written = wintypes.DWORD(0)
    if kernel32.WriteFile(handle, b"", 0, ctypes.byref(written), None):
        return False
    return ctypes.get_last_error() in (232, 109)


def _silence_stdout() -> None:
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


def _show_startup_error(exc: LauncherError, lang: str) -> None:
    """The GUI could not start (bad config, no data folder): say so in a window, not only on stderr."""
    from launcher.ui.display import no_display_reason

    if os.environ.get("QT_QPA_PLATFORM") == "offscreen" or no_display_reason() is not None:
        return
    try:
        from launcher.ui.app import create_app, load_qt_translations, set_window_icon
        from launcher.ui.startup_error import startup_error_box

        app = create_app()
        set_window_icon(app)
        load_qt_translations(app, lang)  # the box's own buttons in the customer's language
        startup_error_box(exc, lang, todo_without_retry_button(exc.spec, lang, instead="start")).exec()
    except Exception:  # noqa: BLE001
        if logging.getLogger().handlers:  # into the log file; without one (a config refused before the log is
            log.exception("could not show the startup error window")  # set up) Python would print a traceback


if __name__ == "__main__":
    sys.exit(main())
