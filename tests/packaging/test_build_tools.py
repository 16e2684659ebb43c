"""The build tooling: Qt pruning rules, icons, the NSIS script (compiled for real where makensis exists)
and the Linux packages built from a stand-in onedir folder (the real build is in test_frozen_build.py)."""

from __future__ import annotations

import configparser
import os
import shutil
import struct
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from tests.packaging.conftest import ROOT, need, run

sys.path.insert(0, str(ROOT / "installer"))
import pyi_qt  # noqa: E402

ICONS = ROOT / "resources" / "icons"


@pytest.mark.parametrize(("dest", "platform", "kept"), [
    ("PySide6/Qt/plugins/platforms/libqxcb.so", "linux", True),
    ("PySide6/Qt/plugins/platforms/libqwayland.so", "linux", True),
    ("PySide6/Qt/plugins/platforms/libqoffscreen.so", "linux", True),
    ("PySide6/Qt/plugins/platforms/libqvnc.so", "linux", False),
    ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", "linux", False),
    ("PySide6/Qt/plugins/platforminputcontexts/libqtvirtualkeyboardplugin.so", "linux", False),
    ("PySide6/Qt/plugins/imageformats/libqjpeg.so", "linux", False),
    ("PySide6\\Qt\\plugins\\platforms\\qwindows.dll", "win32", True),
    ("PySide6\\Qt\\plugins\\styles\\qmodernwindowsstyle.dll", "win32", True),
    ("PySide6\\Qt\\plugins\\platforms\\qdirect2d.dll", "win32", False),
    ("PySide6/Qt/plugins/platforms/libqcocoa.dylib", "darwin", True),
    ("PySide6/Qt/translations/qtbase_pl.qm", "linux", True),
    ("PySide6/Qt/translations/qtbase_de.qm", "linux", False),
    ("PySide6/Qt/translations/qt_help_pl.qm", "linux", False),
    ("PySide6/Qt/lib/libQt6Qml.so.6", "linux", False),
    ("PySide6/Qt/lib/libQt6Widgets.so.6", "linux", True),
    ("PySide6/Qt/lib/libQt6DBus.so.6", "linux", True),  # QtGui links it on Linux
    ("PySide6\\Qt6DBus.dll", "win32", False),
    ("PySide6\\opengl32sw.dll", "win32", False),
    ("PySide6/Qt/lib/libicudata.so.73", "linux", True),
    ("resources/regulamin.txt", "linux", True),
])
def test_qt_pruning_rules(dest: str, platform: str, kept: bool) -> None:
    assert pyi_qt.keep(dest, platform) is kept


def test_icons_hold_every_size_the_installers_need() -> None:
    ico = (ICONS / "app.ico").read_bytes()
    reserved, kind, count = struct.unpack_from("<HHH", ico)
    assert (reserved, kind) == (0, 1)
    sizes = {struct.unpack_from("<B", ico, 6 + 16 * i)[0] or 256 for i in range(count)}
    assert {16, 32, 48, 256} <= sizes
    icns = (ICONS / "app.icns").read_bytes()
    assert icns[:4] == b"icns" and struct.unpack(">I", icns[4:8])[0] == len(icns)
    types, pos = set(), 8
    while pos < len(icns):
        types.add(icns[pos:pos + 4])
        pos += struct.unpack(">I", icns[pos + 4:pos + 8])[0]
    assert {b"ic07", b"ic08", b"ic09", b"ic10"} <= types
    assert (ICONS / "app.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def _fake_onedir(parent: Path, exe_name: str = "OvermaxPomocZdalna") -> Path:
    """A folder shaped like PyInstaller's onedir output; its 'executable' is a tiny shell script."""
    app = parent / "OvermaxPomocZdalna"
    (app / "_internal" / "resources").mkdir(parents=True)
    (app / "_internal" / "resources" / "config.toml").write_text("# stand-in\n")
    exe = app / exe_name
    exe.write_text("#!/bin/sh\necho stand-in \"$@\"\n")
    exe.chmod(0o755)
    return app


def _makensis(tmp_path: Path, sign_cmd: str | None) -> tuple[subprocess.CompletedProcess, Path]:
    makensis = need("makensis")
    app = _fake_onedir(tmp_path, "OvermaxPomocZdalna.exe")
    out = tmp_path / "OvermaxPomocZdalna-0.1.0-setup.exe"
    cmd = [makensis, "-V2", "-WX", "-DVERSION=0.1.0", f"-DSOURCE_DIR={app}", f"-DOUTFILE={out}"]
    if sign_cmd:
        cmd.append(f"-DSIGN_CMD={sign_cmd}")
    return run([*cmd, str(ROOT / "installer" / "windows" / "installer.nsi")], timeout=60), out


def test_nsis_script_compiles_without_warnings(tmp_path: Path) -> None:
    proc, out = _makensis(tmp_path, None)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert out.read_bytes()[:2] == b"MZ"


def test_nsis_signs_installer_and_uninstaller(tmp_path: Path) -> None:
    log = tmp_path / "signed.txt"
    signer = tmp_path / "sign.py"  # Python, so the same stand-in runs under cmd.exe and sh
    signer.write_text(f"import sys\nwith open({str(log)!r}, 'a') as f:\n    f.write(sys.argv[1] + '\\n')\n")
    proc, out = _makensis(tmp_path, f'"{sys.executable}" "{signer}"')
    assert proc.returncode == 0, proc.stdout + proc.stderr
    signed = log.read_text().split("\n")[:-1]
    assert len(signed) == 2 and Path(signed[-1]) == out  # the uninstaller first, then the installer


def test_nsis_refuses_to_ship_when_signing_fails(tmp_path: Path) -> None:
    proc, out = _makensis(tmp_path, "false")
    assert proc.returncode != 0
    assert not out.exists()


def test_sign_sh_gives_signtool_the_ci_certificate_and_leaves_no_copy_of_it(tmp_path: Path) -> None:
    """CI hands the signing certificate over as base64: sign.sh writes it out for signtool in a folder of its
    user's alone and removes the folder afterwards (a stand-in signtool: the real one runs on Windows only)."""
    import base64

    temp, seen = tmp_path / "temp", tmp_path / "seen"
    temp.mkdir()
    signtool = tmp_path / "signtool"
    signtool.write_text('#!/bin/sh\n[ "$1" = verify ] && exit 0\n'
                        'while [ $# -gt 0 ]; do\n'
                        '  if [ "$1" = /f ]; then cat "$2" > "$SEEN"; stat -c %a "$(dirname "$2")" > "$SEEN.mode"; fi\n'
                        '  shift\n'
                        'done\n')
    signtool.chmod(0o755)
    target = tmp_path / "OvermaxPomocZdalna.exe"
    target.write_bytes(b"MZ")
    pfx = bytes(range(256)) * 4
    env = {**os.environ, "TMPDIR": str(temp), "SEEN": str(seen), "SIGNTOOL": str(signtool),
           "WINDOWS_CERT_PFX_BASE64": base64.b64encode(pfx).decode(), "WINDOWS_CERT_PASSWORD": "s3cret"}
    proc = run(["bash", str(ROOT / "installer" / "windows" / "sign.sh"), str(target)], env=env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert seen.read_bytes() == pfx
    assert (tmp_path / "seen.mode").read_text().strip() == "700"
    assert list(temp.iterdir()) == []  # neither the certificate nor its folder is left


def _desktop_entry(text: str) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str
    parser.read_string(text)
    return parser["Desktop Entry"]


def test_linux_packages_layout(tmp_path: Path) -> None:
    need("dpkg-deb")
    need("xz")
    app = _fake_onedir(tmp_path / "dist")
    out = tmp_path / "out"
    out.mkdir()
    env = dict(os.environ, OUT_DIR=str(out), STAGE_DIR=str(tmp_path / "stage"))
    proc = run(["bash", str(ROOT / "installer" / "linux" / "build.sh"), str(app), "0.1.0"], env=env)
    assert proc.returncode == 0, proc.stderr
    deb = next(out.glob("overmax-pomoc-zdalna_0.1.0_*.deb"))
    info = run(["dpkg-deb", "--field", str(deb), "Package", "Version", "Depends"]).stdout
    assert "Package: overmax-pomoc-zdalna" in info and "Version: 0.1.0" in info
    assert "libxcb-icccm4" in info and "libc6 (>= " in info

    root = tmp_path / "root"
    assert run(["dpkg-deb", "-x", str(deb), str(root)]).returncode == 0
    exe = root / "opt" / "overmax-pomoc-zdalna" / "OvermaxPomocZdalna"
    assert os.access(exe, os.X_OK)
    assert os.readlink(root / "usr" / "bin" / "overmax-pomoc-zdalna") == "/opt/overmax-pomoc-zdalna/OvermaxPomocZdalna"
    desktop = root / "usr/share/applications/eu.overmax.pomoczdalna.desktop"
    if shutil.which("desktop-file-validate"):
        check = run(["desktop-file-validate", str(desktop)])
        assert check.returncode == 0 and not check.stdout.strip(), check.stdout
    entry = _desktop_entry(desktop.read_text())
    assert entry["Exec"] == "/opt/overmax-pomoc-zdalna/OvermaxPomocZdalna"
    assert (root / "usr/share/icons/hicolor/256x256/apps" / f"{entry['Icon']}.png").is_file()
    assert entry["Type"] == "Application" and entry["Terminal"] == "false"

    tarball = next(out.glob("overmax-pomoc-zdalna-0.1.0-linux-*.tar.xz"))
    with tarfile.open(tarball) as tar:
        names = set(tar.getnames())
        assert "overmax-pomoc-zdalna-0.1.0/OvermaxPomocZdalna" in names
        assert "overmax-pomoc-zdalna-0.1.0/_internal/resources/config.toml" in names
        assert all(m.uid == 0 and m.gid == 0 for m in tar.getmembers())
