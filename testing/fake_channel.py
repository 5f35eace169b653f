"""A fake marketplace and the channel over it: real classes with state and fault knobs, not mocks."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import msgspec

from portside.core.errors import ChannelAuthFailed, ChannelRejected, ChannelUnavailable, MappingError, OutcomeUnknown
from portside.core.model import Order, OrderStatus, Shipment, Store
from portside.core.ports import (
    ChannelBundle,
    ChannelCapabilities,
    KnownOrders,
    MappingFailure,
    NotificationLookup,
    NotificationReceipt,
    OrderPage,
    SkippedOrder,
)

FAKE_STATUSES: dict[str, OrderStatus] = {
    "Pending": OrderStatus.awaiting_payment,
    "WaitingAcceptance": OrderStatus.awaiting_acceptance,
    "ReadyToShip": OrderStatus.awaiting_shipment,
    "Shipped": OrderStatus.shipped,
    "Delivered": OrderStatus.delivered,
    "Cancelled": OrderStatus.cancelled,
}

FAKE_CARRIERS = ("Colissimo", "Mondial Relay", "Chronopost", "DPD", "GLS", "UPS")
_CODES = {"colissimo": "Colissimo", "mondial_relay": "Mondial Relay", "chronopost": "Chronopost", "dpd": "DPD"}


@dataclass
class FakeFaults:
    fail_pages: set[int] = field(default_factory=set)  # page numbers (1-based) that raise once each
    notify_unavailable: int = 0  # next N notifications refused before reaching the marketplace
    notify_lost_answer: int = 0  # next N notifications applied, then the answer is lost (timeout)
    notify_reject: str | None = None  # every notification refused with this reason
    preflight_reject: str | None = None  # every shipment refused before it is stored
    decide_lost_answer: int = 0


@dataclass
class FakeMarketplace:
    """What the marketplace holds and what it was told. Tests read ``parcels`` to prove exactly-once."""

    orders: dict[str, Order] = field(default_factory=dict)
    malformed: dict[str, datetime] = field(default_factory=dict)  # channel ids whose payload is unreadable
    no_seller_lines: dict[str, datetime] = field(default_factory=dict)
    parcels: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    decisions: dict[str, bool] = field(default_factory=dict)
    carriers: tuple[str, ...] = FAKE_CARRIERS
    faults: FakeFaults = field(default_factory=FakeFaults)
    secret: str = "fake-secret"
    page_requests: int = 0

    def put(self, *orders: Order) -> None:
        for order in orders:
            self.orders[order.channel_order_id] = order

    def update(self, channel_order_id: str, **changes: object) -> Order:
        order = msgspec.structs.replace(self.orders[channel_order_id], **changes)
        self.orders[channel_order_id] = order
        return order


class FakeChannel:
    """Every channel port over a FakeMarketplace, paging live like a real offset-paginated API."""

    def __init__(self, market: FakeMarketplace, *, page_size: int = 100, secret: str = "fake-secret") -> None:
        self.market = market
        self.page_size = page_size
        self._secret = secret
        self.capabilities = ChannelCapabilities(
            partial_shipments=False,
            notes_to_buyer=False,
            acceptance=True,
            provided_fields=frozenset({"customer.phone", "payment_method", "lines.options"}),
            max_tracking_number_length=50,
            max_tracking_url_length=255,
        )

    def _entries(self, since: datetime) -> list[tuple[datetime, str, str]]:
        rows = [(o.updated_at, cid, "order") for cid, o in self.market.orders.items() if o.updated_at >= since]
        rows += [(at, cid, "malformed") for cid, at in self.market.malformed.items() if at >= since]
        rows += [(at, cid, "skipped") for cid, at in self.market.no_seller_lines.items() if at >= since]
        return sorted(rows)

    async def pages(self, updated_since: datetime, *, known: KnownOrders | None = None) -> AsyncIterator[OrderPage]:
        number = 0
        while True:
            number += 1
            self.market.page_requests += 1
            if number in self.market.faults.fail_pages:
                self.market.faults.fail_pages.discard(number)
                raise ChannelUnavailable(f"fake marketplace: page {number} failed (HTTP 503)")
            # Live offset paging: recomputed per page, so an order updated meanwhile can move.
            window = self._entries(updated_since)[(number - 1) * self.page_size : number * self.page_size]
            orders, failures, skipped = [], [], []
            for _, cid, kind in window:
                if kind == "order":
                    orders.append(self.market.orders[cid])
                elif kind == "malformed":
                    failures.append(
                        MappingFailure(
                            channel_order_id=cid,
                            raw=b'{"orderId": "' + cid.encode() + b'", "lines": {}}',
                            error="lines: expected array",
                        )
                    )
                else:
                    skipped.append(SkippedOrder(channel_order_id=cid, reason="no line shipped by the seller"))
            yield OrderPage(
                orders=orders,
                failures=failures,
                skipped=skipped,
                max_updated_at=window[-1][0] if window else None,
            )
            if len(window) < self.page_size:
                return

    async def fetch_order(self, channel_order_id: str) -> Order:
        if channel_order_id in self.market.malformed:
            raise MappingError(f"order {channel_order_id}: lines: expected array")
        try:
            return self.market.orders[channel_order_id]
        except KeyError:
            raise ChannelRejected(f"order {channel_order_id} not found") from None

    async def notify(self, order: Order, shipment: Shipment) -> NotificationReceipt:
        faults = self.market.faults
        if faults.notify_reject:
            raise ChannelRejected(faults.notify_reject, field_errors={"carrierName": [faults.notify_reject]})
        if faults.notify_unavailable > 0:
            faults.notify_unavailable -= 1
            raise ChannelUnavailable("fake marketplace: HTTP 429", retry_after=1.0)
        parcels = self.market.parcels.setdefault(order.channel_order_id, [])
        if parcels:
            raise ChannelRejected(f"order {order.channel_order_id} already has a parcel")
        carrier = await self.resolve(shipment.carrier) or shipment.carrier
        sent = {"parcelNumber": shipment.tracking_number, "carrierName": carrier}
        if shipment.tracking_url:
            sent["trackingUrl"] = shipment.tracking_url
        parcels.append(sent)
        self.market.update(order.channel_order_id, channel_status="Shipped")
        if faults.notify_lost_answer > 0:
            faults.notify_lost_answer -= 1
            raise OutcomeUnknown("fake marketplace: no answer within 30 s")
        not_sent = ("notes_to_buyer",) if shipment.notes_to_buyer else ()
        return NotificationReceipt(sent=sent, not_sent=not_sent)

    async def preflight(self, order: Order, shipment: Shipment) -> None:
        reason = self.market.faults.preflight_reject
        if reason:
            raise ChannelRejected(reason, field_errors={"tracking_url": [reason]})

    async def find_notification(self, order: Order, shipment: Shipment) -> NotificationLookup:
        parcels = self.market.parcels.get(order.channel_order_id, [])
        found = any(p["parcelNumber"] == shipment.tracking_number for p in parcels)
        return NotificationLookup.found if found else NotificationLookup.absent

    async def accepted_carriers(self) -> list[str]:
        return list(self.market.carriers)

    async def resolve(self, carrier: str) -> str | None:
        wanted = _CODES.get(carrier.strip().lower(), carrier).strip().lower()
        return next((c for c in self.market.carriers if c.strip().lower() == wanted), None)

    async def accept(self, order: Order) -> None:
        await self._decide(order, True)

    async def refuse(self, order: Order, reason: str | None) -> None:
        await self._decide(order, False)

    async def _decide(self, order: Order, accepted: bool) -> None:
        self.market.decisions[order.channel_order_id] = accepted
        self.market.update(order.channel_order_id, channel_status="ReadyToShip" if accepted else "Cancelled")
        if self.market.faults.decide_lost_answer > 0:
            self.market.faults.decide_lost_answer -= 1
            raise OutcomeUnknown("fake marketplace: no answer")

    async def find_decision(self, order: Order) -> bool | None:
        return self.market.decisions.get(order.channel_order_id)

    async def verify(self) -> None:
        if self._secret != self.market.secret:
            raise ChannelAuthFailed("the fake marketplace rejected the client secret; check the store's credentials")

    def bundle(self) -> ChannelBundle:
        return ChannelBundle(
            source=self,
            notifier=self,
            carriers=self,
            verifier=self,
            capabilities=self.capabilities,
            acknowledger=self,
        )


class FakeCredentials(msgspec.Struct, frozen=True, kw_only=True):
    secret: str


class FakeSettings(msgspec.Struct, frozen=True, kw_only=True):
    page_size: int = 100
    seller: str | None = None  # the seller identity a test gives; None: every store is its own seller


class FakeChannelPlugin:
    """A channel plugin over fake marketplaces, one per store id (created on first use)."""

    name = "fake"
    display_name = "Fake marketplace"
    credentials_type = FakeCredentials
    settings_type = FakeSettings
    default_status_mapping = FAKE_STATUSES

    def __init__(self) -> None:
        self.markets: dict[str, FakeMarketplace] = {}
        self.capabilities = FakeChannel(FakeMarketplace()).capabilities

    def store_identity(self, credentials: Mapping[str, Any], settings: Mapping[str, Any]) -> str | None:
        """The ``seller`` setting if a test gives one (each store still has its own fake marketplace)."""
        seller = settings.get("seller")
        return seller if isinstance(seller, str) else None

    def market(self, store_id: str) -> FakeMarketplace:
        return self.markets.setdefault(store_id, FakeMarketplace())

    def build(self, store: Store, deps: object) -> ChannelBundle:
        from portside.channels.registry import decode_config

        credentials = decode_config(FakeCredentials, store.credentials, "credentials")
        settings = decode_config(FakeSettings, store.settings, "settings")
        channel = FakeChannel(self.market(store.id), page_size=settings.page_size, secret=credentials.secret)
        return channel.bundle()
