"""The Windows QuickSupport stand-in on Linux: the PE it builds to, its Authenticode copies, and --demo's
Windows manifest through the production fetch with the per-process publisher exemption.

Running it is proven under Wine in tests/e2e/test_windows_standin_wine.py and in the Windows suite.
"""

from __future__ import annotations

import ast
import hashlib
import re
import shutil
import struct
import subprocess
from pathlib import Path

import pytest

from launcher.config import load_config
from launcher.core import publisher
from launcher.core.errors import LauncherError, spec
from launcher.core.fetch import fetch_quicksupport
from launcher.core.manifest import Artifact
from launcher.core.paths import app_paths
from launcher.core.publisher import check_publisher, osslsigncode_check
from launcher.demo import scenario, windows_standin
from launcher.demo.server import DEMO_PUBLISHER, DemoServer
from launcher.demo.session import demo_overrides
from scripts.build_windows_standin import COMPILER, DEFAULT_OUTPUT, SOURCE, BuildError, build_standin, compiler
from tests.support.authenticode import STANDIN_COPIES, StandinCopies, signed_standins, standin_tools_missing

REPO = Path(__file__).resolve().parents[2]
needs_mingw = pytest.mark.skipif(compiler() is None, reason=f"{COMPILER} is not installed (scripts/system-deps.sh)")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if compiler() is None:
        pytest.skip(f"{COMPILER} is not installed (scripts/system-deps.sh)")
    return build_standin(tmp_path_factory.mktemp("standin") / "TeamViewerQS.exe")


@pytest.fixture(scope="module")
def copies(tmp_path_factory: pytest.TempPathFactory) -> StandinCopies:
    if why := standin_tools_missing():
        pytest.skip(why)
    return signed_standins(tmp_path_factory.mktemp("signed"))


# ---------------------------------------------------------------- the PE


def _pe_header(data: bytes) -> tuple[int, int, int]:
    """(machine, optional-header magic, subsystem) of a PE file."""
    assert data[:2] == b"MZ"
    pe = struct.unpack_from("<I", data, 0x3C)[0]
    assert data[pe : pe + 4] == b"PE\0\0"
    machine = struct.unpack_from("<H", data, pe + 4)[0]
    magic, subsystem = struct.unpack_from("<H", data, pe + 24)[0], struct.unpack_from("<H", data, pe + 24 + 68)[0]
    return machine, magic, subsystem


def test_builds_a_pe32_plus_x86_64_gui_program(built: Path) -> None:
    machine, magic, subsystem = _pe_header(built.read_bytes())
    assert (machine, magic, subsystem) == (0x8664, 0x20B, 2)  # AMD64, PE32+, Windows GUI (no console)


@needs_mingw
def test_imports_only_system_dlls(built: Path) -> None:
    objdump = shutil.which("x86_64-w64-mingw32-objdump")
    if objdump is None:
        pytest.skip("x86_64-w64-mingw32-objdump is not installed (binutils-mingw-w64-x86-64)")
    out = subprocess.run([objdump, "-p", str(built)], capture_output=True, text=True, check=True).stdout
    dlls = {name.lower() for name in re.findall(r"DLL Name: (\S+)", out)}
    assert dlls == {"kernel32.dll", "user32.dll", "msvcrt.dll"}  # nothing to ship beside it


def test_build_is_reproducible(built: Path, tmp_path: Path) -> None:
    again = build_standin(tmp_path / "again.exe")
    assert again.read_bytes() == built.read_bytes()


def test_the_built_exe_is_a_git_ignored_build_product() -> None:
    if shutil.which("git") is None or not (REPO / ".git").exists():
        pytest.skip("not a git checkout")
    rel = windows_standin.STANDIN_EXE.relative_to(REPO)
    result = subprocess.run(["git", "-C", str(REPO), "check-ignore", "-q", str(rel)], check=False)
    assert result.returncode == 0, f"{rel} is not git-ignored"
    assert windows_standin.STANDIN_EXE == REPO / "launcher" / "demo" / "windows" / "TeamViewerQS.exe"
    assert DEFAULT_OUTPUT == windows_standin.STANDIN_EXE  # the builder writes where --demo looks


def test_missing_compiler_is_a_clear_build_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr("scripts.build_windows_standin.compiler", lambda: None)
    with pytest.raises(BuildError, match="gcc-mingw-w64-x86-64"):
        build_standin(tmp_path / "x.exe")
    assert not list(tmp_path.iterdir())  # no half-built file


# ---------------------------------------------------------------- one set of options for both stand-ins


def _c_defines() -> dict[str, str]:
    text = SOURCE.read_text(encoding="ascii")  # ASCII only: the Polish letters are \u escapes
    return {name: ast.literal_eval('"' + value + '"')
            for name, value in re.findall(r'^#define (\w+) L"((?:[^"\\]|\\.)*)"', text, re.M)}


def test_c_source_has_the_demo_people_of_scenario_py() -> None:
    defines = _c_defines()
    assert defines["CONSULTANT_ID"] == scenario.CONSULTANT_ID
    assert defines["CONSULTANT_NAME"] == scenario.CONSULTANT_NAME == "Łukasz Żółć"
    assert defines["IMPOSTOR_ID"] == scenario.IMPOSTOR_ID
    assert defines["IMPOSTOR_NAME"] == scenario.IMPOSTOR_NAME


def test_c_source_reads_every_option_scenario_py_names() -> None:
    text = SOURCE.read_text(encoding="ascii")
    names = [v for k, v in vars(scenario).items() if k.startswith("ENV_")]
    assert len(names) >= 13
    for name in names:
        assert f'L"{name}"' in text, f"standin.c does not read {name}"
        assert f" *   {name}" in text, f"standin.c's header does not document {name}"
    for value in (*scenario.SCENARIOS, *scenario.JOIN_WORDINGS, *scenario.LOG_ENCODINGS, *scenario.BREAKAWAY_MODES):
        assert f'L"{value}"' in text


# ---------------------------------------------------------------- Authenticode


def test_signed_copy_passes_with_the_publisher_name(copies: StandinCopies) -> None:
    line = osslsigncode_check(copies.signed, copies.publisher, ca_file=copies.root_ca)
    assert "TeamViewer Germany GmbH" in line
    assert _pe_header(copies.signed.read_bytes())[0] == 0x8664  # still the same program, signed


@pytest.mark.parametrize(("which", "why"), [("tampered", "digest mismatch"), ("unsigned", "no signer"),
                                            ("other_signer", "is not 'TeamViewer Germany GmbH'")])
def test_bad_copies_are_refused(copies: StandinCopies, which: str, why: str) -> None:
    with pytest.raises(LauncherError) as info:
        osslsigncode_check(getattr(copies, which), copies.publisher, ca_file=copies.root_ca)
    assert info.value.code == "DL-PUBLISHER"
    assert why in info.value.detail


def test_copies_have_the_stable_names_the_lane_serves(copies: StandinCopies) -> None:
    for field, name in STANDIN_COPIES.items():
        assert getattr(copies, field).name == name
    assert copies.tampered.stat().st_size == copies.signed.stat().st_size
    assert copies.tampered.read_bytes() != copies.signed.read_bytes()


def test_signing_reuses_a_given_pki(copies: StandinCopies, tmp_path: Path) -> None:
    again = signed_standins(tmp_path, copies.root_ca.parent, exe=copies.unsigned)
    assert again.root_ca == copies.root_ca
    osslsigncode_check(again.signed, again.publisher, ca_file=copies.root_ca)


# ---------------------------------------------------------------- --demo on Windows: the manifest and the rule


def _artifact(path: Path, sha256: str | None = None) -> Artifact:
    data = path.read_bytes()
    return Artifact(platform="windows-x86_64", url="http://127.0.0.1/TeamViewerQS.exe", size=len(data),
                    sha256=sha256 or hashlib.sha256(data).hexdigest(), version="1", kind="exe",
                    publisher=DEMO_PUBLISHER)


def test_production_exe_without_a_publisher_check_never_passes(tmp_path: Path) -> None:
    exe = tmp_path / "TeamViewerQS.exe"
    exe.write_bytes(b"MZ" + b"\0" * 500)
    with pytest.raises(LauncherError) as info:
        check_publisher(exe, _artifact(exe))  # no WinVerifyTrust here and no exemption: refused
    assert info.value.code == "DL-PUBLISHER"
    assert not exe.exists()  # and deleted


def test_exemption_covers_those_bytes_alone(tmp_path: Path) -> None:
    exe = tmp_path / "TeamViewerQS.exe"
    exe.write_bytes(b"MZ demo stand-in")
    sha = hashlib.sha256(exe.read_bytes()).hexdigest()
    publisher.exempt_demo_artifact(sha)
    try:
        assert check_publisher(exe, _artifact(exe)).startswith("DEMO: ")
        exe.write_bytes(b"MZ other bytes!!")  # the manifest's sha256 still names the exempt bytes
        with pytest.raises(LauncherError) as info:
            check_publisher(exe, _artifact(exe, sha))
        assert info.value.code == "DL-PUBLISHER"
    finally:
        publisher.withdraw_demo_exemption(sha)
    exe.write_bytes(b"MZ demo stand-in")
    with pytest.raises(LauncherError):
        check_publisher(exe, _artifact(exe))  # withdrawn: the production rule again


def test_only_the_demo_server_grants_the_exemption() -> None:
    """No config key, CLI option or other module can reach it: one caller, the --demo server."""
    callers = sorted(str(p.relative_to(REPO)) for p in (REPO / "launcher").rglob("*.py")
                     if "exempt_demo_artifact(" in p.read_text(encoding="utf-8"))
    assert callers == ["launcher/core/publisher.py", "launcher/demo/server.py"]
    assert "exempt_demo_artifact(sha256: str)" in (REPO / "launcher/core/publisher.py").read_text(encoding="utf-8")


def _windows_demo(tmp_path: Path) -> tuple[DemoServer, object, object]:
    server = DemoServer(tmp_path / "www", platform="windows-x86_64")
    server.root.mkdir()
    server.start()
    config = load_config(None, overrides=demo_overrides(server, tmp_path / "data"))
    return server, config, app_paths(config.paths.data_dir).ensure()


@pytest.fixture
def as_windows(monkeypatch: pytest.MonkeyPatch) -> None:
    """The manifest picks this machine's platform key: make it Windows' (the fetch itself is unchanged)."""
    monkeypatch.setattr("launcher.core.manifest.current_platform_key", lambda: "windows-x86_64")


@pytest.fixture
def standin_in_place(built: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(windows_standin, "STANDIN_EXE", built)
    return built


def test_windows_demo_serves_the_pe_through_the_production_fetch(
        tmp_path: Path, as_windows: None, standin_in_place: Path) -> None:
    server, config, paths = _windows_demo(tmp_path)
    try:
        verified = fetch_quicksupport(config, paths)
        assert verified.artifact.kind == "exe"
        assert verified.artifact.publisher == "TeamViewer Germany GmbH"
        assert verified.artifact.size == standin_in_place.stat().st_size
        assert verified.path.read_bytes() == standin_in_place.read_bytes()
        assert verified.artifact.sha256 == hashlib.sha256(standin_in_place.read_bytes()).hexdigest()
    finally:
        server.stop()
    assert not publisher._demo_exempt_sha256  # withdrawn with the server


def test_windows_demo_bytes_without_the_exemption_are_refused(
        tmp_path: Path, as_windows: None, standin_in_place: Path) -> None:
    server, config, paths = _windows_demo(tmp_path)
    try:
        publisher.withdraw_demo_exemption(server._exempt_sha256)  # the same bytes, as any other server
        with pytest.raises(LauncherError) as info:
            fetch_quicksupport(config, paths)
        assert info.value.code == "DL-PUBLISHER"
        assert not list(paths.cache.glob("*.exe"))  # never left where it could be run
    finally:
        server.stop()


def test_windows_demo_without_the_built_exe_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(windows_standin, "STANDIN_EXE", tmp_path / "absent" / "TeamViewerQS.exe")
    server = DemoServer(tmp_path, platform="windows-x86_64")
    with pytest.raises(LauncherError) as info:
        server.start()
    assert info.value.code == "APP-DEMO-STANDIN"
    assert spec("APP-DEMO-STANDIN").what("en")
    assert server._httpd is None  # the server it had started is stopped again
    assert not publisher._demo_exempt_sha256


def test_macos_demo_is_still_man_platform(tmp_path: Path) -> None:
    with pytest.raises(LauncherError) as info:
        DemoServer(tmp_path, platform="macos-universal").start()
    assert info.value.code == "MAN-PLATFORM"


def test_demo_on_windows_without_the_exe_is_a_catalogued_error(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """`--demo` on Windows where the stand-in was neither built nor bundled: a code, not a traceback."""
    from launcher.__main__ import main

    monkeypatch.setattr("launcher.demo.server.current_platform_key", lambda: "windows-x86_64")
    monkeypatch.setattr(windows_standin, "STANDIN_EXE", tmp_path / "TeamViewerQS.exe")
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    assert main(["--demo"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("ERROR APP-DEMO-STANDIN: ")
    assert "Traceback" not in err
