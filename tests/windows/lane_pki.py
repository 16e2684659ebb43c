"""The Windows lane's test code-signing PKI and its trusted root in the Wine prefix.

    python -m tests.windows.lane_pki make FOLDER          (Linux: openssl) make the PKI in FOLDER
    python -m tests.windows.lane_pki install-root FOLDER  (Windows Python) add FOLDER/ca.pem to the
                                                          machine's trusted roots
    python -m tests.windows.lane_pki sign FOLDER OUT      (Linux: osslsigncode) the signed test files
                                                          (SIGNED_FILES) in OUT

The Windows suite cannot sign (osslsigncode is a Linux program; Wine starts Linux programs without
usable handles), so the lane signs on the Linux side before the suite runs.

FOLDER holds ca.pem/ca.key ("Overmax Test Root CA", trusted in the lane's prefix), rogue.pem/rogue.key
(an untrusted root), and code-signing leaves: teamviewer.pem/.key (CN "TeamViewer Germany GmbH", by the
trusted root), wrong.pem/.key (CN "Someone Else GmbH", trusted root), rogue-tv.pem/.key (CN "TeamViewer
Germany GmbH" by the untrusted root), expired-tv.pem/.key (validity over), noeku-tv.pem/.key (serverAuth
only), self-tv.pem/.key (self-signed).
"""

from __future__ import annotations

import base64
import subprocess
import sys
from pathlib import Path

TV_PUBLISHER = "TeamViewer Germany GmbH"
WRONG_PUBLISHER = "Someone Else GmbH"


def _openssl(*args: str) -> None:
    subprocess.run(["openssl", *args], check=True, capture_output=True, timeout=120)


def _leaf(folder: Path, name: str, cn: str, *, ca: str, eku: str = "codeSigning", days: str = "3650",
          expired: bool = False) -> None:
    key, csr, cert, ext = (folder / f"{name}.{e}" for e in ("key", "csr", "pem", "ext"))
    ext.write_text(f"basicConstraints=CA:false\nkeyUsage=critical,digitalSignature\nextendedKeyUsage={eku}\n")
    _openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(csr),
             "-subj", f"/C=DE/O={cn}/CN={cn}")
    if expired:  # `openssl x509 -req` cannot set past dates before OpenSSL 3.4: `openssl ca` can
        _expired_cert(folder, csr, cert, ext, ca)
    else:
        _openssl("x509", "-req", "-in", str(csr), "-CA", str(folder / f"{ca}.pem"), "-CAkey",
                 str(folder / f"{ca}.key"), "-CAcreateserial", "-out", str(cert), "-days", days,
                 "-extfile", str(ext))
    csr.unlink()
    ext.unlink()


def _expired_cert(folder: Path, csr: Path, cert: Path, ext: Path, ca: str) -> None:
    """A certificate whose validity ended in the past, made with `openssl ca` and explicit dates."""
    db = folder / "ca-db"
    db.mkdir(exist_ok=True)
    (db / "index.txt").write_text("")
    (db / "serial").write_text("1000\n")
    conf = db / "ca.cnf"
    conf.write_text(
        "[ca]\ndefault_ca=d\n[d]\n"
        f"database={db / 'index.txt'}\nserial={db / 'serial'}\nnew_certs_dir={db}\n"
        "default_md=sha256\npolicy=p\nunique_subject=no\n[p]\ncommonName=supplied\n"
    )
    _openssl("ca", "-batch", "-config", str(conf), "-in", str(csr), "-out", str(cert),
             "-cert", str(folder / f"{ca}.pem"), "-keyfile", str(folder / f"{ca}.key"),
             "-startdate", "20200101000000Z", "-enddate", "20200102000000Z", "-extfile", str(ext),
             "-notext")


def _root(folder: Path, name: str, cn: str) -> None:
    _openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(folder / f"{name}.key"),
             "-out", str(folder / f"{name}.pem"), "-days", "3650", "-subj", f"/CN={cn}",
             "-addext", "basicConstraints=critical,CA:true", "-addext", "keyUsage=critical,keyCertSign")


def make(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    _root(folder, "ca", "Overmax Test Root CA")
    _root(folder, "rogue", "Rogue Root CA")
    _leaf(folder, "teamviewer", TV_PUBLISHER, ca="ca")
    _leaf(folder, "wrong", WRONG_PUBLISHER, ca="ca")
    _leaf(folder, "rogue-tv", TV_PUBLISHER, ca="rogue")
    _leaf(folder, "noeku-tv", TV_PUBLISHER, ca="ca", eku="serverAuth")
    _leaf(folder, "expired-tv", TV_PUBLISHER, ca="ca", expired=True)
    key = folder / "self-tv.key"
    _openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out",
             str(folder / "self-tv.pem"), "-days", "3650", "-subj", f"/C=DE/O={TV_PUBLISHER}/CN={TV_PUBLISHER}",
             "-addext", "extendedKeyUsage=codeSigning")


# name in OUT -> (leaf certificate used to sign, what is done to the file after signing)
SIGNED_FILES = {
    "tv-signed.exe": ("teamviewer", ""),
    "tv-tampered.exe": ("teamviewer", "tamper"),
    "unsigned.exe": ("", ""),
    "wrong-signed.exe": ("wrong", ""),
    "rogue-root.exe": ("rogue-tv", ""),
    "expired.exe": ("expired-tv", ""),
    "no-codesign-eku.exe": ("noeku-tv", ""),
    "self-signed.exe": ("self-tv", ""),
}


def sign_file(pki: Path, leaf: str, source: Path, out: Path) -> Path:
    """`source` signed (sha256) by PKI leaf `leaf` into `out`, with the chain up to its root embedded."""
    chain = out.with_suffix(".chain.pem")
    root = "rogue" if leaf.startswith("rogue") else "ca"
    parts = [(pki / f"{leaf}.pem").read_text()]
    if not leaf.startswith("self"):
        parts.append((pki / f"{root}.pem").read_text())
    chain.write_text("".join(parts))
    out.unlink(missing_ok=True)
    subprocess.run(["osslsigncode", "sign", "-certs", str(chain), "-key", str(pki / f"{leaf}.key"),
                    "-h", "sha256", "-in", str(source), "-out", str(out)], check=True, capture_output=True,
                   timeout=120)
    chain.unlink()
    return out


def tamper(path: Path, offset: int) -> None:
    """Change one byte of the signed content at `offset` (the signature no longer matches)."""
    data = bytearray(path.read_bytes())
    data[offset] ^= 0xFF
    path.write_bytes(bytes(data))


def sign_fixtures(pki: Path, out: Path) -> None:
    from tests.support.authenticode import tiny_pe

    out.mkdir(parents=True, exist_ok=True)
    source = out / "tiny.unsigned"
    source.write_bytes(tiny_pe())
    for name, (leaf, action) in SIGNED_FILES.items():
        if not leaf:
            (out / name).write_bytes(tiny_pe())
            continue
        sign_file(pki, leaf, source, out / name)
        if action == "tamper":
            tamper(out / name, 0x200)  # the code section's first byte
    source.unlink()


def pem_to_der(pem: str) -> bytes:
    body = "".join(line for line in pem.splitlines() if line and not line.startswith("-----"))
    return base64.b64decode(body)


def install_root(folder: Path) -> None:  # pragma: no cover - Windows only
    """CertAddEncodedCertificateToSystemStoreW("Root", der): trusted by processes started afterwards."""
    import ctypes
    from ctypes import wintypes

    der = pem_to_der((folder / "ca.pem").read_text())
    crypt32 = ctypes.WinDLL("crypt32", use_last_error=True)  # type: ignore[attr-defined]
    fn = crypt32.CertAddEncodedCertificateToSystemStoreW
    fn.argtypes = [wintypes.LPCWSTR, ctypes.c_char_p, wintypes.DWORD]
    fn.restype = wintypes.BOOL
    if not fn("Root", der, len(der)):
        raise OSError(ctypes.get_last_error(), "CertAddEncodedCertificateToSystemStoreW failed")  # type: ignore[attr-defined]


def main(argv: list[str]) -> int:
    if len(argv) == 3 and argv[1] == "make":
        make(Path(argv[2]))
    elif len(argv) == 3 and argv[1] == "install-root":
        install_root(Path(argv[2]))
    elif len(argv) == 4 and argv[1] == "sign":
        sign_fixtures(Path(argv[2]), Path(argv[3]))
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
