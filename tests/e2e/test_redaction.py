"""A planted proxy password, whatever it contains, is in no output: doctor, fetch, the log file, the report."""

from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import unquote

import pytest

from launcher.config import load_config
from launcher.core import applog, diagnostics
from launcher.core.errors import LauncherError
from launcher.core.manifest_signing import generate_keypair
from launcher.core.redaction import HIDDEN, redact
from tests.e2e.test_cli import run_cli
from tests.support.demo_config import write_config
from tests.support.socks5 import closed_port

# how people write them into a proxy URL: unencoded @ / #, and already %-encoded
PASSWORDS = ["ab/cd", "Zima#99", "Lato@2025", "Lato%402025", "x@y/z#w%21q"]


def _parts(password: str) -> set[str]:
    forms = {password, unquote(password)}
    return {f[i:i + 4] for f in forms for i in range(len(f) - 3)}


def _leaks(text: str, password: str) -> set[str]:
    return {part for part in _parts(password) if part in text}


@pytest.mark.parametrize("password", PASSWORDS)
def test_redact_hides_every_part(password: str):
    for text in (f"http://jan:{password}@proxy:3128", f"proxy=socks5h://jan:{password}@10.0.0.1:1080/ done",
                 f"https://h/x?token={password}&a=1", f"Proxy-Authorization: Basic {password}",
                 f"https://s3/x?X-Amz-Credential={password}&X-Amz-Signature={password}"):
        out = redact(text)
        assert HIDDEN in out and not _leaks(out, password), out


def test_scheme_less_proxy_password_is_registered():
    from launcher.core.redaction import current_secrets, forget_secret, register_url_secrets

    register_url_secrets("jan:Wiosna#2026@proxy.firma.pl:3128")
    try:
        assert "Wiosna#2026" in current_secrets()
        assert not _leaks(redact("the proxy said Wiosna#2026 is wrong"), "Wiosna#2026")
    finally:
        for secret in ("Wiosna#2026", "Wiosna%232026"):
            forget_secret(secret)


@pytest.mark.parametrize("password", PASSWORDS)
@pytest.mark.parametrize("scheme", ["http://", ""])
def test_doctor_fetch_log_and_report(tmp_path: Path, password: str, scheme: str):
    proxy = f"{scheme}jan:{password}@127.0.0.1:{closed_port()}"
    data = tmp_path / "data"
    cfg = write_config(tmp_path / "c.toml", {
        "manifest": {"url": "https://download.example.invalid/manifest.json",
                     "public_keys": [generate_keypair()[1]]},
        "download": {"allowed_hosts": ["download.example.invalid"], "proxy": proxy},
        "connectivity": {"timeout_s": 2, "probes": [
            {"name": "download", "url": "https://download.example.invalid/manifest.json"}]},
        "paths": {"data_dir": str(data)},
    })
    doctor = run_cli("doctor", "--config", str(cfg))
    fetch = run_cli("fetch", "--config", str(cfg))
    outputs = doctor.stdout + doctor.stderr + fetch.stdout + fetch.stderr
    assert "NET-PROXY" in doctor.stdout + doctor.stderr and "NET-PROXY" in fetch.stderr, outputs
    assert not _leaks(outputs, password), outputs
    for log in data.rglob("*.log*"):
        assert not _leaks(log.read_text(encoding="utf-8", errors="replace"), password), log

    # the GUI's path: the config is loaded, then log records and the report built from them
    load_config(cfg)
    applog.setup_logging(tmp_path / "logs")
    try:
        logging.getLogger("test").error("proxy %s failed: %s", proxy, LauncherError("NET-PROXY", proxy))
        applog.shutdown_logging()
        written = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "logs").glob("*.log*"))
        assert "proxy" in written and not _leaks(written, password), written
        report = diagnostics.build_report(app_version="t", step="download", error_code="NET-PROXY",
                                          error_detail=f"via {proxy}", proxy=proxy,
                                          log_tail=applog.tail(tmp_path / "logs"))
        assert not _leaks(report, password), report
    finally:
        applog.shutdown_logging()
