"""Stream keys at rest: Fernet with a key derived (HKDF-SHA256) from FIELD_ENCRYPTION_KEY or SECRET_KEY.

A separate derived key means a leaked database alone reveals no stream key, and the signing
key itself is never used directly as an encryption key.
"""

import base64

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

_INFO = b"mediaportal stream keys v1"


class KeyUnreadable(Exception):
    """The stored key was encrypted with another secret (FIELD_ENCRYPTION_KEY or SECRET_KEY changed)."""


def _fernet(secret: str | None = None) -> Fernet:
    material = (secret or settings.FIELD_ENCRYPTION_KEY or settings.SECRET_KEY).encode()
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(material)
    return Fernet(base64.urlsafe_b64encode(derived))


def encrypt(plain: str, *, secret: str | None = None) -> str:
    return _fernet(secret).encrypt(plain.encode()).decode("ascii")


def decrypt(token: str, *, secret: str | None = None) -> str:
    try:
        return _fernet(secret).decrypt(token.encode("ascii")).decode()
    except (InvalidToken, ValueError):
        raise KeyUnreadable(
            "the stream key cannot be decrypted (the server's encryption key changed); enter it again"
        ) from None
