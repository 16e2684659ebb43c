"""The headless subcommands, run as real subprocesses against loopback servers."""

from __future__ import annotations

import hashlib
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from launcher import __version__
from launcher.demo.session import demo_overrides
from tests.support.demo_config import write_config

REPO = Path(__file__).resolve().parents[2]


def run_cli(*args: str, timeout: float = 60, env: dict | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO), "LANG": "pl_PL.UTF-8", "QT_QPA_PLATFORM": "offscreen",
           **(env or {})}
    return subprocess.run([sys.executable, "-m", "launcher", *args], capture_output=True, text=True,
                          timeout=timeout, env=env, cwd=REPO)


@pytest.fixture
def server(demo_server):
    return demo_server


@pytest.fixture
def config_file(tmp_path, server):
    return write_config(tmp_path / "demo.toml", demo_overrides(server, tmp_path / "data"))


def test_version():
    out = run_cli("version")
    assert out.returncode == 0
    assert __version__ in out.stdout


def test_version_says_when_its_config_is_missing_or_broken(tmp_path):
    out = run_cli("version", "--config", str(tmp_path / "nie-ma.toml"))
    assert out.returncode == 1 and out.stderr.startswith("ERROR CFG-NOT-FOUND:"), out.stderr
    broken = tmp_path / "broken.toml"
    broken.write_text("[hotline\n", encoding="utf-8")
    out = run_cli("version", "--config", str(broken))
    assert out.returncode == 1 and out.stderr.startswith("ERROR CFG-INVALID:"), out.stderr
    good = tmp_path / "good.toml"
    good.write_text('[hotline]\nphone = "61 653 12 93"\n', encoding="utf-8")
    out = run_cli("version", "--config", str(good))
    assert out.returncode == 0 and __version__ in out.stdout, out.stderr


def test_doctor_all_pass_on_loopback(config_file):
    out = run_cli("doctor", "--config", str(config_file))
    assert out.returncode == 0, out.stderr
    lines = out.stdout.strip().splitlines()
    assert len(lines) >= 3 and all(line.startswith("OK") for line in lines)


def test_doctor_fails_with_a_code_when_teamviewer_is_blocked(tmp_path, server):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        closed = s.getsockname()[1]
    overrides = demo_overrides(server, tmp_path / "data")
    overrides["connectivity"]["probes"][1]["ports"] = [closed]
    overrides["connectivity"]["timeout_s"] = 1
    out = run_cli("doctor", "--config", str(write_config(tmp_path / "c.toml", overrides)))
    assert out.returncode == 1
    assert "FAIL" in out.stdout
    assert "ERROR NET-TV-BLOCKED:" in out.stderr


def test_fetch_prints_a_verified_path_and_verify_accepts_it(config_file, server):
    out = run_cli("fetch", "--config", str(config_file))
    assert out.returncode == 0, out.stderr
    path = Path(out.stdout.strip().splitlines()[-1])
    assert path.is_file()
    served = next(server.root.glob("*.tar.gz"))
    assert hashlib.sha256(path.read_bytes()).hexdigest() == hashlib.sha256(served.read_bytes()).hexdigest()
    ok = run_cli("verify", str(path), "--config", str(config_file))
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.startswith("OK ")


def test_verify_refuses_a_changed_file(config_file, tmp_path):
    bogus = tmp_path / "teamviewer_qs.tar.gz"
    bogus.write_bytes(b"not the real thing")
    out = run_cli("verify", str(bogus), "--config", str(config_file))
    assert out.returncode == 1
    assert out.stderr.startswith("ERROR APP-VERIFY-MISMATCH: ")
    assert "plik nie został usunięty" in out.stderr.splitlines()[0]  # the operator's file: kept, and said so
    assert bogus.read_bytes() == b"not the real thing"


def test_fetch_without_release_key_refuses(tmp_path):
    cfg = write_config(tmp_path / "k.toml", {"paths": {"data_dir": str(tmp_path / "d")}})
    out = run_cli("fetch", "--config", str(cfg))
    assert out.returncode == 1
    assert out.stderr.startswith("ERROR MAN-NOKEY:")


def test_bad_config_is_an_error_line_not_a_traceback(tmp_path):
    cfg = tmp_path / "bad.toml"
    cfg.write_text("[manifest]\nnope = 1\n", encoding="utf-8")
    out = run_cli("doctor", "--config", str(cfg))
    assert out.returncode == 1
    assert out.stderr.startswith("ERROR CFG-INVALID:")
    assert "manifest.nope" in out.stderr
    assert "Traceback" not in out.stderr


def test_insecure_manifest_url_is_refused_when_the_config_loads(tmp_path):
    cfg = write_config(tmp_path / "h.toml", {
        "manifest": {"url": "http://example.com/q.json", "public_keys": ["A" * 43 + "="]},
        "paths": {"data_dir": str(tmp_path / "d")},
    })
    for command in ("fetch", "doctor"):  # doctor never downloads: refused all the same, at load
        out = run_cli(command, "--config", str(cfg))
        assert out.returncode == 1
        assert out.stderr.startswith("ERROR CFG-INVALID:") and "manifest.url" in out.stderr


def test_language_follows_the_system_locale_unless_told(tmp_path):
    cfg = tmp_path / "bad.toml"
    cfg.write_text("[x]\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(REPO), "LANG": "en_GB.UTF-8", "LC_ALL": ""}
    english = subprocess.run([sys.executable, "-m", "launcher", "doctor", "--config", str(cfg)],
                             capture_output=True, text=True, env=env, cwd=REPO, timeout=60)
    assert "The program's configuration file is invalid." in english.stderr
    forced = subprocess.run([sys.executable, "-m", "launcher", "doctor", "--lang", "pl", "--config", str(cfg)],
                            capture_output=True, text=True, env=env, cwd=REPO, timeout=60)
    assert "Plik konfiguracji programu jest nieprawidłowy." in forced.stderr


def test_verify_a_missing_file_is_an_error_line_with_a_code(tmp_path):
    out = run_cli("verify", str(tmp_path / "nope.exe"))
    assert out.returncode == 1
    assert out.stderr.startswith("ERROR APP-NO-FILE: Nie ma pliku wskazanego w poleceniu.")
    assert "nope.exe" in out.stderr and "Traceback" not in out.stderr and "usage:" not in out.stderr
    folder = run_cli("verify", str(tmp_path))
    assert folder.returncode == 1 and folder.stderr.startswith("ERROR APP-NO-FILE:") and "not a file" in folder.stderr


@pytest.mark.parametrize("command", [["doctor"], ["fetch"], ["session"], []])
def test_a_missing_config_file_is_not_found_not_invalid(tmp_path, command):
    missing = tmp_path / "nie-ma.toml"
    env_gui = ["--lang", "pl"] if not command else []
    out = run_cli(*command, *env_gui, "--config", str(missing))
    assert out.returncode == 1
    assert out.stderr.startswith("ERROR CFG-NOT-FOUND: Nie ma pliku konfiguracji wskazanego w opcji --config.")
    assert str(missing) in out.stderr and "nieprawidłowy" not in out.stderr


def test_doctor_says_what_to_do_at_a_command_line(tmp_path, server):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = s.getsockname()[1]
    overrides = demo_overrides(server, tmp_path / "data")
    overrides["connectivity"]["probes"][0]["url"] = f"http://127.0.0.1:{closed}/quicksupport.json"
    overrides["connectivity"]["timeout_s"] = 1
    cfg = str(write_config(tmp_path / "c.toml", overrides))
    for lang, retry in (("pl", "uruchom polecenie ponownie"), ("en", "run the command again")):
        out = run_cli("doctor", "--lang", lang, "--config", cfg)
        assert out.returncode == 1 and out.stderr.startswith("ERROR NET-")
        assert retry in out.stderr.lower()
        assert not any(word in out.stderr for word in ("Kliknij", "kliknij", "Click", "click", "„", "“"))


@pytest.mark.parametrize("args", [["--demo", "fetch"], ["fetch", "--demo"], ["--demo", "verify", "x.exe"],
                                  ["verify", "x.exe", "--demo"], ["--demo", "version"]])
def test_demo_is_refused_where_it_cannot_work(args):
    out = run_cli(*args)
    assert out.returncode == 2 and out.stdout == ""
    assert "usage:" in out.stderr and "--demo" in out.stderr


def test_doctor_with_demo_checks_the_demo_server(tmp_path):
    env = {"TMPDIR": str(tmp_path)}
    out = run_cli("doctor", "--demo", env=env)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.strip().splitlines()
    assert len(lines) >= 3 and all(line.startswith("OK") for line in lines) and "127.0.0.1" in out.stdout
    assert list(tmp_path.glob("overmax-demo-*")) == []


@pytest.mark.parametrize("how", [[sys.executable, "-m", "launcher", "--version"], [str(REPO / "run.sh"), "--version"]])
def test_version_option(how):
    out = subprocess.run(how, capture_output=True, text=True, timeout=120, cwd=REPO,
                         env={**os.environ, "PYTHONPATH": str(REPO)})
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == f"Overmax Pomoc Zdalna {__version__}"


def test_polish_letters_reach_a_pipe_whatever_its_encoding(tmp_path):
    """A Windows pipe defaults to the ANSI code page; here an ASCII one stands for any that lacks „ł”."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "PYTHONIOENCODING": "ascii", "LANG": "C"}
    out = subprocess.run([sys.executable, "-m", "launcher", "doctor", "--lang", "pl", "--config",
                          str(tmp_path / "brak.toml")], capture_output=True, env=env, cwd=REPO, timeout=60)
    assert out.returncode == 1
    text = out.stderr.decode("utf-8")
    assert text.startswith("ERROR CFG-NOT-FOUND: Nie ma pliku konfiguracji wskazanego w opcji --config. Sprawdź")
    assert "Traceback" not in text


def test_version_with_an_empty_config_path_says_so():
    """`--config ""` (an unset variable in a script) is CFG-NOT-FOUND for every command, version too."""
    out = run_cli("version", "--config", "")
    assert out.returncode == 1 and out.stderr.startswith("ERROR CFG-NOT-FOUND:"), out.stderr
    assert "the path is empty" in out.stderr
