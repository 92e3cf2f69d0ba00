"""Symmetric encryption of stored secrets (endpoint API keys) with Fernet.

The Fernet key is derived from ``settings.ENCRYPTION_KEY`` (SHA-256, so any string works).
Changing that setting makes stored secrets unreadable: ``decrypt`` then raises ``SecretError``.
"""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings


class SecretError(ValueError):
    """A stored secret cannot be decrypted with the current ``ENCRYPTION_KEY``."""


def _fernet() -> Fernet:
    digest = hashlib.sha256(settings.ENCRYPTION_KEY.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def encrypt(plaintext: str) -> str:
    return _fernet().encrypt(plaintext.encode()).decode()


def decrypt(token: str) -> str:
    """Raises ``SecretError`` when ``token`` was encrypted under another key or is corrupt."""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        raise SecretError(
            "a stored API key cannot be decrypted: was OCTOGRAPH_ENCRYPTION_KEY changed?"
        ) from None
