"""`--self-test` passes on a whole app and fails, naming what is missing, on a broken one."""

from __future__ import annotations

import sys
import time

import pytest

from tests.packaging.conftest import ROOT, run, self_test_in


def test_self_test_passes_from_source() -> None:
    proc = run([sys.executable, "-m", "launcher", "--self-test"])
    assert proc.returncode == 0, proc.stderr
    assert "ok first window painted" in proc.stdout
    assert "ok 19 automation names" in proc.stdout  # every one DESIGN.md names, each with its accessible name
    last = proc.stdout.strip().splitlines()[-1]
    assert last.startswith("SELFTEST OK first_paint_epoch=")
    assert int(last.rsplit("peak_rss_kib=", 1)[1]) > 0


LINUX_DEMO = "walks the Linux demo stand-in; the Windows demo: tests/windows/test_demo_windows.py"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason=LINUX_DEMO)
def test_self_test_with_demo_walks_the_whole_flow_and_leaves_nothing() -> None:
    import psutil

    started = time.time()
    proc = run([sys.executable, "-m", "launcher", "--self-test", "--demo"], timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "ok demo session: ID " in proc.stdout
    assert "ok demo session ended by Rozłącz, nothing left running" in proc.stdout
    last = proc.stdout.strip().splitlines()[-1]
    assert int(last.rsplit("session_peak_rss_kib=", 1)[1]) > 0
    left = []
    for p in psutil.process_iter(["cmdline", "create_time"]):
        try:
            if p.info["create_time"] >= started - 1 and "standin" in " ".join(p.info["cmdline"] or []):
                left.append(p.info["cmdline"])
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    assert left == []


def test_self_test_in_english() -> None:
    proc = run([sys.executable, "-m", "launcher", "--self-test", "--lang", "en"])
    assert proc.returncode == 0, proc.stderr
    if list((ROOT / "resources" / "translations").glob("launcher_en.ts")):
        assert "launcher_en" in proc.stdout


def test_missing_style_sheet_is_named(app_copy) -> None:
    (app_copy / "resources" / "style.qss").unlink()
    proc = self_test_in(app_copy)
    assert proc.returncode == 1
    assert "ERROR APP-RESOURCE" in proc.stderr
    assert "style.qss" in proc.stderr


def test_missing_regulamin_is_named(app_copy) -> None:
    (app_copy / "resources" / "regulamin.txt").unlink()
    proc = self_test_in(app_copy, "--lang", "en")
    assert proc.returncode == 1
    assert "ERROR APP-RESOURCE" in proc.stderr and "regulamin.txt" in proc.stderr
    assert "Some of the program's files are missing" in proc.stderr  # the English sentence


def test_uncompiled_translation_is_named(app_copy) -> None:
    folder = app_copy / "resources" / "translations"
    folder.mkdir(exist_ok=True)
    for qm in folder.glob("*.qm"):
        qm.unlink()
    if not (folder / "launcher_en.ts").exists():
        (folder / "launcher_en.ts").write_text('<?xml version="1.0"?><TS version="2.1" language="en"/>\n')
    proc = self_test_in(app_copy, "--lang", "en")
    assert proc.returncode == 1
    assert "ERROR APP-RESOURCE" in proc.stderr and "launcher_en.qm" in proc.stderr


@pytest.mark.parametrize(("source", "name"), [("launcher/ui/receipt_view.py", "receiptView"),
                                              ("launcher/ui/activity_list.py", "activityList")])
def test_a_missing_automation_name_is_named(app_copy, source, name) -> None:
    """A build whose widget lost its DESIGN.md name fails the self-test naming it (the vendor's UI automation
    would find nothing)."""
    path = app_copy / source
    text = path.read_text(encoding="utf-8")
    assert f'"{name}"' in text
    path.write_text(text.replace(f'"{name}"', f'"{name}Renamed"'), encoding="utf-8")
    proc = self_test_in(app_copy)
    assert proc.returncode == 1
    assert "ERROR APP-INTERNAL" in proc.stderr and f"widgets missing: {name}" in proc.stderr


def test_bad_config_fails_with_its_code(tmp_path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[hotline]\nno_such_key = 1\n")
    proc = run([sys.executable, "-m", "launcher", "--self-test", "--config", str(bad)])
    assert proc.returncode == 1
    assert "ERROR CFG-INVALID" in proc.stderr


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason=LINUX_DEMO)
def test_self_test_walks_the_session_against_the_configured_server(demo_server, tmp_path) -> None:
    """--walk-session: the same walk as --demo, against the manifest server --config names (here the demo
    server in this test's process, as a staging server would be), so nothing but the launcher runs in it."""
    from launcher.demo.session import demo_overrides
    from tests.support.demo_config import write_config

    config = write_config(tmp_path / "staging.toml", demo_overrides(demo_server, tmp_path / "data"))
    proc = run([sys.executable, "-m", "launcher", "--self-test", "--walk-session", "--config", str(config)],
               timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "ok demo session: ID " in proc.stdout and "(session walked)" in proc.stdout
    assert "ok demo session ended by Rozłącz, nothing left running" in proc.stdout
    last = proc.stdout.strip().splitlines()[-1]
    assert int(last.rsplit("session_peak_rss_kib=", 1)[1]) > 0


def test_walk_session_needs_self_test() -> None:
    proc = run([sys.executable, "-m", "launcher", "--walk-session"])
    assert proc.returncode == 2
    assert "--walk-session goes with --self-test" in proc.stderr
