"""What the command line prints for an error: the catalogue's sentences, worded for a command line."""

from __future__ import annotations

import io

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
