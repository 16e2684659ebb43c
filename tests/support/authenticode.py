"""Authenticode test material made here: a tiny valid PE, a test CA, and osslsigncode-signed copies."""

from __future__ import annotations

import shutil
import struct
import subprocess
from dataclasses import dataclass
from pathlib import Path


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


def make_pki(folder: Path) -> Pki | None:
    """None where openssl or osslsigncode is missing (tests skip)."""
    if not (shutil.which("openssl") and shutil.which("osslsigncode")):
        return None
    folder.mkdir(parents=True, exist_ok=True)
    pki = Pki(folder, folder / "ca.pem")
    pki.make_ca("ca", "Overmax Test Root CA")
    pki.make_ca("rogue", "Rogue Root CA")
    return pki
