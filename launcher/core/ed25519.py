"""Ed25519 signature checks through PyNaCl's libsodium binding, without the rest of PyNaCl.

`import nacl.signing` runs `nacl.bindings.__init__`, which binds every libsodium primitive (boxes, hashes,
password hashing, ...): about 0.8 MiB at the session page for the one call the launcher makes. The
signature check is PyNaCl's own `crypto_sign_open` (what `VerifyKey.verify` calls), loaded through a
stand-in `nacl.bindings` package (lazy_package); should PyNaCl ever change so that this fails, the
ordinary import is used instead.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from types import ModuleType

from launcher.core.lazy_package import import_lightly

log = logging.getLogger(__name__)

PUBLIC_KEY_BYTES = 32
SIGNATURE_BYTES = 64


@lru_cache(maxsize=1)
def _crypto_sign() -> ModuleType:
    try:
        module = import_lightly("nacl.bindings.crypto_sign", ("nacl.bindings",))
        core = import_lightly("nacl.bindings.sodium_core", ("nacl.bindings",))
    except ImportError:
        log.info("loading PyNaCl's signature binding alone failed; loading all of PyNaCl", exc_info=True)
        import nacl.bindings as module
        import nacl.bindings.sodium_core as core
    core.sodium_init()  # what nacl.bindings' own __init__ does first; safe to repeat
    return module


def verify(public_key: bytes, data: bytes, signature: bytes) -> bool:
    """True if `signature` is the Ed25519 signature of exactly `data` by `public_key`."""
    if len(public_key) != PUBLIC_KEY_BYTES or len(signature) != SIGNATURE_BYTES:
        return False
    from nacl.exceptions import BadSignatureError

    try:
        _crypto_sign().crypto_sign_open(signature + data, public_key)
    except BadSignatureError:
        return False
    return True
