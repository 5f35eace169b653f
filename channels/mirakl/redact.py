"""Secret masking: every message built from a request or a response passes through here before it is shown."""

from __future__ import annotations

MASK = "***"


class Redactor:
    """Replaces the shop API key with ``***``: it travels in a header, but a proxy or an error page may echo it."""

    __slots__ = ("_secrets",)

    def __init__(self, *secrets: str) -> None:
        self._secrets = tuple(s for s in (x.strip() for x in secrets) if len(s) >= 4)

    def __call__(self, text: str) -> str:
        for secret in self._secrets:
            if secret in text:
                text = text.replace(secret, MASK)
        return text
