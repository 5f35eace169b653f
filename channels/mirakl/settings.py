"""A Mirakl store's credentials and settings: the operator's URL, the shop, the profile and its overrides."""

from __future__ import annotations

import hashlib
from typing import Annotated, Any
from urllib.parse import urlsplit

import msgspec
from msgspec import Meta

from portside.core.model.masking import masked_repr, masked_rich_repr

from .profile import MarketplaceProfile
from .profiles import GENERIC, InvalidOverrides, UnknownProfile, load_profile, profile_names

NonEmpty = Annotated[str, Meta(min_length=1)]


class MiraklCredentials(msgspec.Struct, frozen=True, kw_only=True):
    """The shop API key, from the operator's seller back office: your user (top right) › User
    settings › API key › Generate (reference §2). It is sent raw in ``Authorization``."""

    api_key: NonEmpty

    __secret_fields__ = frozenset({"api_key"})  # the key never reaches a log line through a repr
    __repr__ = __str__ = masked_repr
    __rich_repr__ = masked_rich_repr

    def fingerprint(self) -> str:
        """Stable, non-reversible identity of the key (state cache keys; never the key itself)."""
        return hashlib.sha256(self.api_key.strip().encode()).hexdigest()[:16]


def instance_url(base_url: str) -> str:
    """The operator instance (``https://leroymerlin-prod.mirakl.net``): ``base_url`` may be given with
    or without the ``/api`` the SDK appends (reference §2), and paths are added to this."""
    url = base_url.strip().rstrip("/")
    return url[: -len("/api")] if url.endswith("/api") else url


class MiraklSettings(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    # Each operator has its own instance; hosts do not follow one pattern, so the URL is stored
    # whole and never built from a marketplace name (reference §0.2).
    base_url: NonEmpty
    shop_id: Annotated[str, Meta(pattern=r"^\s*\d+\s*$")] | None = None  # only for users with several shops
    profile: NonEmpty = GENERIC
    profile_overrides: dict[str, Any] = {}  # any profile value, merged over the shipped profile
    page_size: Annotated[int, Meta(ge=1, le=100)] = 100  # OR11 ``max``; 100 is the believed ceiling (§4)
    timeout_s: Annotated[float, Meta(gt=0)] = 30.0
    # Client-side throttle per store; Mirakl answers 429 + Retry-After above its own limits (§3).
    rate_per_s: Annotated[float, Meta(gt=0)] = 2.0
    rate_burst: Annotated[int, Meta(ge=1)] = 5
    carriers_ttl_s: Annotated[float, Meta(gt=0)] = 24 * 3600.0  # SH21 "once per day" (§3)
    # After ST01 answers 404 (multi-shipment off), OR23 + OR24 are used until this long has passed.
    shipments_api_recheck_s: Annotated[float, Meta(ge=0)] = 6 * 3600.0
    locale: str | None = None  # OR11 ``locale`` (e.g. fr_FR) for translated labels
    default_currency: Annotated[str, Meta(pattern=r"^[A-Za-z]{3}$")] = "EUR"

    def __post_init__(self) -> None:
        parts = urlsplit(self.base_url.strip())
        if parts.scheme not in ("https", "http") or not parts.netloc:
            raise ValueError(
                "base_url must be the operator's Mirakl URL, e.g. https://leroymerlin-prod.mirakl.net "
                "(ask the marketplace for it; it cannot be derived from the marketplace's name)"
            )
        # A bad profile name or override fails here, when the store is saved; each message starts with
        # the field to fix (the edge reports it there) and quotes nothing the seller typed.
        try:
            self.marketplace()
        except UnknownProfile:
            shipped = ", ".join(profile_names())
            raise ValueError(f"profile: not a shipped Mirakl profile; use one of: {shipped}") from None
        except InvalidOverrides as exc:
            raise ValueError(f"profile_overrides{exc.path}: {exc.what}") from None

    @property
    def instance(self) -> str:
        return instance_url(self.base_url)

    @property
    def shop(self) -> str | None:
        return self.shop_id.strip() if self.shop_id else None

    def marketplace(self) -> MarketplaceProfile:
        """The store's profile: the shipped one with the store's overrides (cached)."""
        return load_profile(self.profile, self.profile_overrides)
