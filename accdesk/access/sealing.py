"""Second-factor secrets at rest (CJISSECPOL v5.9.5 IA-5(1)(a)/(2): authenticators
protected from unauthorized disclosure; SC-28 with AES-256, FIPS 197).

- TOTP seeds are stored encrypted: AES-256-GCM under a key derived (HKDF-SHA256)
  from ``ACCDESK_FIELD_KEY`` -- or, when it is not set, from ``SECRET_KEY`` --
  bound to the user's id, as ``v1:`` + base64(nonce + ciphertext + tag) in
  django-otp's ``key`` column. A copy of the database alone yields no seed.
- Recovery codes are stored only as a keyed hash (HMAC-SHA-256, the same key
  material, another HKDF purpose): ``h`` + 15 base32 characters, to fit
  django-otp's 16-character ``token`` column. A plain hash would not do: a code
  has 40 bits, which an unkeyed hash leaves open to a brute-force search.

Changing ``SECRET_KEY`` without setting ``ACCDESK_FIELD_KEY`` to the old value
makes every enrolled app and recovery code unusable (users enrol again after an
``accdesk user reset-mfa``): keep it with the backups' key (SECURITY.md).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

from accdesk.lib.env import env_str

FIELD_KEY_VARIABLE = "ACCDESK_FIELD_KEY"
SEALED_PREFIX = "v1:"
HASH_PREFIX = "h"
_NONCE_BYTES = 12


class SealError(ValueError):
    """A stored seed does not decrypt: another key, or altered in the database."""


def _key(purpose: bytes) -> bytes:
    material = env_str(FIELD_KEY_VARIABLE) or settings.SECRET_KEY
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(
        material.encode()
    )


def _aad(user_id: int) -> bytes:
    # Bound to the user: a sealed seed copied onto another user's row fails.
    return f"accdesk totp seed for user {user_id}".encode()


def seal_seed(seed: bytes, user_id: int) -> str:
    nonce = os.urandom(_NONCE_BYTES)
    sealed = AESGCM(_key(b"accdesk totp seed v1")).encrypt(nonce, seed, _aad(user_id))
    return SEALED_PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode()


def open_seed(stored: str, user_id: int) -> bytes:
    if not stored.startswith(SEALED_PREFIX):
        raise SealError("this TOTP seed is not sealed (run `accdesk migrate`)")
    box = base64.urlsafe_b64decode(stored[len(SEALED_PREFIX) :])
    try:
        return AESGCM(_key(b"accdesk totp seed v1")).decrypt(
            box[:_NONCE_BYTES], box[_NONCE_BYTES:], _aad(user_id)
        )
    except InvalidTag:
        raise SealError(
            "this TOTP seed does not decrypt: SECRET_KEY or ACCDESK_FIELD_KEY "
            "changed, or the row was altered"
        ) from None


def is_sealed(stored: str) -> bool:
    return stored.startswith(SEALED_PREFIX)


def recovery_hash(code: str) -> str:
    digest = hmac.new(
        _key(b"accdesk recovery code v1"),
        code.strip().lower().encode(),
        hashlib.sha256,
    ).digest()
    return HASH_PREFIX + base64.b32encode(digest).decode().lower()[:15]
