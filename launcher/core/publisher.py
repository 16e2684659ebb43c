"""The OS publisher signature, defence in depth behind the signed manifest's sha256.

Windows: WinVerifyTrust (no UI, revocation checked for the chain except the root, as signtool does),
then the launcher's own reading of what WinVerifyTrust built (`chain_refusal`): the signer's chain must
end in a trusted root and carry no error, and the signer must be allowed to sign code; then the signer
certificate's CN must equal the manifest's `publisher`. macOS: the dmg is mounted
read-only and hidden, the .app copied out, `codesign --verify --deep --strict`, TeamIdentifier must
equal `team_id` (notarization assessment alone is not a reason to fail). Linux: the manifest hash is
the check. A file that fails is deleted. The text parsers here are pure and tested on every OS.
"""

from __future__ import annotations

import contextlib
import logging
import re
import shutil
import subprocess
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from launcher.core.errors import LauncherError
from launcher.core.fsutil import remove_file
from launcher.core.manifest import Artifact
from launcher.core.paths import temp_folder
from launcher.core.unique_names import create_folder

log = logging.getLogger(__name__)

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


# CERT_TRUST_STATUS.dwErrorStatus bits (wincrypt.h) that refuse a signer even where WinVerifyTrust said
# yes. On Windows a passing WinVerifyTrust leaves none of them set; Wine's checks only the file's digest
# and still reports these in the chain it built, so the launcher reads them itself.
CHAIN_ERRORS = {
    0x00000001: "a certificate in the chain is expired or not yet valid",  # CERT_TRUST_IS_NOT_TIME_VALID
    0x00000004: "a certificate in the chain is revoked",  # CERT_TRUST_IS_REVOKED
    0x00000008: "a certificate's signature in the chain is invalid",  # CERT_TRUST_IS_NOT_SIGNATURE_VALID
    0x00000010: "a certificate in the chain is not valid for code signing",  # CERT_TRUST_IS_NOT_VALID_FOR_USAGE
    0x00000020: "the chain ends in a root that is not trusted",  # CERT_TRUST_IS_UNTRUSTED_ROOT
    0x00000080: "the chain is cyclic",  # CERT_TRUST_IS_CYCLIC
    0x00000100: "a certificate has an invalid extension",  # CERT_TRUST_INVALID_EXTENSION
    0x00000400: "a name constraint is violated",  # CERT_TRUST_INVALID_NAME_CONSTRAINTS
    0x00002000: "a name constraint is violated",  # CERT_TRUST_HAS_NOT_DEFINED_NAME_CONSTRAINT
    0x00010000: "the chain does not reach a root",  # CERT_TRUST_IS_PARTIAL_CHAIN
    0x00020000: "a certificate trust list in the chain is expired",  # CERT_TRUST_CTL_IS_NOT_TIME_VALID
    0x01000000: "",  # CERT_TRUST_IS_OFFLINE_REVOCATION: WinVerifyTrust's own revocation policy decides
}
CODE_SIGNING_EKU = "1.3.6.1.5.5.7.3.3"
# WinVerifyTrust's answers when the certificates' revocation could not be checked at all (no answer from the
# certificate authority's CRL/OCSP servers: a firewall, a proxy that blocks them, no route): not a verdict on the
# signature. CERT_E_REVOCATION_FAILURE, CRYPT_E_REVOCATION_OFFLINE, CRYPT_E_NO_REVOCATION_CHECK.
REVOCATION_UNCHECKED = frozenset({0x800B010E, 0x80092013, 0x80092012})
CRYPT_E_NOT_FOUND = 0x80092004
ANY_EKU = "2.5.29.37.0"


def revocation_unchecked(status: int) -> bool:
    """Whether a WinVerifyTrust status (LONG or DWORD) says only that revocation could not be checked. Such a file
    is checked again without revocation (every other rule stands), with a warning in the log: the signed manifest's
    sha256 is the primary check, and a customer behind a firewall must not be told it is not TeamViewer's file."""
    return status & 0xFFFFFFFF in REVOCATION_UNCHECKED


def chain_refusal(error_status: int, signer_ekus: list[str] | None) -> str:
    """Why a signer that WinVerifyTrust accepted is refused all the same, or "" if it is not.

    `error_status`: the signer chain's CERT_TRUST_STATUS.dwErrorStatus. `signer_ekus`: the signer
    certificate's extended key usages, None when it has no such extension (valid for every use).
    Revocation that could not be checked (offline) is left to WinVerifyTrust, which was told to check it.
    """
    reasons = [why for bit, why in CHAIN_ERRORS.items() if why and error_status & bit]
    unknown = error_status & ~sum(CHAIN_ERRORS) & ~0x40  # 0x40 REVOCATION_STATUS_UNKNOWN: as offline
    if unknown:
        reasons.append(f"chain error status 0x{unknown:08X}")
    if signer_ekus is not None and not {CODE_SIGNING_EKU, ANY_EKU} & set(signer_ekus):
        reasons.append("the signer certificate is not allowed to sign code")
    return "; ".join(dict.fromkeys(reasons))


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

    class CRYPT_PROVIDER_SGNR(ctypes.Structure):  # noqa: N801 - Windows SDK name
        _fields_ = [("cbStruct", wt.DWORD), ("sftVerifyAsOf", wt.FILETIME), ("csCertChain", wt.DWORD),
                    ("pasCertChain", ctypes.c_void_p), ("dwSignerType", wt.DWORD), ("psSigner", ctypes.c_void_p),
                    ("dwError", wt.DWORD), ("csCounterSigners", wt.DWORD), ("pasCounterSigners", ctypes.c_void_p),
                    ("pChainContext", ctypes.c_void_p)]

    class CERT_CHAIN_CONTEXT(ctypes.Structure):  # noqa: N801 - only the head we read
        _fields_ = [("cbSize", wt.DWORD), ("dwErrorStatus", wt.DWORD), ("dwInfoStatus", wt.DWORD)]

    tail = (ctypes.c_ubyte * 8)(0x8C, 0xC2, 0x00, 0xC0, 0x4F, 0xC2, 0x95, 0xEE)
    action = GUID(0x00AAC56B, 0xCD44, 0x11D0, tail)  # WINTRUST_ACTION_GENERIC_VERIFY_V2
    wintrust = ctypes.WinDLL("wintrust")
    crypt32 = ctypes.WinDLL("crypt32", use_last_error=True)  # _signer_ekus reads GetLastError
    wintrust.WinVerifyTrust.argtypes = [wt.HWND, ctypes.POINTER(GUID), ctypes.c_void_p]
    wintrust.WinVerifyTrust.restype = wt.LONG
    wintrust.WTHelperProvDataFromStateData.argtypes = [wt.HANDLE]
    wintrust.WTHelperProvDataFromStateData.restype = ctypes.c_void_p
    wintrust.WTHelperGetProvSignerFromChain.argtypes = [ctypes.c_void_p, wt.DWORD, wt.BOOL, wt.DWORD]
    wintrust.WTHelperGetProvSignerFromChain.restype = ctypes.POINTER(CRYPT_PROVIDER_SGNR)
    wintrust.WTHelperGetProvCertFromChain.argtypes = [ctypes.c_void_p, wt.DWORD]
    wintrust.WTHelperGetProvCertFromChain.restype = ctypes.POINTER(CRYPT_PROVIDER_CERT)
    crypt32.CertGetNameStringW.argtypes = [ctypes.c_void_p, wt.DWORD, wt.DWORD, ctypes.c_void_p,
                                           wt.LPWSTR, wt.DWORD]
    crypt32.CertGetNameStringW.restype = wt.DWORD

    file_info = WINTRUST_FILE_INFO(ctypes.sizeof(WINTRUST_FILE_INFO), str(path), None, None)

    def verify(check_revocation: bool) -> tuple[int, WINTRUST_DATA]:
        data = WINTRUST_DATA()
        data.cbStruct = ctypes.sizeof(WINTRUST_DATA)
        data.dwUIChoice = 2  # WTD_UI_NONE
        if check_revocation:
            data.fdwRevocationChecks = 1  # WTD_REVOKE_WHOLECHAIN ...
            data.dwProvFlags = 0x80  # ... WTD_REVOCATION_CHECK_CHAIN_EXCLUDE_ROOT, as signtool verify /pa
        else:  # WTD_REVOKE_NONE alone only adds no checks of its own: the provider's policy may still go online
            data.dwProvFlags = 0x10  # WTD_REVOCATION_CHECK_NONE
        data.dwUnionChoice = 1  # WTD_CHOICE_FILE
        data.pFile = ctypes.pointer(file_info)
        data.dwStateAction = 1  # WTD_STATEACTION_VERIFY
        return wintrust.WinVerifyTrust(None, ctypes.byref(action), ctypes.byref(data)), data

    def close(data: WINTRUST_DATA) -> None:
        data.dwStateAction = 2  # WTD_STATEACTION_CLOSE
        wintrust.WinVerifyTrust(None, ctypes.byref(action), ctypes.byref(data))

    status, data = verify(check_revocation=True)
    if revocation_unchecked(status):
        close(data)
        log.warning("%s: the certificates' revocation could not be checked (WinVerifyTrust 0x%08X: no answer from "
                    "the certificate authority); checked again without it", path.name, status & 0xFFFFFFFF)
        status, data = verify(check_revocation=False)
    try:
        if status != 0:
            raise LauncherError("DL-PUBLISHER", f"{path.name}: WinVerifyTrust 0x{status & 0xFFFFFFFF:08X}")
        prov = wintrust.WTHelperProvDataFromStateData(data.hWVTStateData)
        signer = wintrust.WTHelperGetProvSignerFromChain(prov, 0, False, 0) if prov else None
        cert = wintrust.WTHelperGetProvCertFromChain(signer, 0) if signer else None
        if not cert:
            raise LauncherError("DL-PUBLISHER", f"{path.name}: no signer certificate")
        chain = signer.contents.pChainContext
        if not chain:
            raise LauncherError("DL-PUBLISHER", f"{path.name}: no certificate chain for the signer")
        error_status = ctypes.cast(chain, ctypes.POINTER(CERT_CHAIN_CONTEXT)).contents.dwErrorStatus
        refusal = chain_refusal(error_status, _signer_ekus(crypt32, cert.contents.pCert))
        if refusal:
            raise LauncherError("DL-PUBLISHER", f"{path.name}: {refusal}")
        oid = ctypes.c_char_p(b"2.5.4.3")  # szOID_COMMON_NAME
        buf = ctypes.create_unicode_buffer(512)
        crypt32.CertGetNameStringW(cert.contents.pCert, 3, 0, oid, buf, 512)  # CERT_NAME_ATTR_TYPE
        return buf.value
    finally:
        close(data)


def _signer_ekus(crypt32, cert_context: int) -> list[str] | None:  # pragma: no cover - Windows only
    """The certificate's extended key usage OIDs; None when it has no EKU (good for every use). Raises
    LauncherError DL-PUBLISHER when Windows cannot say (fails closed)."""
    import ctypes
    from ctypes import wintypes as wt

    class CERT_ENHKEY_USAGE(ctypes.Structure):  # noqa: N801 - Windows SDK name
        _fields_ = [("cUsageIdentifier", wt.DWORD), ("rgpszUsageIdentifier", ctypes.POINTER(ctypes.c_char_p))]

    get = crypt32.CertGetEnhancedKeyUsage
    get.argtypes = [ctypes.c_void_p, wt.DWORD, ctypes.c_void_p, ctypes.POINTER(wt.DWORD)]
    get.restype = wt.BOOL
    size = wt.DWORD(0)
    flags = 0x2  # CERT_FIND_EXT_ONLY_ENHKEY_USAGE_FLAG: the certificate's own extension
    if not get(cert_context, flags, None, ctypes.byref(size)):
        error = ctypes.get_last_error() & 0xFFFFFFFF
        if error == CRYPT_E_NOT_FOUND:
            return None  # no extension: good for every use
        # anything else (no memory, a damaged extension) is no answer: refused, never taken as "every use"
        raise LauncherError("DL-PUBLISHER", f"the signer's key usage cannot be read (error 0x{error:08X})")
    buf = ctypes.create_string_buffer(size.value)
    if not get(cert_context, flags, buf, ctypes.byref(size)):
        error = ctypes.get_last_error() & 0xFFFFFFFF
        raise LauncherError("DL-PUBLISHER", f"the signer's key usage cannot be read (error 0x{error:08X})")
    usage = ctypes.cast(buf, ctypes.POINTER(CERT_ENHKEY_USAGE)).contents
    if usage.cUsageIdentifier == 0 and ctypes.get_last_error() & 0xFFFFFFFF == CRYPT_E_NOT_FOUND:
        return None  # no usage listed and "not found": good for every use (CertGetEnhancedKeyUsage's documentation)
    return [usage.rgpszUsageIdentifier[i].decode("ascii") for i in range(usage.cUsageIdentifier)]


def winverifytrust_check(path: Path, publisher: str) -> str:  # pragma: no cover - Windows only
    """The launcher's Windows check of `path` (WinVerifyTrust, the chain, the signer's name) without
    deleting anything (release tool, `verify`); returns a log line, raises LauncherError DL-PUBLISHER."""
    return _windows_check(Path(path), publisher)


def _windows_check(path: Path, publisher: str) -> str:  # pragma: no cover - Windows only
    signer_cn = _winverifytrust_signer_cn(path)
    if not subject_matches(signer_cn, publisher):
        raise LauncherError("DL-PUBLISHER", f"{path.name}: signer {signer_cn!r} is not {publisher!r}")
    return f"authenticode (WinVerifyTrust): trusted signature by {signer_cn!r}"


def _run(cmd: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, capture_output=True, text=True, timeout=_TOOL_TIMEOUT, check=False)


def _macos_check(path: Path, team_id: str) -> str:  # pragma: no cover - macOS only
    mount = create_folder(temp_folder(), "qs-mount-")  # not tempfile.mkdtemp: see unique_names
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
                remove_file(path, missing_ok=True)  # read-only attribute and all: "was deleted" must hold
        raise
    except (OSError, subprocess.SubprocessError) as exc:
        if delete_on_failure:
            with contextlib.suppress(OSError):
                remove_file(path, missing_ok=True)  # read-only attribute and all: "was deleted" must hold
        raise LauncherError("DL-PUBLISHER", f"{path.name}: {exc}") from exc
