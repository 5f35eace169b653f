"""Delivery modes as data: which Octopia mode is home, store or pickup delivery, and with which carrier.

The REST labels of the relay modes were never published (reference §4.5, §8.1), so the table knows
the legacy codes (``REL``/``SO1``/``RCO``), the documented home labels and plausible relay labels,
and a store can add or replace rows (settings ``delivery_modes``). A mode is matched loosely (case,
spaces and punctuation ignored); an unlisted mode naming a relay network is recognised by keyword;
and a line carrying a ``pickupId`` is a pickup delivery whatever its mode says.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache

from portside.core.model import DeliveryKind, DeliveryMethod, PickupCarrier

from .settings import DeliveryModeRule

_HOME, _STORE, _PICKUP = DeliveryKind.home, DeliveryKind.store, DeliveryKind.pickup

# (every spelling of the mode, label, kind, carrier): Octopia code, Octopia label, legacy ShippingCode.
_DEFAULT_ROWS: tuple[tuple[tuple[str, ...], str, DeliveryKind, str | None], ...] = (
    (("NTHD", "NotTrackedHomeDelivery", "STD"), "Home delivery, not tracked", _HOME, None),
    (("THD", "TrackedHomeDelivery", "TRK"), "Home delivery, tracked", _HOME, None),
    (("SHD", "SignedHomeDelivery", "REG"), "Home delivery, signed for", _HOME, None),
    (("EHD", "ExpressHomeDelivery", "EXP"), "Express home delivery", _HOME, None),
    (("FDHD", "FixedDateHomeDelivery", "LV1"), "Big parcel, delivery on a fixed date", _HOME, None),
    (("SRHD", "SpecificRoomHomeDelivery", "LV2"), "Big parcel, delivery to the room", _HOME, None),
    (("WSHD", "WithSetupHomeDelivery", "LV3"), "Big parcel, delivery with set-up", _HOME, None),
    (("COL", "ColissimoHomeDelivery"), "Colissimo home delivery", _HOME, "colissimo"),
    (("RIM", "ImmediateVendorPickup"), "Pickup at the seller's shop", _STORE, None),
    (("MAG", "StoreDelivery", "InStoreDelivery"), "Delivery to a shop", _STORE, None),
    (
        ("REL", "MondialRelay", "MondialRelayPickup", "MondialRelayPickupDelivery", "MondialRelayPickupPoint"),
        "Mondial Relay pickup point",
        _PICKUP,
        "mondial_relay",
    ),
    (
        ("SO1", "SoColissimo", "ColissimoPickup", "ColissimoPickupDelivery", "ColissimoPickupPoint"),
        "Colissimo pickup point",
        _PICKUP,
        "colissimo",
    ),
    (
        ("RCO", "RelaisColis", "RelaisColisPickup", "RelaisColisPickupDelivery", "RelaisColisPickupPoint"),
        "Relais Colis pickup point",
        _PICKUP,
        "relais_colis",
    ),
)

# An unlisted mode containing one of these (loosely matched) is that network's pickup delivery,
# provided it also reads like a pickup mode or the line carries a pickup id.
DEFAULT_PICKUP_KEYWORDS: Mapping[str, str] = {
    "mondialrelay": "mondial_relay",
    "relaiscolis": "relais_colis",
    "colissimo": "colissimo",
    "socolissimo": "colissimo",
}
_UNSET = object()
_PICKUP_WORDS = ("pickup", "relay", "relais", "point", "pudo", "locker")


def mode_key(value: str) -> str:
    """Loose key of a mode or keyword: case, spaces and punctuation do not matter."""
    return "".join(ch for ch in value.casefold() if ch.isalnum())


def default_delivery_modes() -> dict[str, DeliveryModeRule]:
    table: dict[str, DeliveryModeRule] = {}
    for names, label, kind, carrier in _DEFAULT_ROWS:
        rule = DeliveryModeRule(label=label, kind=kind, carrier=carrier)
        for name in names:
            table[name] = rule
    return table


@cache
def pickup_carrier(code: str | None) -> PickupCarrier:
    """The pickup network of a platform carrier code (cached: Enum lookups are slow per order)."""
    try:
        return PickupCarrier(code) if code else PickupCarrier.other
    except ValueError:
        return PickupCarrier.other


class DeliveryModes:
    """The store's delivery-mode table: defaults, then its overrides; resolutions are memoised."""

    def __init__(
        self, overrides: Mapping[str, DeliveryModeRule] = {}, keyword_overrides: Mapping[str, str] = {}
    ) -> None:
        table = {**default_delivery_modes(), **overrides}
        self._rules = {mode_key(name): rule for name, rule in table.items()}
        keywords = {**DEFAULT_PICKUP_KEYWORDS, **keyword_overrides}
        # Longest keyword first, so ``socolissimo`` wins over ``colissimo`` and overrides stay precise.
        self._keywords = sorted(((mode_key(k), v) for k, v in keywords.items()), key=lambda kv: -len(kv[0]))
        # One memo per "has a pickup id" answer, keyed by the raw mode: modes are a small set.
        self._memo: tuple[dict[str | None, DeliveryMethod | None], ...] = ({}, {})

    def method(self, mode: str | None, has_pickup_id: bool) -> DeliveryMethod | None:
        """The delivery method of a line with this mode; None when the line says nothing at all."""
        memo = self._memo[has_pickup_id]
        found = memo.get(mode, _UNSET)
        if found is _UNSET:
            found = self._resolve(mode, has_pickup_id)
            if len(memo) < 1024:  # a flood of odd values must not grow memory
                memo[mode] = found
        return found  # type: ignore[return-value]

    def _resolve(self, mode: str | None, has_pickup_id: bool) -> DeliveryMethod | None:
        raw = (mode or "").strip()
        if not raw and not has_pickup_id:
            return None
        key = mode_key(raw)
        rule = self._rules.get(key) if key else None
        if rule is not None and (rule.kind == _PICKUP or not has_pickup_id):
            return DeliveryMethod(code=raw, label=rule.label, kind=rule.kind, carrier_hint=rule.carrier)
        # A pickup id makes it a pickup delivery; a relay word makes an unlisted mode one too.
        if has_pickup_id or any(word in key for word in _PICKUP_WORDS):
            carrier = next((code for word, code in self._keywords if word and word in key), None)
            if carrier is not None or has_pickup_id:
                label = f"{rule.label} (pickup point)" if rule is not None else (raw or "Pickup point")
                return DeliveryMethod(code=raw or "pickup", label=label, kind=_PICKUP, carrier_hint=carrier)
        return DeliveryMethod(code=raw, label=raw, kind=_HOME)
