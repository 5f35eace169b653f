"""Secret masking: every message built from a request or an answer passes through a Redactor before it is shown."""

from __future__ import annotations

import re
from collections import deque

MASK = "***"
# A secret this long is masked wherever it appears. A shorter one only where it stands alone (not inside a
# word): masking every "s" of a one-letter secret garbles every message ("/seller/v2/orders" became
# "/***eller/v2/order***") and hides nothing, as such a secret is spelt out by any text anyway. Real client
# secrets and API keys are 32 characters or more; a short one is a typo the marketplace refuses.
ANYWHERE_FROM = 8


class Redactor:
    """Replaces the given secrets, and the latest tokens added, with ``***`` in a text."""

    __slots__ = ("_secrets", "_tokens")

    def __init__(self, *secrets: str) -> None:
        self._secrets = _masks(secrets)
        self._tokens: deque[tuple[str, re.Pattern[str] | None]] = deque(maxlen=4)  # older tokens are dead

    def add_token(self, token: str) -> None:
        """Mask ``token`` too (an access token the client was issued), keeping the four latest."""
        for mask in _masks((token,)):
            if mask not in self._tokens:
                self._tokens.append(mask)

    def __call__(self, text: str) -> str:
        # Longest first: a secret inside a longer one must not break the longer one's mask.
        for secret, alone in sorted((*self._secrets, *self._tokens), key=lambda m: -len(m[0])):
            if secret in text:
                text = text.replace(secret, MASK) if alone is None else alone.sub(MASK, text)
        return text


def _masks(secrets: tuple[str, ...]) -> tuple[tuple[str, re.Pattern[str] | None], ...]:
    """(secret, None) to mask it anywhere, or (secret, pattern) matching it only where it stands alone."""
    found = []
    for secret in {s.strip() for s in secrets if s and s.strip()}:
        alone = None if len(secret) >= ANYWHERE_FROM else re.compile(rf"(?<!\w){re.escape(secret)}(?!\w)")
        found.append((secret, alone))
    return tuple(found)
