"""The command line as a vendor's script meets it (DESIGN.md "Command line"), as real subprocesses: a `--config`
file saved by Notepad (UTF-8 with a BOM, CRLF line ends) for every command, unknown keys and wrong types named
from such a file, `version`'s one line, stdout holding only the answer and stderr only `ERROR <CODE>: ...`,
exit 2 for a usage error of every command, in the language `--lang` asks for."""

from __future__ import annotations

import codecs
import os
import subprocess
import sys
from pathlib import Path

import pytest

from launcher import __version__
from launcher.demo.session import demo_overrides
from tests.support.demo_config import write_config

pytestmark = pytest.mark.e2e

REPO = Path(__file__).resolve().parents[2]
ERROR_FIRST_LINE = {
    "CFG-INVALID": {"pl": "ERROR CFG-INVALID: Plik konfiguracji programu jest nieprawidłowy.",
                    "en": "ERROR CFG-INVALID: The program's configuration file is invalid."},
    "APP-USAGE": {"pl": "ERROR APP-USAGE: Program uruchomiono z nieznaną albo błędnie wpisaną opcją.",
                  "en": "ERROR APP-USAGE: The program was started with an unknown or mistyped option."},
}


def run_cli(*args: str, cwd: Path, stdin: int | None = subprocess.DEVNULL) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO), "LANG": "pl_PL.UTF-8", "QT_QPA_PLATFORM": "offscreen"}
    env.pop("LC_ALL", None)
    return subprocess.run([sys.executable, "-m", "launcher", *args], capture_output=True, text=True,
                          encoding="utf-8", timeout=90, env=env, cwd=cwd, stdin=stdin)


def notepad(path: Path, text: str) -> Path:
    """`text` as Windows Notepad saves it by default: UTF-8 with a BOM, CRLF line ends."""
    path.write_bytes(codecs.BOM_UTF8 + text.replace("\n", "\r\n").encode("utf-8"))
    return path


@pytest.fixture
def notepad_config(tmp_path, server):
    """The demo server's config, saved as Notepad saves it, with a Polish comment and e-mail line."""
    plain = write_config(tmp_path / "plain.toml", demo_overrides(server, tmp_path / "dane użytkownika"))
    text = "# Konfiguracja Pomocy Zdalnej: zapisana w Notatniku\n" + plain.read_text(encoding="utf-8") + \
        '[hotline]\nemail = "pomoc@overmax.pl"\n'
    return notepad(tmp_path / "Konfiguracja.toml", text)


def test_doctor_fetch_and_verify_read_a_notepad_config(notepad_config, tmp_path):
    doctor = run_cli("doctor", "--config", str(notepad_config), cwd=tmp_path)
    assert doctor.returncode == 0 and doctor.stderr == "", doctor.stderr
    assert [line.split()[:2] for line in doctor.stdout.splitlines()] == [["OK", "dns"], ["OK", "download"],
                                                                         ["OK", "teamviewer"]]
    fetch = run_cli("fetch", "--config", str(notepad_config), cwd=tmp_path)
    assert fetch.returncode == 0 and fetch.stderr == "", fetch.stderr
    lines = fetch.stdout.splitlines()
    assert len(lines) == 1 and Path(lines[0]).is_file()  # the verified path, the line's only content
    assert Path(lines[0]).is_relative_to(tmp_path / "dane użytkownika")
    verify = run_cli("verify", lines[0], "--config", str(notepad_config), cwd=tmp_path)
    assert verify.returncode == 0 and verify.stderr == "", verify.stderr
    assert verify.stdout.startswith(f"OK {lines[0]} ")


@pytest.mark.parametrize("command", [["doctor"], ["fetch"], ["verify", "plik.exe"], ["version"], ["session"]])
@pytest.mark.parametrize("lang", ["pl", "en"])
@pytest.mark.parametrize(("body", "named"), [
    ('[hotline]\nphone = "61 653 12 93"\nfax = "61 000 00 00"\n', "unknown keys: hotline.fax"),
    ('[hotline]\nphone = "61 653 12 93"\n\n[sesion]\nconfirm_minutes = 5\n', "unknown keys: sesion"),
    ("[connectivity]\ntimeout_s = \"3\"\n", "connectivity.timeout_s has the wrong type"),
    ("[session]\nconfirm_minutes = 1.5\n", "session.confirm_minutes has the wrong type"),
], ids=["unknown-key", "unknown-section", "string-for-number", "float-for-integer"])
def test_a_notepad_config_with_a_mistake_names_it_on_stderr_only(tmp_path, command, lang, body, named):
    path = notepad(tmp_path / "Konfiguracja.toml", "# zapisane w Notatniku\n" + body)
    (tmp_path / "plik.exe").write_bytes(b"MZ")
    done = run_cli(*command, "--config", str(path), "--lang", lang, cwd=tmp_path)
    assert done.returncode == 1 and done.stdout == "", (done.stdout, done.stderr)
    first, detail = done.stderr.splitlines()
    assert first.startswith(ERROR_FIRST_LINE["CFG-INVALID"][lang] + " "), first
    assert detail == f"  ({path}: {named})", detail  # the key as written: no BOM before it, no CR after it


@pytest.mark.parametrize("args", [["version"], ["version", "--lang", "en"], ["--lang", "pl", "version"], ["--version"]])
def test_version_is_one_line_on_stdout(tmp_path, args):
    done = run_cli(*args, cwd=tmp_path)
    assert (done.returncode, done.stdout, done.stderr) == (0, f"Overmax Pomoc Zdalna {__version__}\n", "")


def test_version_reads_a_notepad_config(tmp_path):
    path = notepad(tmp_path / "Konfiguracja.toml", '# łączność\n[hotline]\nemail = "pomoc@overmax.pl"\n')
    done = run_cli("version", "--config", str(path), cwd=tmp_path)
    assert (done.returncode, done.stdout, done.stderr) == (0, f"Overmax Pomoc Zdalna {__version__}\n", "")


@pytest.mark.parametrize("lang", ["pl", "en"])
@pytest.mark.parametrize("args", [
    ["doctor", "extra"], ["fetch", "--for", "5"], ["verify"], ["verify", "a.exe", "b.exe"], ["version", "extra"],
    ["session", "--for", "soon"], ["session", "--for"], ["doctor", "--config"], ["bogus"], ["--no-such-option"],
], ids=lambda a: " ".join(a) or "none")
def test_a_usage_error_of_every_command_is_exit_2_with_app_usage_on_stderr(tmp_path, lang, args):
    done = run_cli(*args, "--lang", lang, cwd=tmp_path) if args[-1] != "--config" else \
        run_cli("--lang", lang, *args, cwd=tmp_path)
    assert done.returncode == 2 and done.stdout == "", (done.stdout, done.stderr)
    lines = done.stderr.splitlines()
    assert lines[0].startswith(ERROR_FIRST_LINE["APP-USAGE"][lang] + " "), lines
    assert lines[1].startswith("  (") and any(line.startswith("usage: ") for line in lines[2:]), lines


def test_lang_en_gives_english_probe_lines_and_polish_is_the_default(tmp_path, server):
    config = write_config(tmp_path / "c.toml", demo_overrides(server, tmp_path / "data"))
    english = run_cli("doctor", "--config", str(config), "--lang", "en", cwd=tmp_path)
    polish = run_cli("doctor", "--config", str(config), cwd=tmp_path)
    assert english.returncode == polish.returncode == 0, english.stderr + polish.stderr
    assert "Finding servers on the internet (DNS)" in english.stdout.splitlines()[0]
    assert "Odnajdywanie serwerów w internecie (DNS)" in polish.stdout.splitlines()[0]
