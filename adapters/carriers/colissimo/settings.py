"""Colissimo Point Retrait settings: endpoint, credentials (account + password, or API key), lookup choices."""

from __future__ import annotations

import msgspec

from portside.core.model.masking import masked_repr, masked_rich_repr

# REST/JSON flavour used by the current official plugins and recorded in 2025 (reference §2.2);
# the operation name is appended: <url>/findRDVPointRetraitAcheminement.
PRODUCTION_URL = "https://ws.colissimo.fr/pointretrait-ws-cxf/rest/v2/pointretrait"

# Networks to try, in order, when looking a point up by id without knowing its ``reseau``: the
# lookup requires one (reference §2.3) and an order only carries the id. BPR -> R01, A2P -> R03
# seen in a 2019 snapshot; the foreign ones are thelia-cpp's table, marked uncertain (§2.4).
DEFAULT_NETWORKS: dict[str, tuple[str, ...]] = {
    "FR": ("R01", "R03"),
    "BE": ("R12",),
    "DE": ("R03", "X00"),
    "ES": ("R03", "X00"),
    "NL": ("R03", "X00"),
    "LU": ("R03",),
    "GB": ("R03",),
}
FALLBACK_NETWORKS = ("R01", "R03", "R12", "X00")
FILTERS = frozenset({"0", "1", "2", "3", "5", "10", "11"})


class ColissimoSettings(msgspec.Struct, frozen=True, kw_only=True):
    """Decoded from ``PORTSIDE_COLISSIMO_*``; password and API key never appear in repr or errors."""

    url: str = PRODUCTION_URL  # PORTSIDE_COLISSIMO_URL
    account: str | None = None  # PORTSIDE_COLISSIMO_ACCOUNT (6-digit numéro client)
    password: str | None = None  # PORTSIDE_COLISSIMO_PASSWORD
    api_key: str | None = None  # PORTSIDE_COLISSIMO_API_KEY; used instead of account + password when set
    partner_code: str | None = None  # codTiersPourPartenaire, for accounts under a parent account
    filter_relay: str = "1"  # "1" every point type, "0" post offices only (codes 2+ are uncertain)
    language: str = "FR"
    shipping_delay_days: int = 0  # shippingDate = today + this (plugins add their preparation time)
    locker_types: tuple[str, ...] = ("PCS",)  # typeDePoint values that are lockers
    networks: dict[str, tuple[str, ...]] = msgspec.field(default_factory=lambda: dict(DEFAULT_NETWORKS))
    timeout_s: float = 10.0

    def __post_init__(self) -> None:
        if not self.api_key and not (self.account and self.password):
            raise ValueError("give an account number and password, or an API key")
        if not self.url.startswith(("https://", "http://")):
            raise ValueError("url must be an http(s) URL")
        if self.filter_relay not in FILTERS:
            raise ValueError(f"filter_relay must be one of {', '.join(sorted(FILTERS, key=int))}")
        if not 0 <= self.shipping_delay_days <= 30:
            raise ValueError("shipping_delay_days must be 0 to 30")
        if self.timeout_s <= 0:
            raise ValueError("timeout_s must be positive")

    def networks_for(self, country: str) -> tuple[str, ...]:
        return self.networks.get(country, FALLBACK_NETWORKS)

    __secret_fields__ = frozenset({"password", "api_key"})
    __repr__ = __str__ = masked_repr
    __rich_repr__ = masked_rich_repr
