"""Secret masking: every message built from a request or a response goes through here before it is shown."""

from __future__ import annotations

from collections import deque

MASK = "***"


class Redactor:
    """Replaces the client secret and the latest access tokens with ``***`` in a text."""

    __slots__ = ("_secret", "_tokens")

    def __init__(self, secret: str) -> None:
        self._secret = secret
        self._tokens: deque[str] = deque(maxlen=4)  # tokens rotate every 2 h; older ones are dead anyway

    def add_token(self, token: str) -> None:
        if token and token not in self._tokens:
            self._tokens.append(token)

    def __call__(self, text: str) -> str:
        for secret in (self._secret, *self._tokens):
            if secret and secret in text:
                text = text.replace(secret, MASK)
        return text
