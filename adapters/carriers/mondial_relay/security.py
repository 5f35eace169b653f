"""Mondial Relay's ``Security`` signature: uppercase MD5 of the parameters in WSDL order plus the key."""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable

# Never part of the signature: Security is the signature itself, Texte is excluded by the service
# (reference relay-carriers §1.3, confirmed by roulier, mrpyt, vinted and ps-mr).
UNSIGNED = frozenset({"Security", "Texte"})


def clean(value: str) -> str:
    """The form Mondial Relay wants for values: accents stripped, uppercase, trimmed.

    Sign and send the cleaned value: the service hashes exactly what it receives.
    """
    ascii_only = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    return ascii_only.upper().strip()


def security(params: Iterable[tuple[str, str | None]], private_key: str) -> str:
    """``upper(md5(v1 + … + vn + key))`` over ``(name, value)`` pairs in WSDL order, Enseigne first.

    Empty or missing values add nothing. ISO-8859-1 as the service expects (roulier: "and not
    utf-8, yes the doc says otherwise"); a character outside it cannot be signed.
    """
    joined = "".join(value for name, value in params if value and name not in UNSIGNED)
    return hashlib.md5((joined + private_key).encode("iso-8859-1"), usedforsecurity=False).hexdigest().upper()


def permalink_crc(enseigne_with_brand: str, *parts: str, private_key: str) -> str:
    """The ``crc`` of Mondial Relay's signed URLs (photo, plan, label, tracking):
    ``upper(md5("<" + enseigne+brand + ">" + parts… + "<" + key + ">"))``."""
    text = f"<{enseigne_with_brand}>{''.join(parts)}<{private_key}>"
    return hashlib.md5(text.encode("iso-8859-1"), usedforsecurity=False).hexdigest().upper()
