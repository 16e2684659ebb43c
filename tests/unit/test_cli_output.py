"""What the command line prints for an error: the catalogue's sentences, worded for a command line."""

from __future__ import annotations

import errno
import io
import sys

import pytest

from launcher.cli.output import print_error, todo_at_command_line, todo_without_retry_button
from launcher.core.errors import CATALOGUE, LauncherError

BUTTON_WORDS = ("Kliknij", "kliknij", "Click", "click", "„", "”", "“", "przycisk", "button")


@pytest.mark.parametrize("code", sorted(CATALOGUE))
@pytest.mark.parametrize("lang", ["pl", "en"])
def test_no_error_tells_a_command_line_user_to_click_a_button(code, lang):
    text = todo_at_command_line(CATALOGUE[code], lang)
    assert not [w for w in BUTTON_WORDS if w in text], text
    assert text.strip() and text[0].isupper()


@pytest.mark.parametrize("code", sorted(CATALOGUE))
@pytest.mark.parametrize("lang", ["pl", "en"])
def test_the_box_of_a_window_that_could_not_start_names_no_button_either(code, lang):
    text = todo_without_retry_button(CATALOGUE[code], lang, instead="start")
    assert not [w for w in BUTTON_WORDS if w in text], text


def test_the_box_says_to_start_the_program_again():
    assert todo_without_retry_button(CATALOGUE["APP-INTERNAL"], "pl", instead="start").startswith(
        "Uruchom program ponownie. Jeśli błąd wróci")
    assert todo_without_retry_button(CATALOGUE["APP-INTERNAL"], "en", instead="start").startswith(
        "Start the program again. If the error comes back")


def test_the_retry_advice_becomes_running_the_command_again():
    assert todo_at_command_line(CATALOGUE["NET-DNS"], "pl") == (
        "Sprawdź połączenie z internetem i uruchom polecenie ponownie.")
    assert todo_at_command_line(CATALOGUE["NET-HTTPS"], "en").startswith("Run the command again in a moment.")


def test_print_error_format_and_the_window_wording_when_asked():
    out = io.StringIO()
    print_error(LauncherError("NET-DNS", "example.com: no address"), "en", file=out)
    assert out.getvalue().splitlines() == [
        "ERROR NET-DNS: " + CATALOGUE["NET-DNS"].what_en + " Check the internet connection and run the command again.",
        "  (example.com: no address)",
    ]
    window = io.StringIO()
    print_error(LauncherError("NET-DNS"), "pl", command_line=False, file=window)
    assert "„Spróbuj ponownie”" in window.getvalue()


def test_with_no_standard_error_an_error_is_not_printed_among_the_output_lines(monkeypatch, capsys):
    """A closed stderr (`2>&-`): print(file=None) wrote the ERROR line on stdout, among `session`'s events."""
    monkeypatch.setattr("sys.stderr", None)
    print_error(LauncherError("CFG-NOT-FOUND", "config file not found: x.toml"), "pl")
    assert capsys.readouterr().out == ""


class _RefusingStdout:
    """A standard output whose writes fail as Wine fails them on a pipe whose reader has gone (EINVAL), where the
    look at the pipe that tells that apart from a fault of the program's own cannot see it."""

    encoding = "utf-8"

    def write(self, _text: str) -> int:
        raise OSError(errno.EINVAL, "Invalid argument")

    def flush(self) -> None:
        raise OSError(errno.EINVAL, "Invalid argument")


def test_a_line_of_the_answer_that_cannot_be_written_is_no_internal_error(monkeypatch, capsys):
    """`--self-test | head -c1` under Wine said APP-INTERNAL ("tell the consultant"): a failed `say` is known to be
    the answer's own write, so it ends the command quietly however the OS words the failure."""
    import launcher.__main__ as entry
    from launcher.cli.output import OutputLost, say

    monkeypatch.setattr(entry, "cmd_self_test", lambda *_args: say("ok first window painted") or 0)
    monkeypatch.setattr(sys, "stdout", _RefusingStdout())
    with pytest.raises(OutputLost):
        say("x")
    assert entry.main(["--self-test"]) == 1
    assert "APP-INTERNAL" not in capsys.readouterr().err
