"""Overmax Pomoc Zdalna: the remote-help launcher for TeamViewer QuickSupport."""

import sys as _sys

__version__ = "0.1.0"
APP_NAME = "Overmax Pomoc Zdalna"
APP_ID = "OvermaxPomocZdalna"
ORG_NAME = "Overmax"


def _run_as_program() -> bool:
    """True only while `python -m launcher` is locating `launcher.__main__`: Python sets sys.argv[0] to "-m"
    until the module is found (documented for -m), and sys.orig_argv names the module. Imported as a
    library (tests, `-c`, another program), and for `-m launcher.<submodule>`, this is False."""
    if _sys.argv[:1] != ["-m"]:
        return False
    args = list(getattr(_sys, "orig_argv", ()))[1:]
    for i, arg in enumerate(args):
        if arg == "-m":
            return args[i + 1 : i + 2] == ["launcher"]
        if arg.startswith("-m"):
            return arg == "-mlauncher"
    return False


if _run_as_program():
    # Ctrl+C while the program is still loading (its imports take a moment before main() runs) ends it at once
    # and quietly, as it ends any program that catches nothing, instead of a KeyboardInterrupt traceback.
    # main() takes the interrupt over from here (launcher.__main__._interrupt_ends_at_once). An interrupt the
    # parent set to be ignored (a background job) stays ignored.
    import signal as _signal

    if _signal.getsignal(_signal.SIGINT) is _signal.default_int_handler:
        _signal.signal(_signal.SIGINT, _signal.SIG_DFL)
