"""Webhook signatures: ``Portside-Signature: t=<unix ts>,v1=<hex HMAC-SHA256 of "<ts>.<body>">``.

The timestamp is part of what is signed, so a receiver that refuses old timestamps also refuses a
captured delivery replayed later; ``v1`` names the scheme so another can be added beside it.
"""

from __future__ import annotations

import hashlib
import hmac
import time

SIGNATURE_HEADER = "Portside-Signature"
EVENT_ID_HEADER = "Portside-Event-Id"
EVENT_TYPE_HEADER = "Portside-Event-Type"
DEFAULT_TOLERANCE_S = 300


def _mac(secret: str, timestamp: int, body: bytes) -> str:
    return hmac.new(secret.encode(), str(timestamp).encode() + b"." + body, hashlib.sha256).hexdigest()


def sign(secret: str, body: bytes, timestamp: int) -> str:
    """The ``Portside-Signature`` header value for ``body`` sent at ``timestamp`` (unix seconds)."""
    return f"t={timestamp},v1={_mac(secret, timestamp, body)}"


def verify(
    secret: str, body: bytes, header: str, *, now: float | None = None, tolerance_s: float = DEFAULT_TOLERANCE_S
) -> bool:
    """Whether ``header`` signs ``body`` with ``secret`` and is at most ``tolerance_s`` old (or early)
    at ``now`` (unix seconds; by default the current time).

    What a receiver runs; kept here so the tests check deliveries with the documented algorithm.
    """
    if now is None:
        now = time.time()
    fields: dict[str, list[str]] = {}
    for part in header.split(","):
        name, _, value = part.strip().partition("=")
        fields.setdefault(name, []).append(value)
    try:
        timestamp = int(fields["t"][0])
    except (KeyError, ValueError):
        return False
    if abs(now - timestamp) > tolerance_s:
        return False
    expected = _mac(secret, timestamp, body)
    # Constant-time comparison: a timing difference would leak the signature byte by byte.
    return any(hmac.compare_digest(expected, candidate) for candidate in fields.get("v1", []))
