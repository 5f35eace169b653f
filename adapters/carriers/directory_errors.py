"""What a carrier directory's refusal means, in categories shared by every carrier's code table."""

from __future__ import annotations

from portside.core.errors import DirectoryError, DirectoryRequestRejected, DirectoryUnavailable


class CarrierAuthFailed(DirectoryError):
    """The carrier refused our credentials: fix the settings, retrying will not help."""


class CarrierRequestRejected(DirectoryRequestRejected):
    """The carrier refused a parameter (postcode, city, weight…): correct the request."""


class PointNotFound(DirectoryError):
    """The carrier does not know this point id (any more). ``get`` turns it into ``None``."""


class NoPointsFound(DirectoryError):
    """Nothing matched the search. ``search`` turns it into an empty list."""


class CarrierServiceError(DirectoryUnavailable):
    """The carrier failed on its side; the same request may succeed later."""

    def __init__(self, carrier: str, message: str, *, code: str | None = None) -> None:
        super().__init__(carrier, message)
        self.code = code


class CarrierBadResponse(DirectoryError):
    """The answer is not what the carrier's specification says (garbled, truncated, hostile XML)."""

    def __init__(self, carrier: str, message: str, *, retryable: bool = True) -> None:
        # Retryable by default: a garbled body is usually a proxy page or a cut connection, and a
        # directory read is safe to repeat. Refused hostile content is not retryable.
        super().__init__(carrier, f"unexpected response: {message}", code="bad_response", retryable=retryable)


# How each category is built from a carrier's code table row.
CATEGORIES: dict[str, type[DirectoryError]] = {
    "auth": CarrierAuthFailed,
    "request": CarrierRequestRejected,
    "not_found": PointNotFound,
    "no_points": NoPointsFound,
    "service": CarrierServiceError,
    "other": DirectoryError,
}


def coded_error(carrier: str, category: str, code: str, message: str) -> DirectoryError:
    """The typed error for one row of a carrier's code table."""
    cls = CATEGORIES[category]
    if cls is CarrierServiceError:
        return CarrierServiceError(carrier, message, code=code)
    return cls(carrier, message, code=code)


def checked_country(carrier: str, raw: str) -> str:
    """An ISO 3166-1 alpha-2 code, upper-cased, or a rejection naming the carrier."""
    country = raw.strip().upper()
    if len(country) != 2 or not country.isascii() or not country.isalpha():
        raise CarrierRequestRejected(carrier, f"country must be a 2-letter ISO code, got {raw[:10]!r}", code="country")
    return country
