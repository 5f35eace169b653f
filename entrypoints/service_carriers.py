"""The service's own carrier settings, read from ``PORTSIDE_MONDIAL_RELAY_*`` / ``PORTSIDE_COLISSIMO_*``:
the directories every account uses unless it configured its own."""

from __future__ import annotations

from typing import Any

from portside.adapters.carriers import ColissimoSettings, MondialRelaySettings
from portside.core.model import PickupCarrier

from .config import ConfigError, Settings

# What a carrier refusing the service's credentials tells the operator to check: the variables they came from
# (an account's own settings are named by their fields, the adapters' default).
SERVICE_AUTH_HINTS: dict[PickupCarrier, str] = {
    PickupCarrier.mondial_relay: "check PORTSIDE_MONDIAL_RELAY_ENSEIGNE and PORTSIDE_MONDIAL_RELAY_PRIVATE_KEY",
    PickupCarrier.colissimo: (
        "check PORTSIDE_COLISSIMO_ACCOUNT and PORTSIDE_COLISSIMO_PASSWORD, or PORTSIDE_COLISSIMO_API_KEY"
    ),
}


def _decode(kind: type[Any], values: dict[str, Any], prefix: str) -> Any:
    try:
        return kind(**{k: v for k, v in values.items() if v is not None})
    except (TypeError, ValueError) as exc:
        # The carrier settings' messages name the field ("enseigne must be 8 characters…"), never its value.
        raise ConfigError(f"invalid configuration: {prefix}*: {exc}") from None


def mondial_relay_settings(settings: Settings) -> MondialRelaySettings | None:
    if not settings.mondial_relay_enseigne:
        return None
    values = {
        "enseigne": settings.mondial_relay_enseigne,
        "private_key": settings.mondial_relay_private_key,
        "url": settings.mondial_relay_url,
    }
    return _decode(MondialRelaySettings, values, "PORTSIDE_MONDIAL_RELAY_")  # type: ignore[no-any-return]


def colissimo_settings(settings: Settings) -> ColissimoSettings | None:
    if not (settings.colissimo_account or settings.colissimo_api_key):
        return None
    values = {
        "account": settings.colissimo_account,
        "password": settings.colissimo_password,
        "api_key": settings.colissimo_api_key,
        "url": settings.colissimo_url,
    }
    return _decode(ColissimoSettings, values, "PORTSIDE_COLISSIMO_")  # type: ignore[no-any-return]


def service_carrier_settings(settings: Settings) -> dict[PickupCarrier, Any]:
    """The service's settings of each carrier configured in the environment (the default of every account)."""
    found: dict[PickupCarrier, Any] = {}
    if (mondial_relay := mondial_relay_settings(settings)) is not None:
        found[PickupCarrier.mondial_relay] = mondial_relay
    if (colissimo := colissimo_settings(settings)) is not None:
        found[PickupCarrier.colissimo] = colissimo
    return found
