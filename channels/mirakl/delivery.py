"""Shipping types → delivery methods, from the profile's ``shipping_types`` table (SH12 codes are per operator)."""

from __future__ import annotations

from portside.core.model import DeliveryKind, DeliveryMethod

from .profile import MarketplaceProfile, ShippingTypeRule


class ShippingTypes:
    """The profile's table, matched exactly first and then ignoring case and surrounding spaces."""

    def __init__(self, profile: MarketplaceProfile) -> None:
        self._exact = dict(profile.shipping_types)
        self._folded = {code.strip().casefold(): rule for code, rule in profile.shipping_types.items()}

    def rule(self, code: str | None) -> ShippingTypeRule | None:
        if not code:
            return None
        found = self._exact.get(code)
        return found if found is not None else self._folded.get(code.strip().casefold())

    def method(
        self, code: str | None, label: str | None, *, relay_carrier: str | None, has_relay: bool
    ) -> DeliveryMethod | None:
        """The order's delivery method; None when the order names no shipping type at all.

        An order carrying a relay id is a pickup delivery even when its type is unlisted, except for
        a store (click-and-collect) type, whose id names the store rather than a relay.
        """
        code = (code or "").strip()
        label = (label or "").strip() or None
        rule = self.rule(code)
        if not code and not has_relay:
            return None
        kind = rule.kind if rule is not None else DeliveryKind.home
        if has_relay and kind != DeliveryKind.store:
            kind = DeliveryKind.pickup
        carrier = relay_carrier if kind == DeliveryKind.pickup and relay_carrier else None
        if carrier is None and rule is not None:
            carrier = rule.carrier
        shown = (rule.label if rule is not None else None) or label
        return DeliveryMethod(code=code or "pickup", label=shown, kind=kind, carrier_hint=carrier)
