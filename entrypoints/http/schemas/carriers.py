"""Carriers' directory settings as the API shows them: whose settings apply, never a secret."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec

from portside.core.model import PickupCarrier
from portside.core.services.carrier_settings import SettingsSource

from .common import UtcTime


class CarrierSettingsPut(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    settings: Annotated[
        dict[str, Any],
        msgspec.Meta(
            description="the carrier's settings, replacing any you sent before: Mondial Relay `enseigne`, "
            "`private_key`, `url`…; Colissimo `account` and `password` or `api_key`, `url`… (docs/pickup-points.md). "
            "Fields left out take the carrier's defaults, not the service's values. Secrets are never returned."
        ),
    ]
    verify: Annotated[
        bool, msgspec.Meta(description="prove the settings with one search at the carrier before saving them")
    ] = True


class CarrierJson(msgspec.Struct, frozen=True, kw_only=True):
    carrier: PickupCarrier
    source: Annotated[
        SettingsSource,
        msgspec.Meta(description="whose settings your directory uses: yours, the service's, or none (not checked)"),
    ]
    updated_at: UtcTime | None  # when your own settings last changed


class CarrierList(msgspec.Struct, frozen=True, kw_only=True):
    items: list[CarrierJson]


class CarrierSettingsJson(msgspec.Struct, frozen=True, kw_only=True):
    carrier: PickupCarrier
    settings: Annotated[dict[str, Any], msgspec.Meta(description='what you sent, each secret shown as "***"')]
    updated_at: UtcTime
