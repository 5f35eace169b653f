"""UUID text from hex digits, without building ``uuid.UUID`` objects (a per-order cost on import paths)."""

from __future__ import annotations

_VARIANT = "89ab"


def uuid_text(digits: str, version: int) -> str:
    """The canonical text of the UUID made of the first 32 hex ``digits``, its version nibble set to
    ``version`` and its variant bits to RFC 4122's 10xx (the 17th digit becomes one of 8, 9, a, b)."""
    h = digits
    return f"{h[:8]}-{h[8:12]}-{version}{h[13:16]}-{_VARIANT[int(h[16], 16) & 3]}{h[17:20]}-{h[20:32]}"
