"""A Cdiscount store's credentials and settings, with production defaults and per-store table overrides."""

from __future__ import annotations

import hashlib
from typing import Annotated

import msgspec
from msgspec import Meta

from portside.core.model import DeliveryKind
from portside.core.model.masking import masked_repr, masked_rich_repr

PRODUCTION_AUTH_URL = "https://auth.octopia-io.net/auth/realms/maas/protocol/openid-connect/token"
PRODUCTION_API_BASE_URL = "https://api.octopia-io.net/seller/v2"

NonEmpty = Annotated[str, Meta(min_length=1)]


class CdiscountCredentials(msgspec.Struct, frozen=True, kw_only=True):
    """Created by the seller in the Octopia Seller zone › API Credentials Management (reference §4.1)."""

    client_id: NonEmpty
    client_secret: NonEmpty
    seller_id: Annotated[str, Meta(pattern=r"^\s*\d+\s*$")]  # Octopia's numeric seller identifier

    # The secret never reaches a log line through a repr.
    __secret_fields__ = frozenset({"client_secret"})
    __repr__ = __str__ = masked_repr
    __rich_repr__ = masked_rich_repr

    def fingerprint(self) -> str:
        """Stable, non-reversible identity of these credentials (cache keys; never the secret itself)."""
        raw = f"{self.client_id}\x1f{self.client_secret}\x1f{self.seller_id.strip()}".encode()
        return hashlib.sha256(raw).hexdigest()[:16]


class DeliveryModeRule(msgspec.Struct, frozen=True, kw_only=True):
    """What one Octopia ``delivery.mode`` value means: its label, kind and (for pickup) carrier."""

    label: str
    kind: DeliveryKind = DeliveryKind.home
    carrier: str | None = None  # platform carrier code (``mondial_relay``), the pickup network for pickup modes


class CdiscountSettings(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    auth_url: NonEmpty = PRODUCTION_AUTH_URL
    api_base_url: NonEmpty = PRODUCTION_API_BASE_URL
    sales_channel_id: NonEmpty = "CDISFR"
    page_size: Annotated[int, Meta(ge=1, le=100)] = 100  # Octopia caps pages at 100 items (§4.2)
    # ``GET /orders`` sort key. ``createdAt`` never moves an order while paging; ``updatedAt`` would
    # move an order updated mid-sync to the end and shift the page boundary over another one.
    sort: NonEmpty = "createdAt"
    # Read by the composition root into the core's import settings (first sync, re-read window); unset,
    # the service's defaults (PORTSIDE_SYNC_LOOK_BACK_DAYS, PORTSIDE_SYNC_OVERLAP_S) apply.
    import_look_back_days: Annotated[int, Meta(ge=1, le=365)] | None = None
    import_overlap_minutes: Annotated[int, Meta(ge=0, le=7 * 24 * 60)] | None = None
    # Client-side throttle per store: Octopia publishes no quota besides tokens (§4.9), so stay polite.
    rate_per_s: Annotated[float, Meta(gt=0)] = 5.0
    rate_burst: Annotated[int, Meta(ge=1)] = 10
    timeout_s: Annotated[float, Meta(gt=0)] = 30.0
    # A token is reused until this long before it expires (Octopia: 2 h tokens, 500 tokens/hour, §4.1).
    token_refresh_margin_s: Annotated[float, Meta(ge=0)] = 120.0
    carriers_ttl_s: Annotated[float, Meta(gt=0)] = 24 * 3600.0
    # The approval body is ``{"approval_status": "Accepted"}`` in three clients, unverified (§4.6).
    approval_status_field: NonEmpty = "approval_status"
    # Octopia documents one parcel per order and shipping from InPreparation only (§4.7), so a shipment is
    # posted first and the order read back only when refused. Should Octopia ever accept a parcel it
    # should not (an order shipped from the back office, one not yet released), this reads it first.
    read_before_shipping: bool = False
    default_currency: Annotated[str, Meta(pattern=r"^[A-Za-z]{3}$")] = "EUR"
    # Overrides merged over the defaults in pickup.py and carrier_tables.py (keys matched loosely).
    delivery_modes: dict[str, DeliveryModeRule] = {}
    pickup_mode_keywords: dict[str, str] = {}  # substring of a mode -> pickup carrier code
    carrier_labels: dict[str, str] = {}  # platform carrier code -> Octopia carrier label
    tracking_urls: dict[str, str] = {}  # platform carrier code -> URL template with ``{tracking}``
