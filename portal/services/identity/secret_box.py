"""Encryption at rest for sign-in factor secrets (Fernet: AES-128-CBC + HMAC-SHA256).

The key is derived with HKDF-SHA256 from `MFA_ENCRYPTION_KEY` when it is set, else
from `SECRET_KEY`. Changing the source key makes stored secrets unreadable (every
user then re-enrols after an admin resets their factor): docs/people.md.
"""
from __future__ import annotations

import base64
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app

INFO = b"kb-stylish portal: TOTP secrets v1"


class SecretUnreadable(Exception):
    """The stored secret cannot be decrypted with the configured key."""


@lru_cache(maxsize=8)
def _fernet(source_key: str) -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=INFO).derive(source_key.encode())
    return Fernet(base64.urlsafe_b64encode(key))


def _box() -> Fernet:
    source = current_app.config.get("MFA_ENCRYPTION_KEY") or current_app.config["SECRET_KEY"]
    return _fernet(str(source))


def seal(plain: str) -> str:
    return _box().encrypt(plain.encode()).decode()


def open_sealed(sealed: str) -> str:
    try:
        return _box().decrypt(sealed.encode()).decode()
    except InvalidToken:
        raise SecretUnreadable("the MFA secret cannot be decrypted with the configured key") from None
