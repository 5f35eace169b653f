"""The marketplace profile: what differs from one Mirakl operator to the next, as a typed schema.

Mirakl runs one seller API for many operators; what changes is configuration (reference §1
"Practical consequence"): shipping-type codes, where relay data sits, carrier codes, automatic
acceptance, tracking rules. Profiles are JSON files in ``profiles/`` decoded into these structs;
a store can override any value (settings ``profile_overrides``). Unknown keys are refused so a
typo in a profile or an override is an error, not a silent default.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

import msgspec
from msgspec import Meta

from portside.core.model import DeliveryKind

Acceptance = Literal["manual", "automatic"]
# When the seller must give a tracking URL with the tracking number (Leroy Merlin: for a carrier it
# has not vetted, reference §1): never, only for a carrier the operator does not list, or always.
TrackingUrlRule = Literal["never", "unlisted_carrier", "always"]
Country = Annotated[str, Meta(pattern=r"^[A-Z]{2}$")]


class _Data(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    pass


class ShippingTypeRule(_Data, frozen=True):
    """What one operator ``shipping_type_code`` means (SH12; codes are operator-defined, §8)."""

    kind: DeliveryKind = DeliveryKind.home
    carrier: str | None = None  # platform carrier code; for pickup types, the relay network
    label: str | None = None  # shown instead of the order's ``shipping_type_label``


class LabelPattern(_Data, frozen=True):
    """A relay id written into the shipping label (Rue du Commerce in 2020, §13): a regular
    expression with a named group ``id``, searched in ``shipping_type_label``."""

    pattern: str
    carrier: str | None = None  # the network the pattern implies

    def __post_init__(self) -> None:
        try:
            compiled = re.compile(self.pattern)
        except re.error as exc:
            raise ValueError(f"pattern {self.pattern!r} is not a regular expression: {exc}") from None
        if "id" not in compiled.groupindex:
            raise ValueError("the pattern needs a named group called id, e.g. (?P<id>\\d+)")


class RelayRule(_Data, frozen=True):
    """Where an operator puts the buyer's relay point (§13): id, network, name and point type."""

    id_from_pudo: bool = True  # the standard top-level ``shipping_pudo_id`` (§5.3)
    id_fields: tuple[str, ...] = ()  # order additional-field codes holding the id (Galeries Lafayette ``relais-id``)
    label_patterns: tuple[LabelPattern, ...] = ()
    provider_field: str | None = None  # additional field naming the network (LM ``pudo-relay-point-provider``)
    providers: dict[str, str] = {}  # provider value (matched loosely) -> platform carrier code
    name_field: str | None = None  # additional field with the point's name (``pudo-relay-point-store-name``)
    point_type_field: str | None = None  # additional field with the carrier's point type (GL ``type-de-point``)
    point_type_carriers: dict[str, str] = {}  # point type -> platform carrier code (A2P -> colissimo)
    # The shipping address is the point's address with the buyer's name (GL fixture, §13 advice 4).
    address_is_relay: bool = True


class CarrierRule(_Data, frozen=True):
    """A platform carrier as this operator knows it: its SH21 ``code`` when listed, else the name and
    tracking URL sent with OR23 ``carrier_name`` + ``carrier_url`` (§9)."""

    name: str
    code: str | None = None  # the operator's SH21 code, when it differs from the name
    tracking_url: str | None = None  # template with ``{tracking}``


class MarketplaceProfile(_Data, frozen=True):
    name: str
    display_name: str
    country: Country = "FR"
    acceptance: Acceptance = "manual"  # "automatic": the operator accepts for the seller (Decathlon, §1)
    tracking_url_required: TrackingUrlRule = "never"
    unlisted_carriers: bool = True  # OR23 takes carrier_name + carrier_url for carriers SH21 lacks
    partial_shipments: bool = False  # needs the operator's multi-shipment feature (ST01, §10)
    # Mirakl allows OR11 at most once a minute (60 s); "External Partner" integrations every 15 min (§3).
    min_poll_interval_s: Annotated[int, Meta(ge=60)] = 60
    order_id_prefixes: dict[str, Country] = {}  # "001" -> "FR": Leroy Merlin's country prefixes (§1)
    order_tax_mode: Literal["TAX_INCLUDED", "TAX_EXCLUDED"] | None = None  # None: the operator's default
    shipping_types: dict[str, ShippingTypeRule] = {}
    relay: RelayRule = RelayRule()
    carriers: dict[str, CarrierRule] = {}  # platform carrier code -> how this operator names it
    notes: str = ""  # what is known about the marketplace, for docs and support

    @property
    def automatic_acceptance(self) -> bool:
        return self.acceptance == "automatic"

    def country_of(self, order_id: str) -> str | None:
        """The marketplace country an order id's prefix names (``002-…`` is Leroy Merlin Spain), or None."""
        head, sep, _ = order_id.partition("-")
        return self.order_id_prefixes.get(head) if sep else None
