"""An account's own carrier settings: checked (and proven with the carrier) before they are saved,
shown without their secrets, removed to fall back on the service's."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection, Mapping
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol

import msgspec

from ..errors import DirectoryError, DirectoryUnavailable, NotFound, ValidationFailed
from ..model import CarrierAccountSettings, PickupCarrier
from ..ports import Clock, UnitOfWorkFactory
from .validation import redact, string_leaves

MASK = "***"

# Proves settings with one cheap call to the carrier; raises DirectoryError when it refuses them.
VerifyCarrier = Callable[[PickupCarrier, Any], Awaitable[None]]


class CarrierConfig(Protocol):
    """What the core needs of a carrier to accept an account's settings for it."""

    @property
    def secret_fields(self) -> frozenset[str]: ...

    def decode(self, data: Mapping[str, Any]) -> Any:
        """The carrier's settings value, or ValidationFailed naming each bad field (never a value)."""
        ...


class SettingsSource(StrEnum):
    account = "account"  # the account's own settings
    service = "service"  # the service's (environment, or the demo's sandboxes)
    none = "none"  # neither: that carrier's points are not checked for this account


class CarrierStatus(msgspec.Struct, frozen=True, kw_only=True):
    carrier: PickupCarrier
    source: SettingsSource
    updated_at: datetime | None = None  # when the account's own settings last changed


def carrier_config(configs: Mapping[PickupCarrier, CarrierConfig], carrier: str) -> tuple[PickupCarrier, CarrierConfig]:
    """The carrier and its config; an unknown carrier, or one without a directory, is not found."""
    try:
        known = PickupCarrier(carrier)
        return known, configs[known]
    except (ValueError, KeyError):
        names = ", ".join(sorted(configs))
        raise NotFound("carrier", f"{carrier} (carriers with a pickup point directory: {names})") from None


def masked(data: Mapping[str, Any], config: CarrierConfig) -> dict[str, Any]:
    """The settings as they may be shown: every secret field replaced by ``***``."""
    return {key: MASK if key in config.secret_fields else value for key, value in data.items()}


def _none_of_your_own(carrier: PickupCarrier) -> NotFound:
    return NotFound("settings of your own for", carrier.value)


async def carrier_statuses(
    account_id: str,
    *,
    configs: Mapping[PickupCarrier, CarrierConfig],
    service: Collection[PickupCarrier],
    uow: UnitOfWorkFactory,
) -> list[CarrierStatus]:
    """Whose settings each carrier's directory uses for this account."""
    async with uow() as u:
        own = {item.carrier: item for item in await u.carrier_settings.find(account_id)}
    statuses = []
    for carrier in sorted(configs):
        if carrier in own:
            statuses.append(
                CarrierStatus(carrier=carrier, source=SettingsSource.account, updated_at=own[carrier].updated_at)
            )
        else:
            source = SettingsSource.service if carrier in service else SettingsSource.none
            statuses.append(CarrierStatus(carrier=carrier, source=source))
    return statuses


async def get_carrier_settings(
    account_id: str, carrier: str, *, configs: Mapping[PickupCarrier, CarrierConfig], uow: UnitOfWorkFactory
) -> CarrierAccountSettings:
    known, _ = carrier_config(configs, carrier)
    async with uow() as u:
        found = await u.carrier_settings.get(account_id, known)
    if found is None:
        raise _none_of_your_own(known)
    return found


async def _verified(carrier: PickupCarrier, settings: Any, data: Mapping[str, Any], verify: VerifyCarrier) -> None:
    try:
        await verify(carrier, settings)
    except DirectoryUnavailable:
        raise  # the carrier is down or unreachable: retry later (or save without verifying)
    except DirectoryError as exc:
        # The carrier's own words say what to fix; masked in case they quote what was sent.
        reason = redact(str(exc), string_leaves(data))
        raise ValidationFailed(f"{carrier.value} refused these settings: {reason}", {"settings": reason}) from None


async def put_carrier_settings(
    account_id: str,
    carrier: str,
    data: Mapping[str, Any],
    *,
    configs: Mapping[PickupCarrier, CarrierConfig],
    verify: VerifyCarrier | None,
    uow: UnitOfWorkFactory,
    clock: Clock,
) -> CarrierAccountSettings:
    """Replace the account's settings for ``carrier`` once they decode (and, with ``verify``, once
    the carrier accepted them). Nothing is saved on any error."""
    known, config = carrier_config(configs, carrier)
    settings = config.decode(data)
    if verify is not None:
        await _verified(known, settings, data, verify)
    saved = CarrierAccountSettings(account_id=account_id, carrier=known, settings=dict(data), updated_at=clock.now())
    async with uow() as u:
        await u.carrier_settings.put(saved)
        await u.commit()
    return saved


async def delete_carrier_settings(
    account_id: str, carrier: str, *, configs: Mapping[PickupCarrier, CarrierConfig], uow: UnitOfWorkFactory
) -> None:
    """Forget the account's settings: the service's apply again."""
    known, _ = carrier_config(configs, carrier)
    async with uow() as u:
        deleted = await u.carrier_settings.delete(account_id, known)
        await u.commit()
    if not deleted:
        raise _none_of_your_own(known)
