"""Encryption of secrets at rest (store credentials): a small port and its Fernet implementation."""

from __future__ import annotations

from typing import Protocol

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from portside.core.errors import PortsideError


class Cipher(Protocol):
    def encrypt(self, data: bytes) -> bytes: ...
    def decrypt(self, data: bytes) -> bytes:
        """Raise ``CipherError`` when ``data`` was not produced with one of this cipher's keys."""
        ...


class CipherError(PortsideError):
    """A secret cannot be decrypted: wrong or missing key, or a damaged value."""


class FernetCipher:
    """AES-128-CBC + HMAC (Fernet). The first key encrypts; every key decrypts, so keys can rotate."""

    def __init__(self, *keys: str | bytes) -> None:
        if not keys:
            raise ValueError("FernetCipher needs at least one key (generate one with FernetCipher.generate_key())")
        try:
            self._fernet = MultiFernet([Fernet(key) for key in keys])
        except ValueError as exc:
            # Fernet's own message is precise but would not say which setting is wrong.
            raise ValueError(f"invalid Fernet key: {exc} (expected 32 url-safe base64-encoded bytes)") from None

    @staticmethod
    def generate_key() -> str:
        return Fernet.generate_key().decode("ascii")

    def encrypt(self, data: bytes) -> bytes:
        return self._fernet.encrypt(data)

    def decrypt(self, data: bytes) -> bytes:
        try:
            return self._fernet.decrypt(data)
        except InvalidToken:
            raise CipherError("secret cannot be decrypted with the configured key(s)") from None

    def __repr__(self) -> str:
        return "FernetCipher(keys=***)"
