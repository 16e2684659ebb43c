"""The real thing: PyInstaller build, .deb and .tar.xz, each run with --self-test from where it unpacks.

Takes minutes (about 3 on 2 cores), so it runs only with OVERMAX_PACKAGING_TESTS=1:
    OVERMAX_PACKAGING_TESTS=1 .venv/bin/pytest tests/packaging/test_frozen_build.py
It rebuilds dist/ and build/. CI's release job also installs the .deb with apt and runs the installed copy.
"""

from __future__ import annotations

import os
import sys
import tarfile
from pathlib import Path

import pytest

from tests.packaging.conftest import ROOT, need, run

pytestmark = [
    pytest.mark.skipif(os.environ.get("OVERMAX_PACKAGING_TESTS") != "1",
                       reason="slow: set OVERMAX_PACKAGING_TESTS=1 to build and test the frozen app"),
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the Linux packages"),
]


def _self_test(exe: Path, *args: str) -> None:
    proc = run([str(exe), "--self-test", *args], timeout=60, cwd=exe.parent)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "(frozen," in proc.stdout
    assert proc.stdout.strip().splitlines()[-1].startswith("SELFTEST OK")


@pytest.fixture(scope="module")
def built() -> Path:
    need("dpkg-deb")
    need("xz")
    proc = run(["bash", str(ROOT / "installer" / "build.sh")], timeout=1800)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert "SELFTEST OK" in proc.stdout
    return ROOT / "dist"


def test_the_build_records_the_sources_it_was_built_from(built: Path) -> None:
    """dist/BUILT-FROM.sha256: the benchmarks time the frozen app only while it matches the checkout."""
    from tests.perf.run import frozen_paths
    from tests.support.build_stamp import stale_reason

    assert stale_reason(built) is None
    assert frozen_paths()[0] == built / "OvermaxPomocZdalna" / "OvermaxPomocZdalna"
    assert not (built / "OvermaxPomocZdalna" / "BUILT-FROM.sha256").exists()  # never shipped inside the app


def test_frozen_app_walks_the_demo_flow(built: Path) -> None:
    """The frozen app is its own demo QuickSupport (`demo-standin`): the whole flow runs frozen."""
    exe = built / "OvermaxPomocZdalna" / "OvermaxPomocZdalna"
    proc = run([str(exe), "--self-test", "--demo"], timeout=120, cwd=exe.parent)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "ok demo session ended by Rozłącz, nothing left running" in proc.stdout


def test_frozen_app_walks_the_session_against_a_server_outside_it(built: Path, demo_server, tmp_path: Path) -> None:
    """--walk-session frozen, against the manifest server this test serves (as the memory benchmark and a
    staging check do); the frozen bytecode settings are in force."""
    from launcher.demo.session import demo_overrides
    from tests.support.demo_config import write_config

    exe = built / "OvermaxPomocZdalna" / "OvermaxPomocZdalna"
    config = write_config(tmp_path / "staging.toml", demo_overrides(demo_server, tmp_path / "data"))
    proc = run([str(exe), "--self-test", "--walk-session", "--config", str(config)], timeout=120, cwd=exe.parent)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "(session walked)" in proc.stdout and "ok demo session ended by Rozłącz" in proc.stdout


def test_deb_unpacked_runs_self_test(built: Path, tmp_path: Path) -> None:
    deb = next(built.glob("overmax-pomoc-zdalna_*.deb"))
    assert run(["dpkg-deb", "-x", str(deb), str(tmp_path)]).returncode == 0
    _self_test(tmp_path / "opt" / "overmax-pomoc-zdalna" / "OvermaxPomocZdalna")
    _self_test(tmp_path / "opt" / "overmax-pomoc-zdalna" / "OvermaxPomocZdalna", "--lang", "en")


def test_tarball_unpacked_runs_self_test(built: Path, tmp_path: Path) -> None:
    tarball = next(built.glob("overmax-pomoc-zdalna-*-linux-*.tar.xz"))
    with tarfile.open(tarball) as tar:
        tar.extractall(tmp_path, filter="tar")
    (top,) = tmp_path.iterdir()
    _self_test(top / "OvermaxPomocZdalna")


def test_frozen_app_ships_only_the_qt_it_uses(built: Path) -> None:
    internal = built / "OvermaxPomocZdalna" / "_internal"
    plugins = {p.relative_to(internal / "PySide6" / "Qt" / "plugins").as_posix()
               for p in (internal / "PySide6" / "Qt" / "plugins").rglob("*.so")}
    assert "platforms/libqxcb.so" in plugins and "platforms/libqwayland.so" in plugins
    assert not any(p.startswith(("imageformats/", "qmltooling/", "sqldrivers/", "tls/")) for p in plugins)
    libs = {p.name for p in internal.rglob("libQt6*")}
    assert not any(name.startswith(("libQt6Qml", "libQt6Quick", "libQt6Pdf")) for name in libs)
    assert any(name.startswith("libQt6Network") for name in libs)  # the single-instance socket
    translations = {p.name for p in (internal / "PySide6" / "Qt" / "translations").glob("*.qm")}
    assert translations == {"qtbase_pl.qm", "qtbase_en.qm"}
    assert not list(internal.glob("libgtk*")) and not list(internal.glob("libcairo*"))


def test_frozen_app_paints_on_a_real_x_server(built: Path) -> None:
    """Offscreen proves the app; this proves the bundled xcb plugin and its libraries load."""
    import subprocess

    xvfb = need("Xvfb")
    read_fd, write_fd = os.pipe()
    server = subprocess.Popen([xvfb, "-displayfd", str(write_fd), "-screen", "0", "1024x768x24", "-nolisten",
                               "tcp"], pass_fds=(write_fd,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write_fd)
    try:
        with os.fdopen(read_fd) as pipe:
            display = pipe.readline().strip()
        assert display, "Xvfb did not start"
        env = dict(os.environ, DISPLAY=f":{display}", QT_QPA_PLATFORM="xcb")
        exe = built / "OvermaxPomocZdalna" / "OvermaxPomocZdalna"
        proc = run([str(exe), "--self-test"], timeout=60, env=env)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        assert "platform xcb" in proc.stdout
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="installing a .deb needs root")
def test_deb_installs_runs_from_the_installed_path_and_removes_cleanly(built: Path) -> None:
    need("dpkg")
    deb = next(built.glob("overmax-pomoc-zdalna_*.deb"))
    installed = Path("/opt/overmax-pomoc-zdalna/OvermaxPomocZdalna")
    proc = run(["dpkg", "-i", str(deb)], timeout=300)
    try:
        assert proc.returncode == 0, proc.stdout + proc.stderr
        _self_test(installed)
        launcher_cmd = Path("/usr/bin/overmax-pomoc-zdalna")
        assert launcher_cmd.exists()
        proc = run([str(launcher_cmd), "--self-test"], timeout=60)
        assert proc.returncode == 0 and "SELFTEST OK" in proc.stdout, proc.stdout + proc.stderr
        assert Path("/usr/share/applications/eu.overmax.pomoczdalna.desktop").is_file()
    finally:
        removed = run(["dpkg", "--purge", "overmax-pomoc-zdalna"], timeout=300)
    assert removed.returncode == 0, removed.stdout + removed.stderr
    assert not installed.exists()
