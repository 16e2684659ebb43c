from __future__ import annotations

import platform
from datetime import UTC, datetime

import pytest

from launcher.core.connectivity import ProbeResult
from launcher.core.diagnostics import HIDDEN, build_report, redact

PASSWORD = "k7Qx9pZ"


def test_redact_secrets_everywhere_in_any_case():
    text = f"password {PASSWORD} then {PASSWORD.upper()} and again{PASSWORD}."
    out = redact(text, [PASSWORD])
    assert PASSWORD.lower() not in out.lower()
    assert out == f"password {HIDDEN} then {HIDDEN} and again{HIDDEN}."


def test_redact_ignores_empty_secrets_and_prefers_the_longest():
    assert redact("abc abcdef", ["", "  ", "abcdef", "abc"]) == f"{HIDDEN} {HIDDEN}"
    assert redact("nothing here", []) == "nothing here"
    assert redact("", ["x"]) == ""


def test_redact_token_like_parameters():
    url = "https://dl.example.com/qs.exe?token=abc123&v=2&sig=ZZZ&X-Amz-Signature=f00d&api_key=K1"
    out = redact(url)
    for value in ("abc123", "ZZZ", "f00d", "K1"):
        assert value not in out
    assert "v=2" in out
    assert f"token={HIDDEN}" in out and f"sig={HIDDEN}" in out and f"api_key={HIDDEN}" in out
    assert f"key={HIDDEN}" in redact("GET /x?key=secretvalue HTTP/1.1")
    assert redact(out) == out  # idempotent


def test_redact_url_credentials():
    out = redact("proxy http://jan:Tajne123@proxy.firma.pl:3128 in use")
    assert "Tajne123" not in out
    assert f"http://jan:{HIDDEN}@proxy.firma.pl:3128" in out


def test_report_contents():
    results = [
        ProbeResult("dns", "dns", True, "router1.teamviewer.com: 1.2.3.4", None, 0.02),
        ProbeResult("download", "https", False, "ConnectTimeout", "NET-HTTPS", 3.0),
        ProbeResult("teamviewer", "tcp", True, "router1.teamviewer.com:443 answered", None, 0.1, port=443),
    ]
    report = build_report(
        app_version="0.1.0", step="check", error_code="NET-HTTPS", error_detail="HEAD timed out",
        probe_results=results, proxy="http://proxy.firma.pl:3128", manifest_serial=7,
        artifact_sha256="ab" * 32, log_tail="line one\nline two\n", config_source="/tmp/custom.toml",
        changed_keys=["manifest.url"], now=datetime(2026, 3, 2, 9, 15, 0, tzinfo=UTC),
    )
    assert "Czas (UTC): 2026-03-02T09:15:00Z" in report
    assert "Wersja programu: 0.1.0" in report
    assert platform.system() in report and platform.python_version() in report
    assert "Krok: check" in report
    assert "Błąd: NET-HTTPS (Serwer pobierania jest niedostępny z tego komputera.)" in report
    assert "HEAD timed out" in report
    assert "/tmp/custom.toml" in report and "manifest.url" in report
    assert "proxy.firma.pl:3128" in report
    assert "manifest serial): 7" in report and "ab" * 32 in report
    assert "BŁĄD download [https] NET-HTTPS" in report
    assert "OK   teamviewer [tcp] port 443" in report
    assert "  line one\n  line two\n" in report
    assert "Qt" not in report


def test_report_without_error_or_results():
    report = build_report(app_version="0.1.0", step="terms", error_code=None, error_detail="")
    assert "Błąd: brak" in report
    assert "(nie wykonano)" in report and "Konfiguracja: wbudowana" in report
    assert report.endswith("=== koniec raportu ===\n")


def test_planted_password_appears_nowhere_in_the_report():
    detail = f"credentials window said {PASSWORD}"
    report = build_report(
        app_version="0.1.0", step="session", error_code="QS-EXITED", error_detail=detail,
        probe_results=[ProbeResult("download", "https", True, f"HTTP 200 ?token={PASSWORD}", None, 0.1)],
        proxy=f"http://user:{PASSWORD}@proxy:3128", log_tail=f"read password {PASSWORD}\n",
        changed_keys=[PASSWORD], secrets=[PASSWORD],
    )
    assert PASSWORD not in report and PASSWORD.lower() not in report.lower()
    assert report.count(HIDDEN) >= 5


def test_a_report_saved_onto_a_full_disk_is_disk_full_and_leaves_nothing(tmp_path):
    from launcher.core.diagnostics import save_report
    from launcher.core.errors import LauncherError
    from tests.support.tmpfs import fill_up, mounted_tmpfs

    with mounted_tmpfs(tmp_path / "full", "size=64k") as folder:
        fill_up(folder).unlink()  # the filler goes; a second one takes every byte it left
        fill_up(folder)
        with pytest.raises(LauncherError) as info:
            save_report("=== raport ===\n" * 2000, folder)
        assert info.value.code == "DL-DISK-FULL"
        assert [p.name for p in folder.iterdir()] == ["filler.bin"]
