"""The operators the sandbox can play: their carriers (SH21), shipping types (SH12) and order habits.

This is the marketplace's side of the configuration, written from the public fixtures of reference
§1 and §13 where there are any (Leroy Merlin's RELAY_DELIVERY__STD and additional fields, Galeries
Lafayette's type 33 and point types, Decathlon's automatic acceptance, Rue du Commerce's relay id in
the label); codes nobody published are plausible inventions, the same as in the channel's profiles.
"""

from __future__ import annotations

from functools import cache
from typing import Literal

import msgspec

RelayStyle = Literal["leroy_merlin", "galeries_lafayette", "go_sport", "rue_du_commerce"]
Catalogue = Literal["diy", "fashion", "sport", "tech", "home", "general"]


class SandboxCarrier(msgspec.Struct, frozen=True, kw_only=True):
    code: str
    label: str
    tracking_url: str | None = None  # SH21 template with {trackingId}


class SandboxShippingType(msgspec.Struct, frozen=True, kw_only=True):
    code: str
    label: str
    relay: bool = False
    mandatory_tracking: bool = True
    click_and_collect: bool = False


class Operator(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    prefixes: tuple[tuple[str, str], ...] = (("", "FRA"),)  # order id prefix, shipping country (ISO-3)
    relay_style: RelayStyle | None = None
    relay_share: float = 0.0
    auto_accept: bool = False  # Decathlon: no OR21, orders reach SHIPPING by themselves (§1)
    addresses_from: Literal["acceptance", "shipping"] = "shipping"  # null before that (§5.4)
    unlisted_needs_url: bool = False  # Leroy Merlin: tracking URL for carriers it has not vetted (§1)
    carriers: tuple[SandboxCarrier, ...]
    shipping_types: tuple[SandboxShippingType, ...]
    catalogue: Catalogue = "general"
    payment_types: tuple[str, ...] = ("CB", "Visa", "Mastercard", "PayPal")

    def shipping_type(self, relay: bool) -> SandboxShippingType:
        return next(t for t in self.shipping_types if t.relay == relay and not t.click_and_collect)


def _carrier(code: str, label: str, url: str | None = None) -> SandboxCarrier:
    return SandboxCarrier(code=code, label=label, tracking_url=url)


_COLISSIMO = _carrier("COLISSIMO", "Colissimo", "https://www.laposte.fr/outils/suivre-vos-envois?code={trackingId}")
_CHRONOPOST = _carrier(
    "CHRONOPOST", "Chronopost", "https://www.chronopost.fr/tracking-no-cms/suivi-page?listeNumerosLT={trackingId}"
)
_MONDIAL_RELAY = _carrier(
    "MONDIAL_RELAY", "Mondial Relay", "https://www.mondialrelay.fr/suivi-de-colis/?numeroExpedition={trackingId}"
)
_DPD = _carrier("DPD", "DPD", "https://trace.dpd.fr/fr/trace/{trackingId}")
_GLS = _carrier("GLS", "GLS", "https://gls-group.com/FR/fr/suivi-colis?match={trackingId}")
_UPS = _carrier("UPS", "UPS", "https://www.ups.com/track?tracknum={trackingId}")
_DHL = _carrier("DHL", "DHL Express", "https://www.dhl.com/fr-fr/home/tracking.html?tracking-id={trackingId}")
_TNT = _carrier("TNT", "TNT")
_GEODIS = _carrier("GEODIS", "GEODIS")
_HOME = SandboxShippingType(code="STD", label="Livraison standard")
_EXPRESS = SandboxShippingType(code="EXP", label="Livraison express")


@cache
def _operators() -> dict[str, Operator]:
    ops = (
        Operator(
            name="leroy_merlin",
            prefixes=(("001", "FRA"), ("001", "FRA"), ("001", "FRA"), ("002", "ESP"), ("014", "FRA")),
            relay_style="leroy_merlin",
            relay_share=0.4,
            addresses_from="acceptance",
            unlisted_needs_url=True,
            carriers=(_COLISSIMO, _CHRONOPOST, _DPD, _GLS, _TNT, _GEODIS),
            shipping_types=(
                SandboxShippingType(code="RELAY_DELIVERY__STD", label="Livraison en point relais", relay=True),
                SandboxShippingType(code="HOME_DELIVERY__STD", label="Livraison à domicile"),
                SandboxShippingType(code="HOME_DELIVERY__EXP", label="Livraison express à domicile"),
            ),
            catalogue="diy",
        ),
        Operator(
            name="galeries_lafayette",
            relay_style="galeries_lafayette",
            relay_share=0.4,
            carriers=(_COLISSIMO, _CHRONOPOST, _DHL, _UPS),
            shipping_types=(SandboxShippingType(code="33", label="Retrait en point relais", relay=True), _HOME),
            catalogue="fashion",
        ),
        Operator(
            name="decathlon",
            auto_accept=True,
            carriers=(_COLISSIMO, _CHRONOPOST, _DPD, _GLS, _UPS),
            shipping_types=(_HOME, _EXPRESS),
            catalogue="sport",
        ),
        Operator(
            name="go_sport",
            relay_style="go_sport",
            relay_share=0.4,
            carriers=(_COLISSIMO, _MONDIAL_RELAY, _DPD),
            shipping_types=(
                SandboxShippingType(code="MONDIAL_RELAY", label="Point Relais Mondial Relay", relay=True),
                _HOME,
            ),
            catalogue="sport",
        ),
        Operator(
            name="rue_du_commerce",
            relay_style="rue_du_commerce",
            relay_share=0.3,
            carriers=(_COLISSIMO, _MONDIAL_RELAY, _CHRONOPOST, _DPD, _UPS),
            shipping_types=(
                SandboxShippingType(code="PDP", label="Livraison en point de proximité avec Mondial Relay", relay=True),
                _HOME,
            ),
            catalogue="tech",
        ),
        Operator(name="carrefour", carriers=(_COLISSIMO, _CHRONOPOST, _DPD, _GLS), shipping_types=(_HOME, _EXPRESS)),
        Operator(
            name="boulanger",
            carriers=(_COLISSIMO, _CHRONOPOST, _DPD, _GEODIS),
            shipping_types=(_HOME,),
            catalogue="tech",
        ),
        Operator(name="conforama", carriers=(_GEODIS, _DPD, _TNT), shipping_types=(_HOME,), catalogue="home"),
        Operator(
            name="generic", carriers=(_COLISSIMO, _CHRONOPOST, _DPD, _GLS, _UPS), shipping_types=(_HOME, _EXPRESS)
        ),
    )
    return {op.name: op for op in ops}


def operator_names() -> tuple[str, ...]:
    return tuple(_operators())


def operator(name: str) -> Operator:
    return _operators()[name]
