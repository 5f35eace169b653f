"""The application service: use cases wired to this process's adapters, for the API, scheduler and CLI."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import timedelta

from portside.core.errors import NotFound
from portside.core.model import OutboxKind, PickupCarrier, Shipment, Store, SyncReport
from portside.core.ports import Clock, PickupPointDirectory, UnitOfWorkFactory
from portside.core.services import (
    AcceptanceHandler,
    DispatchReport,
    ImportSettings,
    LabelSettings,
    OutboxHandler,
    PickupEnricher,
    RelaySettings,
    ShipmentRequest,
    ShipNotificationHandler,
    SyncProgress,
    confirm_shipment,
    dispatch_outbox,
    import_orders,
    new_id,
)

from .channel_provider import StoreChannels
from .config import Settings


class Portside:
    def __init__(
        self,
        *,
        uow: UnitOfWorkFactory,
        clock: Clock,
        channels: StoreChannels,
        directories: Mapping[PickupCarrier, PickupPointDirectory],
        worker_id: str,
        import_settings: ImportSettings,
        relay_settings: RelaySettings,
        label_settings: LabelSettings | None = None,
        extra_handlers: Mapping[OutboxKind, OutboxHandler] | None = None,
    ) -> None:
        self.uow = uow
        self.clock = clock
        self.channels = channels
        self.directories = directories
        self.worker_id = worker_id
        self.import_settings = import_settings
        self.relay_settings = relay_settings
        self.label_settings = label_settings or LabelSettings()
        self.handlers: dict[OutboxKind, OutboxHandler] = {
            OutboxKind.ship_notification: ShipNotificationHandler(uow=uow, channels=channels),
            OutboxKind.acceptance: AcceptanceHandler(uow=uow, channels=channels),
            **(extra_handlers or {}),
        }

    async def store(self, store_id: str) -> Store:
        async with self.uow() as u:
            store = await u.stores.get(store_id)
        if store is None:
            raise NotFound("store", store_id)
        return store

    def run_owner(self) -> str:
        """A lease owner for one piece of work: two syncs in this process never share an owner."""
        return f"{self.worker_id}:{new_id()[:8]}"

    async def sync_store(
        self,
        store_id: str,
        *,
        owner: str | None = None,
        progress: Callable[[SyncProgress], None] | None = None,
    ) -> SyncReport:
        store = await self.store(store_id)
        bundle = self.channels.bundle_for(store)
        plugin = self.channels.registry.get(store.channel)
        enricher = PickupEnricher(self.directories, label_settings=self.label_settings, store_name=store.name)
        return await import_orders(
            store,
            source=bundle.source,
            uow=self.uow,
            clock=self.clock,
            status_defaults=plugin.default_status_mapping,
            owner=owner or self.run_owner(),
            settings=self.import_settings,
            enrichers=[enricher],
            progress=progress,
        )

    async def relay_once(self, *, kinds: tuple[OutboxKind, ...] | None = None) -> DispatchReport:
        handlers = self.handlers if kinds is None else {k: h for k, h in self.handlers.items() if k in kinds}
        return await dispatch_outbox(
            uow=self.uow, handlers=handlers, clock=self.clock, owner=self.worker_id, settings=self.relay_settings
        )

    async def confirm_shipment(self, order_id: str, request: ShipmentRequest) -> Shipment:
        async with self.uow() as u:
            record = await u.orders.get(order_id)
        if record is None:
            raise NotFound("order", order_id)
        bundle = await self.channels.for_store(record.order.store_id)
        return await confirm_shipment(
            order_id,
            request,
            uow=self.uow,
            clock=self.clock,
            carriers=bundle.carriers,
            capabilities=bundle.capabilities,
        )


def import_settings(settings: Settings) -> ImportSettings:
    return ImportSettings(
        overlap=timedelta(seconds=settings.sync_overlap_s),
        look_back=timedelta(days=settings.sync_look_back_days),
        lease_ttl_s=float(settings.sync_lease_s),
    )


def relay_settings(settings: Settings) -> RelaySettings:
    return RelaySettings(
        batch=settings.relay_batch,
        concurrency=settings.relay_concurrency,
        max_attempts=settings.relay_max_attempts,
    )
