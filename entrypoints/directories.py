"""Each account's carrier directories: its own settings for a carrier when it has some, else the service's."""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from collections import OrderedDict
from collections.abc import Callable, Collection, Mapping
from typing import Any, Protocol

import msgspec

from portside.core.errors import DirectoryError, ValidationFailed
from portside.core.model import PickupCarrier, PickupPoint, Weight
from portside.core.ports import Clock, DirectoryProvider, PickupPointDirectory, SearchArea, UnitOfWorkFactory
from portside.core.services import CachedDirectory

from .carrier_kinds import CARRIER_KINDS
from .carrier_settings import CarrierKind

log = logging.getLogger("portside.directories")

# Settings are proven with one search (one call, whatever the carrier): Colissimo needs a postcode
# and a city, Mondial Relay takes either; an empty answer still proves the credentials.
VERIFY_AREA = SearchArea(country="FR", postal_code="75001", city="PARIS")
MAX_ACCOUNT_DIRECTORIES = 1024

# Builds a carrier's directory over its settings type: the composition root (``container.py``)
# chooses the adapter; tests give fakes.
DirectoryBuilder = Callable[[PickupCarrier, Any], PickupPointDirectory]
_ENCODE = msgspec.json.Encoder(order="sorted").encode


class CarrierDirectories(DirectoryProvider, Protocol):
    """What the application needs beyond the core's port: the carriers an account may configure, the
    ones the service configured, and a way to prove new settings before they are saved."""

    @property
    def kinds(self) -> Mapping[PickupCarrier, CarrierKind]: ...
    @property
    def service_carriers(self) -> Collection[PickupCarrier]: ...
    async def verify(self, carrier: PickupCarrier, settings: Any) -> None: ...


class _Directories:
    """What both providers share: the carriers an account may configure, and the service's directories."""

    def __init__(
        self, service: Mapping[PickupCarrier, PickupPointDirectory], kinds: Mapping[PickupCarrier, CarrierKind]
    ) -> None:
        self._service = dict(service)
        self._kinds = kinds

    @property
    def kinds(self) -> Mapping[PickupCarrier, CarrierKind]:
        return self._kinds

    @property
    def service_carriers(self) -> Collection[PickupCarrier]:
        return frozenset(self._service)


class StaticDirectories(_Directories):
    """The same directories for every account (tests, or a host with one carrier account of its own).
    Accounts' own settings are still checked and kept, but never used, and nothing is verified."""

    def __init__(
        self,
        directories: Mapping[PickupCarrier, PickupPointDirectory],
        *,
        kinds: Mapping[PickupCarrier, CarrierKind] = CARRIER_KINDS,
    ) -> None:
        super().__init__(directories, kinds)

    async def for_account(self, account_id: str) -> Mapping[PickupCarrier, PickupPointDirectory]:
        return self._service

    async def verify(self, carrier: PickupCarrier, settings: Any) -> None:
        return None


class UnusableDirectory:
    """Stands for a directory whose stored settings no longer decode (a later version checks more):
    the account's pickup orders are flagged unverified, and retried, until it sends new ones."""

    def __init__(self, carrier: PickupCarrier, reason: str) -> None:
        self._carrier = carrier
        self._reason = reason

    @property
    def carrier(self) -> PickupCarrier:
        return self._carrier

    def _refuse(self) -> DirectoryError:
        return DirectoryError(
            self._carrier,
            f"this account's own settings are invalid ({self._reason}); "
            f"send new ones with PUT /v1/carriers/{self._carrier.value}/settings",
        )

    async def get(self, point_id: str, country: str, *, near: SearchArea | None = None) -> PickupPoint | None:
        raise self._refuse()

    async def search(self, area: SearchArea, *, weight: Weight | None = None, limit: int = 10) -> list[PickupPoint]:
        raise self._refuse()


class AccountDirectories(_Directories):
    """The ``DirectoryProvider`` of a running portside. The service's directories are built once and
    shared; an account's own are built on first use and kept (at most ``max_entries``, least recently
    used dropped) while its settings stay the same: new settings build a new directory."""

    def __init__(
        self,
        *,
        service: Mapping[PickupCarrier, Any],
        build: DirectoryBuilder,
        uow: UnitOfWorkFactory,
        clock: Clock,
        kinds: Mapping[PickupCarrier, CarrierKind] = CARRIER_KINDS,
        max_entries: int = MAX_ACCOUNT_DIRECTORIES,
        build_own: DirectoryBuilder | None = None,
    ) -> None:
        super().__init__({c: CachedDirectory(build(c, s), uow=uow, clock=clock) for c, s in service.items()}, kinds)
        # Accounts' own settings name endpoints a tenant chose: the container builds them on the tenant client.
        self._build = build_own or build
        self._uow = uow
        self._clock = clock
        self._max_entries = max_entries
        self._own: OrderedDict[tuple[str, PickupCarrier], tuple[str, PickupPointDirectory]] = OrderedDict()
        # Fingerprints are keyed with a secret of this process: they cover private keys and passwords.
        self._fingerprint_key = secrets.token_bytes(32)

    async def for_account(self, account_id: str) -> Mapping[PickupCarrier, PickupPointDirectory]:
        async with self._uow() as u:
            own = {item.carrier: item.settings for item in await u.carrier_settings.find(account_id)}
        found: dict[PickupCarrier, PickupPointDirectory] = dict(self._service)
        for carrier, kind in self._kinds.items():
            if carrier in own:
                found[carrier] = self._account_directory(account_id, kind, own[carrier])
            else:
                self._own.pop((account_id, carrier), None)  # removed: the service's apply again
        return found

    async def verify(self, carrier: PickupCarrier, settings: Any) -> None:
        """One search with ``settings``; raises the carrier's DirectoryError when it refuses them."""
        await self._build(carrier, settings).search(VERIFY_AREA, limit=1)

    def _fingerprint(self, carrier: PickupCarrier, data: Mapping[str, Any]) -> str:
        return hmac.new(self._fingerprint_key, _ENCODE([carrier, data]), hashlib.sha256).hexdigest()

    def _account_directory(self, account_id: str, kind: CarrierKind, data: Mapping[str, Any]) -> PickupPointDirectory:
        key, fingerprint = (account_id, kind.carrier), self._fingerprint(kind.carrier, data)
        kept = self._own.get(key)
        if kept is not None and kept[0] == fingerprint:
            self._own.move_to_end(key)
            return kept[1]
        directory = self._new_directory(account_id, kind, data)
        self._own[key] = (fingerprint, directory)
        self._own.move_to_end(key)
        while len(self._own) > self._max_entries:
            self._own.popitem(last=False)
        return directory

    def _new_directory(self, account_id: str, kind: CarrierKind, data: Mapping[str, Any]) -> PickupPointDirectory:
        try:
            settings = kind.decode(data)
        except ValidationFailed as exc:
            fields = ", ".join(sorted(exc.problems)) or "settings"
            log.warning("account %s: its own %s settings are invalid (%s)", account_id, kind.carrier.value, fields)
            return UnusableDirectory(kind.carrier, f"check {fields}")
        return CachedDirectory(
            self._build(kind.carrier, settings),
            uow=self._uow,
            clock=self._clock,
            scope=cache_scope(account_id, kind, data),
        )

    def __repr__(self) -> str:
        return f"AccountDirectories(service={sorted(self._service)}, accounts_cached={len(self._own)})"


def cache_scope(account_id: str, kind: CarrierKind, data: Mapping[str, Any]) -> str:
    """Where an account's directory keeps its answers: its own, per endpoint and choices (the same in
    every process, so they share it), never derived from a secret (the scope is stored in clear)."""
    public = {k: v for k, v in data.items() if k not in kind.secret_fields}
    return f"{account_id}:{hashlib.sha256(_ENCODE(public)).hexdigest()[:16]}"
