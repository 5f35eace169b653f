"""The application service: use cases wired to this process's adapters, for the API, scheduler and CLI."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any

import msgspec

from portside.core.errors import NotFound, SyncAlreadyRunning
from portside.core.model import (
    Account,
    ApiKey,
    OutboxKind,
    PickupCarrier,
    Shipment,
    Store,
    SyncReport,
)
from portside.core.ports import Clock, ImportWindow, PickupPointDirectory, UnitOfWorkFactory
from portside.core.services import (
    AcceptanceHandler,
    DispatchReport,
    ImportSettings,
    LabelSettings,
    OutboxHandler,
    PickupEnricher,
    PublishReport,
    RelaySettings,
    ShipmentRequest,
    ShipNotificationHandler,
    SyncProgress,
    accounts,
    claim_on_demand_sync,
    confirm_shipment,
    dispatch_outbox,
    import_orders,
    new_id,
    publish_events,
    stores,
)
from portside.core.services.stores import StoreChanges, StoreDraft

from .channel_provider import StoreChannels
from .directories import CarrierDirectories, StaticDirectories
from .observer import NullObserver, Observer, settled_reporter


class Portside:
    def __init__(
        self,
        *,
        uow: UnitOfWorkFactory,
        clock: Clock,
        channels: StoreChannels,
        directories: CarrierDirectories | Mapping[PickupCarrier, PickupPointDirectory],
        worker_id: str,
        import_settings: ImportSettings,
        relay_settings: RelaySettings,
        label_settings: LabelSettings | None = None,
        extra_handlers: Mapping[OutboxKind, OutboxHandler] | None = None,
        observer: Observer | None = None,
    ) -> None:
        self.uow = uow
        self.clock = clock
        self.channels = channels
        # Each account's directories (its own carrier settings, else the service's); a plain mapping
        # is the same directories for every account.
        self.directories: CarrierDirectories = (
            StaticDirectories(directories) if isinstance(directories, Mapping) else directories
        )
        self.worker_id = worker_id
        self.import_settings = import_settings
        self.relay_settings = relay_settings
        self.label_settings = label_settings or LabelSettings()
        self.observer: Observer = observer or NullObserver()
        handlers: dict[OutboxKind, OutboxHandler] = {
            OutboxKind.ship_notification: ShipNotificationHandler(uow=uow, channels=channels),
            OutboxKind.acceptance: AcceptanceHandler(uow=uow, channels=channels),
            **(extra_handlers or {}),
        }
        self.handlers = handlers
        self._report_settled = settled_reporter(self.observer)

    async def store(self, store_id: str) -> Store:
        async with self.uow() as u:
            store = await u.stores.get(store_id)
        if store is None:
            raise NotFound("store", store_id)
        return store

    async def claim_sync_now(self, store_id: str) -> tuple[Store, str]:
        """Take the store's sync lease for a sync asked for now (the API, the CLI): refused while one
        runs, or sooner after the last one started than its marketplace allows. The store, and the
        lease's owner to sync under."""
        store = await self.store(store_id)
        owner = self.run_owner()
        capabilities = self.channels.bundle_for(store).capabilities
        await claim_on_demand_sync(
            store,
            capabilities,
            owner=owner,
            uow=self.uow,
            clock=self.clock,
            lease_ttl_s=self.import_settings.lease_ttl_s,
        )
        return store, owner

    def run_owner(self) -> str:
        """A lease owner for one piece of work: two syncs in this process never share an owner."""
        return f"{self.worker_id}:{new_id()[:8]}"

    def _import_settings(self, window: ImportWindow | None) -> ImportSettings:
        return self.import_settings.for_store(window)

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
        minimum = bundle.capabilities.min_poll_interval_s
        if store.sync_interval_s < minimum:
            # The import schedules the next run from the store's interval; a channel that forbids
            # polling that often (Mirakl) gets its minimum instead, whatever the store says.
            store = msgspec.structs.replace(store, sync_interval_s=minimum)
        started = time.monotonic()
        outcome, report = "failed", None
        try:
            # The store's account's directories: its own carrier settings where it has some.
            directories = await self.directories.for_account(store.account_id)
            enricher = PickupEnricher(
                directories, label_settings=self.label_settings, store_name=store.name, clock=self.clock
            )
            report = await import_orders(
                store,
                source=bundle.source,
                uow=self.uow,
                clock=self.clock,
                status_defaults=plugin.default_status_mapping,
                owner=owner or self.run_owner(),
                settings=self._import_settings(bundle.import_window),
                enrichers=[enricher],
                progress=progress,
            )
            outcome = report.outcome
            return report
        except SyncAlreadyRunning:
            outcome = "already_running"
            raise
        finally:
            new, updated = (report.new, report.updated) if report else (0, 0)
            self.observer.sync_finished(store.channel, outcome, time.monotonic() - started, new=new, updated=updated)

    async def relay_once(
        self, *, kinds: tuple[OutboxKind, ...] | None = None, keep_claiming: Callable[[], bool] | None = None
    ) -> DispatchReport:
        """One relay pass; ``keep_claiming()`` false (a stopping host) ends it once the batches in hand are
        settled."""
        handlers = self.handlers if kinds is None else {k: h for k, h in self.handlers.items() if k in kinds}
        return await dispatch_outbox(
            uow=self.uow,
            handlers=handlers,
            clock=self.clock,
            owner=self.worker_id,
            settings=self.relay_settings,
            on_settled=self._report_settled,
            keep_claiming=keep_claiming,
        )

    async def publish_events(self, *, batch: int = 500) -> PublishReport:
        report = await publish_events(uow=self.uow, clock=self.clock, batch=batch)
        if report.records:
            self.observer.events_published(report.records, report.deliveries)
        return report

    async def create_account(self, name: str, *, account_id: str | None = None) -> Account:
        return await accounts.create_account(name, uow=self.uow, clock=self.clock, account_id=account_id)

    async def create_api_key(self, account_id: str, *, label: str | None = None) -> tuple[ApiKey, str]:
        """The stored key and the key itself (shown once; only its hash is kept)."""
        return await accounts.create_api_key(account_id, uow=self.uow, clock=self.clock, label=label)

    def channel_configs(self) -> dict[str, Any]:
        """Every installed channel plugin by name, as the core's store rules want them."""
        registry = self.channels.registry
        return {name: registry.get(name) for name in registry.names()}

    async def verify_store(self, store: Store) -> None:
        """Ask the store's channel to prove its credentials (one cheap call)."""
        try:
            await self.channels.bundle_for(store).verifier.verify()
        except BaseException:
            self.channels.forget(store.id)  # maybe never saved: do not keep its ports around
            raise

    async def connect_store(self, account_id: str, draft: StoreDraft) -> Store:
        """Verify the credentials with the channel, then save the store, due for a sync now."""
        return await stores.connect_store(
            account_id, draft, channels=self.channel_configs(), verify=self.verify_store, uow=self.uow, clock=self.clock
        )

    async def update_store(self, account_id: str, store_id: str, changes: StoreChanges) -> Store:
        return await stores.update_store(
            account_id,
            store_id,
            changes,
            channels=self.channel_configs(),
            verify=self.verify_store,
            uow=self.uow,
            clock=self.clock,
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
            notifier=bundle.notifier,
        )
