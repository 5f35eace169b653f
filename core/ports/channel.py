"""What a marketplace channel provides to the core, one small protocol per capability."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextvars import ContextVar
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Protocol

import msgspec

from ..model import Order, Shipment

# How long a channel call may wait for its store's request budget (the rate the store may call the
# marketplace at) before giving up, unsent, with ChannelBusy. An import waits its turn (unset, None):
# its pages come in order. The relay sets it for each delivery: a message waiting for one busy store's
# budget would hold a delivery slot another store's message could use. Once a delivery has sent a
# request that may change something, its later calls wait without it (the shared HTTP client clears
# it), so that a busy never leaves a write half done: a channel waiting on a limit of its own honours
# it the same way.
BUDGET_WAIT: ContextVar[float | None] = ContextVar("portside_budget_wait", default=None)


class MappingFailure(msgspec.Struct, frozen=True, kw_only=True):
    """A payload the channel received but could not map; the import quarantines it."""

    channel_order_id: str | None
    raw: bytes
    error: str


class SkippedOrder(msgspec.Struct, frozen=True, kw_only=True):
    """An order the channel deliberately leaves out (e.g. no line shipped by the seller)."""

    channel_order_id: str
    reason: str


class OrderPage(msgspec.Struct, frozen=True, kw_only=True):
    orders: list[Order]
    failures: list[MappingFailure] = []
    skipped: list[SkippedOrder] = []
    # The latest channel ``updatedAt`` on this page, including orders that failed to map, so
    # the cursor cannot stop short of a payload it already received.
    max_updated_at: datetime | None = None
    # Orders the channel did not map because ``KnownOrders`` said their wire fingerprint is stored.
    unchanged: list[str] = []
    # The wire fingerprint of each mapped order that has one: stored as its content hash.
    fingerprints: dict[str, bytes] = {}


class KnownOrders(Protocol):
    async def unchanged(self, fingerprints: Mapping[str, bytes]) -> set[str]:
        """The channel order ids whose stored order was made from exactly this wire fingerprint.

        A channel that can fingerprint an order's wire form (its bytes, with whatever settings shape
        its mapping) asks this before mapping, and maps only the rest: a re-sync of unchanged orders
        costs a hash each instead of a mapping each."""
        ...


class OrderSource(Protocol):
    def pages(self, updated_since: datetime, *, known: KnownOrders | None = None) -> AsyncIterator[OrderPage]:
        """Pages of orders updated at or after ``updated_since``, in a stable order. ``known`` is
        optional to use: a channel that ignores it maps every order and core compares hashes."""
        ...

    async def fetch_order(self, channel_order_id: str) -> Order:
        """One order, fresh from the channel; raises MappingError if it cannot be mapped."""
        ...


class OrderAcknowledger(Protocol):
    async def accept(self, order: Order) -> None: ...

    async def refuse(self, order: Order, reason: str | None) -> None: ...

    async def find_decision(self, order: Order) -> bool | None:
        """True if the channel shows the order accepted, False if refused, None if undecided."""
        ...


class NotificationReceipt(msgspec.Struct, frozen=True, kw_only=True):
    sent: dict[str, str]  # what the channel received, field by field
    not_sent: tuple[str, ...] = ()  # shipment fields the channel has no place for


class NotificationLookup(StrEnum):
    found = "found"
    absent = "absent"


class ShipmentNotifier(Protocol):
    async def notify(self, order: Order, shipment: Shipment) -> NotificationReceipt: ...

    async def find_notification(self, order: Order, shipment: Shipment) -> NotificationLookup:
        """Whether the channel already has this shipment (after an ambiguous send)."""
        ...

    async def preflight(self, order: Order, shipment: Shipment) -> None:
        """Raise ChannelRejected (with field errors) if the channel would refuse this shipment as it
        is, before it is stored: a refused notification cannot be fixed afterwards."""
        ...


class CarrierCatalog(Protocol):
    async def accepted_carriers(self) -> list[str]:
        """The carrier names the channel lists, as it spells them (with ``carriers_by_name``, others go too)."""
        ...

    async def resolve(self, carrier: str) -> str | None:
        """The channel's name for ``carrier`` (a platform code or a channel name), or None when the channel
        cannot take it (never None for a non-blank carrier with ``carriers_by_name``)."""
        ...


class ChannelCapabilities(msgspec.Struct, frozen=True, kw_only=True):
    partial_shipments: bool = False
    notes_to_buyer: bool = False
    acceptance: bool = False
    # Order fields the channel actually provides; the rest come from the catalog or stay empty.
    provided_fields: frozenset[str] = frozenset()
    min_poll_interval_s: int = 60
    max_tracking_number_length: int | None = None
    max_tracking_url_length: int | None = None
    # A carrier the channel does not list is sent by name (Mirakl OR23 ``carrier_name`` + ``carrier_url``):
    # ``CarrierCatalog.resolve`` then takes any carrier, and ``accepted_carriers`` are the listed ones only.
    carriers_by_name: bool = False
    # The marketplace as its sellers know it ("Cdiscount", a Mirakl store's profile: "Leroy Merlin"), for messages.
    marketplace: str | None = None


class ConnectionVerifier(Protocol):
    async def verify(self) -> None:
        """Prove the credentials work with one cheap call; raise ChannelAuthFailed if not."""
        ...


class ChannelProvider(Protocol):
    async def for_store(self, store_id: str) -> ChannelBundle:
        """The channel ports of ``store_id`` (built once and reused, so tokens and caches live on)."""
        ...


class ImportWindow(msgspec.Struct, frozen=True, kw_only=True):
    """A store's own import window (its channel settings), instead of the process-wide defaults; a field
    left None keeps the service's default (``PORTSIDE_SYNC_OVERLAP_S``, ``PORTSIDE_SYNC_LOOK_BACK_DAYS``)."""

    overlap: timedelta | None = None
    look_back: timedelta | None = None


class ChannelBundle(msgspec.Struct, frozen=True, kw_only=True):
    """The ports one store's channel fills, built by the channel plugin."""

    source: OrderSource
    notifier: ShipmentNotifier
    carriers: CarrierCatalog
    verifier: ConnectionVerifier
    capabilities: ChannelCapabilities
    acknowledger: OrderAcknowledger | None = None
    import_window: ImportWindow | None = None  # None: the service's defaults
