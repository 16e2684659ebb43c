"""The manifest's Ed25519 check (PyNaCl's VerifyKey behind a yes/no answer)."""

from __future__ import annotations

import pytest
from nacl.signing import SigningKey

from launcher.core import ed25519


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
