"""Ed25519 signature checks for the signed manifest, with PyNaCl's `VerifyKey`.

A thin wrapper so the manifest code asks one yes/no question and never sees PyNaCl's exceptions.
"""

from __future__ import annotations

from nacl.exceptions import BadSignatureError
from nacl.signing import VerifyKey

PUBLIC_KEY_BYTES = 32  # raw Ed25519 public key
SIGNATURE_BYTES = 64  # detached Ed25519 signature


def verify(public_key: bytes, data: bytes, signature: bytes) -> bool:
    """True if `signature` (64 bytes) is the Ed25519 signature of exactly `data` by `public_key` (32 raw
    bytes); False for any other signature, key or length. Never raises."""
    if len(public_key) != PUBLIC_KEY_BYTES or len(signature) != SIGNATURE_BYTES:
        return False
    try:
        VerifyKey(public_key).verify(data, signature)
    except BadSignatureError:
        return False
    return True
