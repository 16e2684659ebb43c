"""The OS publisher signature, defence in depth behind the signed manifest's sha256.

Windows: WinVerifyTrust (no UI, revocation checked for the chain except the root, as signtool does),
then the signer certificate's CN must equal the manifest's `publisher`. macOS: the dmg is mounted
read-only and hidden, the .app copied out, `codesign --verify --deep --strict`, TeamIdentifier must
equal `team_id` (notarization assessment alone is not a reason to fail). Linux: the manifest hash is
the check. A file that fails is deleted. The text parsers here are pure and tested on every OS.
"""

from __future__ import annotations

import contextlib
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from launcher.core.errors import LauncherError
from launcher.core.manifest import Artifact

_TOOL_TIMEOUT = 120


# ---------------------------------------------------------------- pure logic


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def parse_dn(subject: str) -> dict[str, str]:
    """'/C=DE/O=TeamViewer Germany GmbH/CN=TeamViewer Germany GmbH' or 'CN=..., O=...' -> {'CN': ..., ...}."""
    subject = subject.strip()
    if subject.startswith("/"):
        parts = re.split(r"/(?=[A-Za-z.0-9]+=)", subject[1:])
    else:
        parts = re.split(r",\s*(?=[A-Za-z.0-9]+\s*=)", subject)
    fields: dict[str, str] = {}
    for part in parts:
        if "=" in part:
            key, value = part.split("=", 1)
            fields.setdefault(key.strip().upper(), value.strip().strip('"'))
    return fields


def subject_matches(signer_cn: str, expected: str) -> bool:
    """Exact (Unicode-normalized, whitespace-collapsed) match of the signer's CN; never a substring."""
    return bool(expected.strip()) and _norm(signer_cn) == _norm(expected)


@dataclass(frozen=True)
class OsslVerify:
    ok: bool
    signer_subject: str = ""
    reasons: tuple[str, ...] = field(default_factory=tuple)

    @property
    def signer_cn(self) -> str:
        return parse_dn(self.signer_subject).get("CN", "")


def parse_osslsigncode_verify(output: str, returncode: int) -> OsslVerify:
    """Read `osslsigncode verify` output: overall verdict and the leaf signer's subject."""
    reasons = []
    if returncode != 0:
        reasons.append(f"exit status {returncode}")
    if "MISMATCH" in output:
        reasons.append("message digest mismatch (file changed after signing)")
    if "Signature verification: ok" not in output:
        reasons.append("signature verification failed")
    if not re.search(r"^Succeeded\s*$", output, re.M):
        reasons.append("osslsigncode did not report success")
    subject = ""
    block = output.split("Signer's certificate:", 1)
    if len(block) == 2:
        match = re.search(r"Signer #0:\s*\n\s*Subject:\s*(.+)", block[1])
        if match:
            subject = match.group(1).strip()
    if not subject:
        reasons.append("no signer found")
    return OsslVerify(ok=not reasons, signer_subject=subject, reasons=tuple(reasons))


def osslsigncode_check(path: Path, publisher: str, *, ca_file: Path | None = None,
                       tool: str | None = None) -> str:
    """Authenticode check with osslsigncode (release tool, tests); raises LauncherError DL-PUBLISHER."""
    exe = tool or shutil.which("osslsigncode")
    if not exe:
        raise FileNotFoundError("osslsigncode is not installed")
    cmd = [exe, "verify", "-in", str(path)]
    if ca_file is not None:
        cmd += ["-CAfile", str(ca_file)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=_TOOL_TIMEOUT, check=False)
    result = parse_osslsigncode_verify(proc.stdout + proc.stderr, proc.returncode)
    if not result.ok:
        raise LauncherError("DL-PUBLISHER", f"{path.name}: {'; '.join(result.reasons)}")
    if not subject_matches(result.signer_cn, publisher):
        raise LauncherError("DL-PUBLISHER", f"{path.name}: signer {result.signer_cn!r} is not {publisher!r}")
    return f"authenticode (osslsigncode): valid signature by {result.signer_cn!r}"


def parse_codesign_display(output: str) -> dict[str, str]:
    """`codesign -dv --verbose=2 APP` (its stderr) -> {'TeamIdentifier': ..., 'Authority': ..., ...}."""
    fields: dict[str, str] = {}
    for line in output.splitlines():
        if "=" in line:
            key, value = line.split("=", 1)
            key = key.strip()
            if key == "Authority":
                fields.setdefault("Authority", value.strip())  # the leaf comes first
            elif re.fullmatch(r"[A-Za-z]+", key):
                fields[key] = value.strip()
    return fields


def team_id_matches(display: dict[str, str], team_id: str) -> bool:
    got = display.get("TeamIdentifier", "")
    return bool(team_id) and got not in ("", "not set") and got == team_id


def parse_hdiutil_mounts(plist_bytes: bytes) -> list[Path]:
    import plistlib  # macOS (hdiutil) only: not loaded, with its XML parser, anywhere else

    doc = plistlib.loads(plist_bytes)
    return [Path(e["mount-point"]) for e in doc.get("system-entities", []) if e.get("mount-point")]


# ---------------------------------------------------------------- per OS


def _winverifytrust_signer_cn(path: Path) -> str:  # pragma: no cover - Windows only
    """WinVerifyTrust(WINTRUST_ACTION_GENERIC_VERIFY_V2) without UI; then the leaf signer's CN."""
    import ctypes
    from ctypes import wintypes as wt

    class GUID(ctypes.Structure):
        _fields_ = [("Data1", wt.DWORD), ("Data2", wt.WORD), ("Data3", wt.WORD),
                    ("Data4", ctypes.c_ubyte * 8)]

    class WINTRUST_FILE_INFO(ctypes.Structure):  # noqa: N801 - Windows SDK name
        _fields_ = [("cbStruct", wt.DWORD), ("pcwszFilePath", wt.LPCWSTR), ("hFile", wt.HANDLE),
                    ("pgKnownSubject", ctypes.POINTER(GUID))]

    class WINTRUST_DATA(ctypes.Structure):  # noqa: N801 - Windows SDK name
        _fields_ = [("cbStruct", wt.DWORD), ("pPolicyCallbackData", wt.LPVOID), ("pSIPClientData", wt.LPVOID),
                    ("dwUIChoice", wt.DWORD), ("fdwRevocationChecks", wt.DWORD), ("dwUnionChoice", wt.DWORD),
                    ("pFile", ctypes.POINTER(WINTRUST_FILE_INFO)), ("dwStateAction", wt.DWORD),
                    ("hWVTStateData", wt.HANDLE), ("pwszURLReference", wt.LPCWSTR), ("dwProvFlags", wt.DWORD),
                    ("dwUIContext", wt.DWORD), ("pSignatureSettings", wt.LPVOID)]

    class CRYPT_PROVIDER_CERT(ctypes.Structure):  # noqa: N801 - only the head we read
        _fields_ = [("cbStruct", wt.DWORD), ("pCert", ctypes.c_void_p)]

    tail = (ctypes.c_ubyte * 8)(0x8C, 0xC2, 0x00, 0xC0, 0x4F, 0xC2, 0x95, 0xEE)
    action = GUID(0x00AAC56B, 0xCD44, 0x11D0, tail)  # WINTRUST_ACTION_GENERIC_VERIFY_V2
    wintrust = ctypes.WinDLL("wintrust")
    crypt32 = ctypes.WinDLL("crypt32")
    wintrust.WinVerifyTrust.argtypes = [wt.HWND, ctypes.POINTER(GUID), ctypes.c_void_p]
    wintrust.WinVerifyTrust.restype = wt.LONG
    wintrust.WTHelperProvDataFromStateData.argtypes = [wt.HANDLE]
    wintrust.WTHelperProvDataFromStateData.restype = ctypes.c_void_p
    wintrust.WTHelperGetProvSignerFromChain.argtypes = [ctypes.c_void_p, wt.DWORD, wt.BOOL, wt.DWORD]
    wintrust.WTHelperGetProvSignerFromChain.restype = ctypes.c_void_p
    wintrust.WTHelperGetProvCertFromChain.argtypes = [ctypes.c_void_p, wt.DWORD]
    wintrust.WTHelperGetProvCertFromChain.restype = ctypes.POINTER(CRYPT_PROVIDER_CERT)
    crypt32.CertGetNameStringW.argtypes = [ctypes.c_void_p, wt.DWORD, wt.DWORD, ctypes.c_void_p,
                                           wt.LPWSTR, wt.DWORD]
    crypt32.CertGetNameStringW.restype = wt.DWORD

    file_info = WINTRUST_FILE_INFO(ctypes.sizeof(WINTRUST_FILE_INFO), str(path), None, None)
    data = WINTRUST_DATA()
    data.cbStruct = ctypes.sizeof(WINTRUST_DATA)
    data.dwUIChoice = 2  # WTD_UI_NONE
    data.fdwRevocationChecks = 1  # WTD_REVOKE_WHOLECHAIN ...
    data.dwProvFlags = 0x80  # ... WTD_REVOCATION_CHECK_CHAIN_EXCLUDE_ROOT, as signtool verify /pa
    data.dwUnionChoice = 1  # WTD_CHOICE_FILE
    data.pFile = ctypes.pointer(file_info)
    data.dwStateAction = 1  # WTD_STATEACTION_VERIFY
    status = wintrust.WinVerifyTrust(None, ctypes.byref(action), ctypes.byref(data))
    try:
        if status != 0:
            raise LauncherError("DL-PUBLISHER", f"{path.name}: WinVerifyTrust 0x{status & 0xFFFFFFFF:08X}")
        prov = wintrust.WTHelperProvDataFromStateData(data.hWVTStateData)
        signer = wintrust.WTHelperGetProvSignerFromChain(prov, 0, False, 0) if prov else None
        cert = wintrust.WTHelperGetProvCertFromChain(signer, 0) if signer else None
        if not cert:
            raise LauncherError("DL-PUBLISHER", f"{path.name}: no signer certificate")
        oid = ctypes.c_char_p(b"2.5.4.3")  # szOID_COMMON_NAME
        buf = ctypes.create_unicode_buffer(512)
        crypt32.CertGetNameStringW(cert.contents.pCert, 3, 0, oid, buf, 512)  # CERT_NAME_ATTR_TYPE
        return buf.value
    finally:
        data.dwStateAction = 2  # WTD_STATEACTION_CLOSE
        wintrust.WinVerifyTrust(None, ctypes.byref(action), ctypes.byref(data))


def _windows_check(path: Path, publisher: str) -> str:  # pragma: no cover - Windows only
    signer_cn = _winverifytrust_signer_cn(path)
    if not subject_matches(signer_cn, publisher):
        raise LauncherError("DL-PUBLISHER", f"{path.name}: signer {signer_cn!r} is not {publisher!r}")
    return f"authenticode (WinVerifyTrust): trusted signature by {signer_cn!r}"


def _run(cmd: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, capture_output=True, text=True, timeout=_TOOL_TIMEOUT, check=False)


def _macos_check(path: Path, team_id: str) -> str:  # pragma: no cover - macOS only
    mount = Path(tempfile.mkdtemp(prefix="qs-mount-"))
    dest = path.with_name(path.name + ".app.d")
    shutil.rmtree(dest, ignore_errors=True)
    attached = False
    try:
        proc = subprocess.run(["hdiutil", "attach", "-readonly", "-nobrowse", "-noautoopen", "-noverify",
                               "-mountpoint", str(mount), "-plist", str(path)],
                              capture_output=True, timeout=_TOOL_TIMEOUT, check=False)
        if proc.returncode != 0:
            why = proc.stderr.decode(errors="replace")
            raise LauncherError("DL-PUBLISHER", f"hdiutil attach failed: {why}")
        attached = True
        apps = sorted(mount.glob("*.app"))
        if len(apps) != 1:
            raise LauncherError("DL-PUBLISHER", f"expected one .app in the dmg, found {len(apps)}")
        dest.mkdir(mode=0o700)
        app = dest / apps[0].name
        copy = _run(["ditto", str(apps[0]), str(app)])
        if copy.returncode != 0:
            raise LauncherError("DL-PUBLISHER", f"copying the app failed: {copy.stderr}")
        verify = _run(["codesign", "--verify", "--deep", "--strict", str(app)])
        if verify.returncode != 0:
            raise LauncherError("DL-PUBLISHER", f"codesign --verify failed: {verify.stderr.strip()}")
        display = parse_codesign_display(_run(["codesign", "-dv", "--verbose=2", str(app)]).stderr)
        if not team_id_matches(display, team_id):
            got = display.get("TeamIdentifier")
            raise LauncherError("DL-PUBLISHER", f"TeamIdentifier {got!r} != {team_id!r}")
        return f"codesign: valid, TeamIdentifier {team_id}, app copied to {app}"
    except BaseException:
        shutil.rmtree(dest, ignore_errors=True)
        raise
    finally:
        if attached:
            _run(["hdiutil", "detach", str(mount), "-force"])
        with contextlib.suppress(OSError):
            mount.rmdir()


# ---------------------------------------------------------------- the --demo exemption
#
# On Windows the demo serves the stand-in built from launcher/demo/windows/standin.c. It cannot carry
# TeamViewer's Authenticode signature, so WinVerifyTrust would refuse it. Rather than a weaker rule, or
# a config key a production config could set (any --config file can set any key), the exemption lives
# in this process's memory only: the --demo server (launcher/demo/server.py, started only by `--demo`,
# whose window says DEMO) registers the sha256 of the exact bytes it built and serves, and withdraws it
# when it stops. Nothing else registers one (a test scans the sources); every other exe, and the same
# name with other bytes, gets the full production check.

_demo_exempt_sha256: set[str] = set()


def exempt_demo_artifact(sha256: str) -> None:
    """Waive the publisher check for the demo stand-in with exactly this sha256 (the --demo server only)."""
    if not re.fullmatch(r"[0-9a-f]{64}", sha256):
        raise ValueError("a sha256 in lowercase hex")
    _demo_exempt_sha256.add(sha256)


def withdraw_demo_exemption(sha256: str) -> None:
    _demo_exempt_sha256.discard(sha256)


def _demo_exempt(path: Path, artifact: Artifact) -> bool:
    if artifact.kind != "exe" or artifact.sha256 not in _demo_exempt_sha256:
        return False
    import hashlib

    with open(path, "rb") as fh:  # the very bytes on disk, not only what the manifest says about them
        return hashlib.file_digest(fh, "sha256").hexdigest() == artifact.sha256


def check_publisher(path: Path, artifact: Artifact, *, delete_on_failure: bool = True) -> str:
    """Check the OS publisher signature of `path`; returns a log line. DL-PUBLISHER (file deleted) if not."""
    path = Path(path)
    try:
        if artifact.kind == "tar.gz":
            return "linux: no OS publisher signature for tar.gz; the signed manifest's sha256 is the check"
        if _demo_exempt(path, artifact):
            return (f"DEMO: {path.name} is the demo stand-in this process built and served (sha256 "
                    f"{artifact.sha256}); the Authenticode publisher check is waived for these bytes alone")
        if artifact.kind == "exe" and sys.platform == "win32":
            return _windows_check(path, artifact.publisher)
        if artifact.kind == "dmg" and sys.platform == "darwin":
            return _macos_check(path, artifact.team_id)
        raise LauncherError("DL-PUBLISHER", f"cannot check a {artifact.kind} publisher on {sys.platform}")
    except LauncherError:
        if delete_on_failure:
            with contextlib.suppress(OSError):
                path.unlink()
        raise
    except (OSError, subprocess.SubprocessError) as exc:
        if delete_on_failure:
            with contextlib.suppress(OSError):
                path.unlink()
        raise LauncherError("DL-PUBLISHER", f"{path.name}: {exc}") from exc
