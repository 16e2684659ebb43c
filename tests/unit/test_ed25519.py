"""The manifest's Ed25519 check: PyNaCl's own crypto_sign_open, without loading the rest of PyNaCl."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from nacl.signing import SigningKey

from launcher.core import ed25519

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def signed() -> tuple[bytes, bytes, bytes]:
    key = SigningKey.generate()
    data = b'{"schema": 1, "serial": 7}'
    return bytes(key.verify_key), data, key.sign(data).signature


def test_a_good_signature_verifies_and_matches_pynacl(signed):
    public, data, signature = signed
    assert ed25519.verify(public, data, signature)
    from nacl.signing import VerifyKey

    assert VerifyKey(public).verify(data, signature) == data  # the same answer from PyNaCl's own class


@pytest.mark.parametrize("tamper", ["data", "signature", "key"])
def test_any_changed_byte_fails(signed, tamper: str):
    public, data, signature = signed
    flip = lambda b: bytes([b[0] ^ 1]) + b[1:]  # noqa: E731
    if tamper == "data":
        data = flip(data)
    elif tamper == "signature":
        signature = flip(signature)
    else:
        public = flip(public)
    assert not ed25519.verify(public, data, signature)


def test_another_key_fails(signed):
    _, data, signature = signed
    assert not ed25519.verify(bytes(SigningKey.generate().verify_key), data, signature)


@pytest.mark.parametrize(("key_len", "sig_len"), [(31, 64), (33, 64), (32, 63), (32, 65), (0, 0)])
def test_wrong_lengths_fail_without_raising(signed, key_len: int, sig_len: int):
    public, data, signature = signed
    assert not ed25519.verify((public * 2)[:key_len], data, (signature * 2)[:sig_len])


def test_only_the_signature_binding_is_loaded():
    code = (
        "import sys, base64; from nacl.signing import SigningKey\n"
        "k = SigningKey.generate(); data = b'x'; sig = k.sign(data).signature; pub = bytes(k.verify_key)\n"
        "for m in [m for m in sys.modules if m.startswith('nacl')]: del sys.modules[m]\n"
        "from launcher.core import ed25519\n"
        "assert ed25519.verify(pub, data, sig) and not ed25519.verify(pub, b'y', sig)\n"
        "print(sorted(m for m in sys.modules if m.startswith('nacl.')))\n"
        # the rest of PyNaCl still works afterwards (the vendor's signing tool, the demo server)
        "import nacl.signing\n"
        "k2 = nacl.signing.SigningKey.generate()\n"
        "assert ed25519.verify(bytes(k2.verify_key), b'z', k2.sign(b'z').signature)\n"
        "assert k2.verify_key.verify(b'z', k2.sign(b'z').signature) == b'z'\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=60)
    assert out.returncode == 0, out.stderr
    loaded = eval(out.stdout.splitlines()[0])  # noqa: S307 - a list literal printed by the child
    assert "nacl.bindings.crypto_sign" in loaded
    assert not any(m.endswith(("crypto_box", "crypto_pwhash", "crypto_secretstream", "signing", "public"))
                   for m in loaded), loaded


def test_falls_back_to_all_of_pynacl_when_the_light_load_fails(signed, monkeypatch):
    public, data, signature = signed

    def refuse(*_args, **_kwargs):
        raise ImportError("stand-in refused")

    monkeypatch.setattr(ed25519, "import_lightly", refuse)
    ed25519._crypto_sign.cache_clear()
    try:
        assert ed25519.verify(public, data, signature)
        assert not ed25519.verify(public, data + b"!", signature)
        import nacl.bindings

        assert ed25519._crypto_sign() is nacl.bindings
    finally:
        ed25519._crypto_sign.cache_clear()
