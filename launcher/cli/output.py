"""What the command line prints: `ERROR <CODE>: <what> <what to do>` on stderr, event lines on stdout.

The catalogue's "what to do" sentences are written for the window ("Kliknij „Spróbuj ponownie”"); at a
command line the same advice is to run the command again, so `todo_at_command_line` rewords every button
reference. Imported by `launcher.__main__`, `launcher.selftest` and `launcher.ui.app`; imports neither.
"""

from __future__ import annotations

import codecs
import errno
import sys
from typing import TextIO

from launcher.core.errors import ErrorSpec, LauncherError

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2

# The window's retry button as the catalogue names it, and what to do where there is no such button: at a
# command line, run the command again; in the box a window that could not start shows, start the program again.
_RETRY_BUTTON = {"pl": "„Spróbuj ponownie”", "en": "“Try again”"}
_CLICK = {"pl": "kliknij", "en": "click"}
_INSTEAD = {
    "command": {"pl": "uruchom polecenie ponownie", "en": "run the command again"},
    "start": {"pl": "uruchom program ponownie", "en": "start the program again"},
}


def todo_without_retry_button(spec: ErrorSpec, lang: str, *, instead: str = "command") -> str:
    """The catalogue's "what to do" sentence where no „Spróbuj ponownie” button exists (`instead`:
    "command" for a command line, "start" for the box shown when the window cannot start)."""
    lang = "en" if lang == "en" else "pl"
    text = spec.todo(lang)
    click = f"{_CLICK[lang]} {_RETRY_BUTTON[lang]}"
    replacement = _INSTEAD[instead][lang]
    text = text.replace(click[0].upper() + click[1:], replacement[0].upper() + replacement[1:])
    return text.replace(click, replacement)


def todo_at_command_line(spec: ErrorSpec, lang: str) -> str:
    """The catalogue's "what to do" sentence for someone at a command line (no buttons to click)."""
    return todo_without_retry_button(spec, lang, instead="command")


def print_error(exc: LauncherError, lang: str, *, command_line: bool = True, file: TextIO | None = None) -> None:
    """`ERROR <CODE>: <what> <todo>` (and the technical detail on a second line) on stderr.

    command_line=False keeps the window's wording (a window shows the same error at the same time)."""
    out = file or sys.stderr
    if out is None:  # no standard error at all (a closed one): print(file=None) would write it on stdout
        return
    todo = todo_at_command_line(exc.spec, lang) if command_line else exc.spec.todo(lang)
    print(f"ERROR {exc.code}: {exc.spec.what(lang)} {todo}", file=out, flush=True)
    url = getattr(exc, "url", "")  # where to go next, for the errors that carry one (the roster branch's APP-OUTDATED)
    if url:
        print(f"  {url}", file=out, flush=True)
    if exc.detail:
        print(f"  ({exc.detail})", file=out, flush=True)


def exit_status(exc: LauncherError) -> int:
    """What a command that failed with `exc` exits with: 2 for a usage error (APP-USAGE, also one found after
    parsing, such as a demo setting in the environment), 1 for every other failure."""
    return EXIT_USAGE if exc.code == "APP-USAGE" else EXIT_FAILED


DISK_FULL = frozenset({errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)})


class OutputLost(OSError):
    """Writing a line on stdout failed (`say`): its reader has gone, or a full disk has no room for it. Carries the
    failed write's errno and words; known to come from the answer itself, so it is never taken for a fault of the
    program's own (Wine reports a pipe whose reader has gone as EINVAL too, where the look at the pipe that tells
    the two apart on Windows cannot: launcher.__main__)."""


def may_be_lost_output(exc: OSError) -> bool:
    """True for the ways writing the answer fails that are not the program's fault: nobody reads it any more (a
    broken pipe; Windows says a pipe whose reader has gone as EINVAL, python/cpython#79935) or no room is left
    for it (`doctor > file` on a full disk). `launcher.__main__` answers each as such, never as APP-INTERNAL."""
    if isinstance(exc, (OutputLost, BrokenPipeError)) or (sys.platform == "win32" and exc.errno == errno.EINVAL):
        return True
    return exc.errno in DISK_FULL


def say(line: str) -> None:
    """One line on stdout, flushed at once: scripts read the output live. OutputLost where it cannot be written."""
    try:
        print(line, flush=True)
    except OSError as exc:
        raise OutputLost(exc.errno, exc.strerror) from exc


def attach_windows_console() -> None:
    """A windowed (console=False) Windows build started from a console has no stdin/stdout/stderr: borrow
    the parent's console (a pipe or file the parent handed over is kept as it is)."""
    if sys.platform != "win32" or sys.stdout is not None:
        return
    try:
        import ctypes

        if ctypes.windll.kernel32.AttachConsole(-1):  # ATTACH_PARENT_PROCESS
            sys.stdout = open("CONOUT$", "w", encoding="utf-8")  # noqa: SIM115 - lives as long as the process
            sys.stderr = sys.stdout
            if sys.stdin is None:
                sys.stdin = open("CONIN$", encoding="utf-8")  # noqa: SIM115 - `session` reads q from it
    except OSError:
        pass


# Letters every message of ours may hold: an encoding that has them all can carry the Polish output.
_POLISH_LETTERS = "ąćęłńóśźżĄĆĘŁŃÓŚŹŻ"
# Typography an encoding with the Polish letters may still lack (ISO-8859-2 has no „”), said plainly there.
_PLAIN = {"„": '"', "”": '"', "“": '"', "’": "'", "–": "-", "—": "-", "…": "..."}
OUTPUT_ERRORS = "overmax-output"


def _output_errors(exc: UnicodeError) -> tuple[str | bytes, int]:
    """What the streams do with what their encoding cannot carry: a file name's bytes that the locale could not
    decode (held as surrogate escapes on POSIX) go out as those very bytes, so a printed path names the file on
    the disk; typographic quotes and dashes as their plain forms; any other character as a backslash escape
    rather than ending the program."""
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    chunk = exc.object[exc.start:exc.end]
    if sys.platform != "win32" and all(0xDC80 <= ord(c) <= 0xDCFF for c in chunk):
        return bytes(ord(c) - 0xDC00 for c in chunk), exc.end
    if all(c in _PLAIN for c in chunk):
        return "".join(_PLAIN[c] for c in chunk), exc.end
    return codecs.backslashreplace_errors(exc)


codecs.register_error(OUTPUT_ERRORS, _output_errors)


def _normalized(encoding: str) -> str:
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        return encoding.lower()


def _keeps_its_encoding(encoding: str) -> bool:
    """A pipe or file keeps its encoding when it is UTF-8, or on POSIX when it is the locale's own (the one file
    names are in) and has the Polish letters: pl_PL.ISO-8859-2, where UTF-8 would print every path wrongly."""
    name = _normalized(encoding)
    if name == "utf-8":
        return True
    if sys.platform == "win32" or name != _normalized(sys.getfilesystemencoding()):
        return False
    try:
        _POLISH_LETTERS.encode(name)
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def setup_streams() -> None:
    """stdout/stderr that never fail on a Polish letter or a file name: UTF-8 where they are pipes or files in
    another encoding (a Windows pipe defaults to the ANSI code page, which has no „ł”), except a POSIX locale's
    own encoding with the Polish letters; what an encoding cannot carry goes out as `_output_errors` says."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is None:
            continue
        encoding = getattr(stream, "encoding", "") or ""
        try:
            if stream.isatty() or _keeps_its_encoding(encoding):
                reconfigure(errors=OUTPUT_ERRORS)
            else:
                reconfigure(encoding="utf-8", errors=OUTPUT_ERRORS)
        except (OSError, ValueError):  # a closed or detached stream: nothing to print to anyway
            pass
