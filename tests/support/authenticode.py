"""Authenticode test material made here: a tiny valid PE, a test CA, and osslsigncode-signed copies.

Also the Windows QuickSupport stand-in (built from launcher/demo/windows/standin.c) signed as TeamViewer
would sign it, with the copies a publisher check must refuse:

    python -m tests.support.authenticode standins PKI_FOLDER OUT    (Linux: mingw-w64, openssl, osslsigncode)

PKI_FOLDER holds (or gets) the test root ca.pem/ca.key, as `make_pki` and the Windows lane make it; the
lane trusts that root in its Wine prefix. OUT receives STANDIN_COPIES (see `signed_standins`).
"""

from __future__ import annotations

import shutil
import struct
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

TV_PUBLISHER = "TeamViewer Germany GmbH"
OTHER_PUBLISHER = "TeamViewer Germany"  # a near miss: the check compares the whole name, never a part


def tiny_pe() -> bytes:
    """A minimal PE32 (one .text section holding `ret`) that Windows and osslsigncode accept."""
    dos = b"MZ" + b"\0" * 58 + struct.pack("<I", 0x40)
    coff = struct.pack("<HHIIIHH", 0x14C, 1, 0, 0, 0, 0xE0, 0x0102)
    opt = struct.pack(
        "<HBBIIIIIIIIIHHHHHHIIIIHHIIIIII",
        0x10B, 14, 0, 0x200, 0, 0, 0x1000, 0x1000, 0x1000, 0x400000, 0x1000, 0x200,
        6, 0, 0, 0, 6, 0, 0, 0x2000, 0x200, 0, 3, 0x8140, 0x100000, 0x1000, 0x100000, 0x1000, 0, 16,
    ) + b"\0" * (16 * 8)
    sect = struct.pack("<8sIIIIIIHHI", b".text", 0x200, 0x1000, 0x200, 0x200, 0, 0, 0, 0, 0x60000020)
    head = dos + b"PE\0\0" + coff + opt + sect
    return head + b"\0" * (0x200 - len(head)) + b"\xc3" + b"\0" * 0x1FF


def _openssl(*args: str) -> None:
    subprocess.run(["openssl", *args], check=True, capture_output=True, timeout=60)


@dataclass(frozen=True)
class Pki:
    folder: Path
    ca_pem: Path

    def signer(self, name: str, subject: str, *, ca: str = "ca") -> tuple[Path, Path]:
        """A code-signing certificate for `subject` (an OpenSSL /-style DN) issued by CA `ca`."""
        key, csr, cert = (self.folder / f"{name}.{ext}" for ext in ("key", "csr", "pem"))
        ext = self.folder / f"{name}.ext"
        ext.write_text("basicConstraints=CA:false\nkeyUsage=critical,digitalSignature\n"
                       "extendedKeyUsage=codeSigning\n")
        _openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(csr), "-subj", subject)
        _openssl("x509", "-req", "-in", str(csr), "-CA", str(self.folder / f"{ca}.pem"),
                 "-CAkey", str(self.folder / f"{ca}.key"), "-CAcreateserial", "-out", str(cert),
                 "-days", "2", "-extfile", str(ext))
        return cert, key

    def make_ca(self, name: str, cn: str) -> Path:
        _openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(self.folder / f"{name}.key"),
                 "-out", str(self.folder / f"{name}.pem"), "-days", "2", "-subj", f"/CN={cn}",
                 "-addext", "basicConstraints=critical,CA:true", "-addext", "keyUsage=critical,keyCertSign")
        return self.folder / f"{name}.pem"

    def signed_pe(self, out: Path, cert: Path, key: Path) -> Path:
        unsigned = out.with_suffix(".unsigned.exe")
        unsigned.write_bytes(tiny_pe())
        subprocess.run(["osslsigncode", "sign", "-certs", str(cert), "-key", str(key), "-h", "sha256",
                        "-in", str(unsigned), "-out", str(out)], check=True, capture_output=True, timeout=60)
        unsigned.unlink()
        return out


def sign_file(pki: Pki, cert: Path, key: Path, source: Path, out: Path, *, ca: str = "ca") -> Path:
    """`source` signed (sha256) into `out` by cert/key, the issuing root embedded after the leaf."""
    chain = out.with_name(out.name + ".chain.pem")
    chain.write_text(cert.read_text() + (pki.folder / f"{ca}.pem").read_text())
    out.unlink(missing_ok=True)
    try:
        subprocess.run(["osslsigncode", "sign", "-certs", str(chain), "-key", str(key), "-h", "sha256",
                        "-in", str(source), "-out", str(out)], check=True, capture_output=True, timeout=60)
    finally:
        chain.unlink(missing_ok=True)
    return out


def tamper(path: Path) -> int:
    """Flip one byte of the signed code (a third into the file, before the signature); returns its offset."""
    data = bytearray(path.read_bytes())
    offset = len(data) // 3
    data[offset] ^= 0xFF
    path.write_bytes(bytes(data))
    return offset


@dataclass(frozen=True)
class StandinCopies:
    """The stand-in in the forms the publisher check meets; every copy is a complete, runnable PE."""

    root_ca: Path       # PEM of the root the good signature chains to (trust it to make `signed` pass)
    signed: Path        # signed by TV_PUBLISHER under root_ca
    tampered: Path      # `signed` with one byte of code changed afterwards (digest mismatch)
    unsigned: Path      # the build as it comes from the compiler
    other_signer: Path  # signed by OTHER_PUBLISHER under the same root
    publisher: str = TV_PUBLISHER
    other_publisher: str = OTHER_PUBLISHER


# file names in OUT: kept stable, the Windows lane serves them by these names
STANDIN_COPIES = {"signed": "TeamViewerQS.exe", "tampered": "TeamViewerQS-tampered.exe",
                  "unsigned": "TeamViewerQS-unsigned.exe", "other_signer": "TeamViewerQS-other-signer.exe"}


def standin_tools_missing() -> str:
    """Why the signed stand-ins cannot be made here ('' when they can): the skip reason for tests."""
    from scripts.build_windows_standin import COMPILER, compiler

    missing = [name for name, ok in ((COMPILER, compiler()), ("openssl", shutil.which("openssl")),
                                     ("osslsigncode", shutil.which("osslsigncode"))) if not ok]
    return f"not installed: {', '.join(missing)} (scripts/system-deps.sh installs them)" if missing else ""


def signed_standins(out: Path, pki_folder: Path | None = None, exe: Path | None = None) -> StandinCopies:
    """Build the stand-in (unless `exe` is given) and write the copies of StandinCopies into `out`.

    `pki_folder` is a PKI with ca.pem/ca.key (the Windows lane's, whose root its prefix trusts); where
    it has none (or is None: out/pki), a fresh one is made there. The two code-signing leaves are made
    there once (standin-tv.*, standin-other.*). Raises FileNotFoundError naming the missing tools
    (see standin_tools_missing).
    """
    if why := standin_tools_missing():
        raise FileNotFoundError(why)
    from scripts.build_windows_standin import build_standin

    out.mkdir(parents=True, exist_ok=True)
    pki_folder = Path(pki_folder) if pki_folder is not None else out / "pki"
    if (pki_folder / "ca.pem").is_file() and (pki_folder / "ca.key").is_file():
        pki = Pki(pki_folder, pki_folder / "ca.pem")
    else:
        made = make_pki(pki_folder)
        assert made is not None  # the tools were checked above
        pki = made
    leaves = {}
    for name, cn in (("standin-tv", TV_PUBLISHER), ("standin-other", OTHER_PUBLISHER)):
        cert, key = pki.folder / f"{name}.pem", pki.folder / f"{name}.key"
        leaves[name] = (cert, key) if cert.is_file() and key.is_file() else pki.signer(name, f"/C=DE/O={cn}/CN={cn}")
    paths = {field: out / name for field, name in STANDIN_COPIES.items()}
    if exe is None:
        exe = build_standin(paths["unsigned"])
    elif Path(exe) != paths["unsigned"]:
        shutil.copyfile(exe, paths["unsigned"])
    sign_file(pki, *leaves["standin-tv"], paths["unsigned"], paths["signed"])
    sign_file(pki, *leaves["standin-tv"], paths["unsigned"], paths["tampered"])
    tamper(paths["tampered"])
    sign_file(pki, *leaves["standin-other"], paths["unsigned"], paths["other_signer"])
    return StandinCopies(root_ca=pki.ca_pem, **paths)


def make_pki(folder: Path) -> Pki | None:
    """None where openssl or osslsigncode is missing (tests skip)."""
    if not (shutil.which("openssl") and shutil.which("osslsigncode")):
        return None
    folder.mkdir(parents=True, exist_ok=True)
    pki = Pki(folder, folder / "ca.pem")
    pki.make_ca("ca", "Overmax Test Root CA")
    pki.make_ca("rogue", "Rogue Root CA")
    return pki


def main(argv: list[str]) -> int:
    if len(argv) == 4 and argv[1] == "standins":
        copies = signed_standins(Path(argv[3]), Path(argv[2]))
        for name in STANDIN_COPIES:
            print(getattr(copies, name))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
