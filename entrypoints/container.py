"""The composition root: the only place that knows which adapter fills which port."""

from __future__ import annotations

import functools
import logging
import os
import socket
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from dependency_injector import containers, providers

from portside.adapters.carriers import ColissimoDirectory, MondialRelayDirectory
from portside.adapters.http import HttpClient
from portside.adapters.postgres.pool import is_connection_failure
from portside.adapters.postgres.uow import PostgresUnitOfWorkFactory
from portside.adapters.system_clock import SystemClock
from portside.adapters.webhooks import WebhookSender
from portside.channels.registry import ChannelDeps, ChannelRegistry
from portside.core.model import OutboxKind, PickupCarrier
from portside.core.ports import Clock, PickupPointDirectory, UnitOfWorkFactory
from portside.core.services import ImportSettings, RelaySettings

from . import resources
from .application import Portside
from .carrier_kinds import CARRIER_KINDS
from .channel_provider import StoreChannels
from .config import Settings
from .directories import AccountDirectories
from .metrics import Metrics
from .outbound import OutboundPolicy
from .readiness import DatabaseReadiness
from .scheduler import Scheduler
from .service_carriers import SERVICE_AUTH_HINTS, service_carrier_settings
from .webhooks import WebhookHandler

log = logging.getLogger("portside")


def default_worker_id(settings: Settings) -> str:
    return settings.worker_id or f"{socket.gethostname()}:{os.getpid()}"


def import_settings(settings: Settings) -> ImportSettings:
    return ImportSettings(
        overlap=timedelta(seconds=settings.sync_overlap_s),
        look_back=timedelta(days=settings.sync_look_back_days),
        lease_ttl_s=float(settings.sync_lease_s),
        batch_orders=settings.sync_batch_orders,
    )


def relay_settings(settings: Settings) -> RelaySettings:
    return RelaySettings(
        batch=settings.relay_batch,
        concurrency=settings.relay_concurrency,
        max_attempts=settings.relay_max_attempts,
        lease_s=settings.relay_lease_s,
        base_backoff_s=settings.relay_backoff_s,
        max_backoff_s=max(settings.relay_max_backoff_s, settings.relay_backoff_s),
        budget_wait_s=settings.relay_budget_wait_s,
    )


# Which directory adapter fills the PickupPointDirectory port for each carrier, over its settings type.
# (Each takes ``auth_hint=``: what a refusal of its credentials tells to check.)
DIRECTORY_ADAPTERS: dict[PickupCarrier, Callable[..., PickupPointDirectory]] = {
    PickupCarrier.mondial_relay: MondialRelayDirectory,
    PickupCarrier.colissimo: ColissimoDirectory,
}


def build_directory(
    carrier: PickupCarrier, settings: Any, *, http: HttpClient, service: bool = False
) -> PickupPointDirectory:
    """The carrier's directory over ``settings`` (its settings type), uncached. ``service``: the operator's
    settings (``PORTSIDE_*``), whose refusal names the variables; else an account's, named by their fields."""
    if service:
        return DIRECTORY_ADAPTERS[carrier](settings, http, auth_hint=SERVICE_AUTH_HINTS[carrier])
    return DIRECTORY_ADAPTERS[carrier](settings, http)


def account_directories(
    settings: Settings, http: HttpClient, uow: UnitOfWorkFactory, clock: Clock, tenant_http: HttpClient | None = None
) -> AccountDirectories:
    """Each account's directories: its own carrier settings (set through the API) where it has some,
    else the service's (``PORTSIDE_MONDIAL_RELAY_*``, ``PORTSIDE_COLISSIMO_*``), every answer cached
    in storage. A carrier with neither is not an error: its pickup orders keep the marketplace's
    point data, flagged unverified."""
    service = service_carrier_settings(settings)  # the service's start logs which are missing (serve.py)
    return AccountDirectories(
        service=service,
        build=functools.partial(build_directory, http=http, service=True),
        build_own=functools.partial(build_directory, http=tenant_http or http),  # endpoints an account chose
        kinds=CARRIER_KINDS,
        uow=uow,
        clock=clock,
    )


def api_renderers() -> tuple[Any, Any]:
    """The API's JSON views of an order and a shipment: webhooks send exactly what the API shows."""
    from .http.views import order_view, shipment_view  # the API package is only loaded when used

    return order_view, shipment_view


def build_webhook_handler(uow: UnitOfWorkFactory, sender: WebhookSender, clock: Clock) -> WebhookHandler:
    render_order, render_shipment = api_renderers()
    return WebhookHandler(
        uow=uow, sender=sender, clock=clock, render_order=render_order, render_shipment=render_shipment
    )


def build_scheduler(app: Portside, settings: Settings) -> Scheduler:
    return Scheduler(
        app,
        sync_concurrency=settings.sync_concurrency,
        sync_poll_s=settings.sync_poll_s,
        relay_poll_s=settings.relay_poll_s,
        events_poll_s=settings.events_poll_s,
        housekeeping_s=settings.housekeeping_s,
        acceptance_sla=timedelta(hours=settings.acceptance_sla_hours),
        sync_lease_s=float(settings.sync_lease_s),
        sync_retry_s=settings.sync_retry_s,
        shutdown_grace_s=settings.shutdown_grace_s,
        # The unit of work turns a lost connection into StorageUnavailable only when it opens; one
        # lost mid-transaction reaches the scheduler raw, and is an outage all the same.
        connection_failure=is_connection_failure,
    )


def build_api(app: Portside, metrics: Metrics, readiness: DatabaseReadiness, settings: Settings) -> Any:
    from .http import BackgroundSyncs, build_http_app

    syncs = BackgroundSyncs(app, grace_s=settings.shutdown_grace_s)  # on-demand syncs stop like scheduled ones
    return build_http_app(
        app,
        metrics=metrics,
        readiness=readiness,
        sync_launcher=syncs,
        max_in_flight=http_max_in_flight(settings),
        outbound=OutboundPolicy(allow_private=settings.allow_private_urls),
    )


def http_max_in_flight(settings: Settings) -> int:
    """``PORTSIDE_HTTP_MAX_IN_FLIGHT``, else four requests per pooled connection: a request holds a
    connection for a fraction of its life (the rest is parsing, encoding and the network), so a few
    per connection keep the pool busy; more would only queue for it, growing memory and latency."""
    return settings.http_max_in_flight or 4 * settings.db_pool_max


class StorageContainer(containers.DeclarativeContainer):
    settings = providers.Dependency(instance_of=Settings)
    dsn = providers.Resource(resources.database_dsn, settings)
    pool = providers.Resource(resources.database_pool, dsn, settings)
    cipher = providers.Singleton(resources.credentials_cipher, settings)
    uow = providers.Singleton(
        PostgresUnitOfWorkFactory, pool, cipher=cipher, acquire_timeout_s=settings.provided.db_acquire_timeout_s
    )
    readiness = providers.Singleton(DatabaseReadiness, pool)


class HttpContainer(containers.DeclarativeContainer):
    settings = providers.Dependency(instance_of=Settings)
    session = providers.Resource(resources.http_session)
    client = providers.Singleton(HttpClient, session)
    # For endpoints only a tenant sets (its webhooks, its own carrier endpoints): unless
    # PORTSIDE_ALLOW_PRIVATE_URLS, its connections refuse non-public addresses (outbound.py). Stores'
    # marketplace URLs, which the operator's CLI sets too, are checked when the API saves them.
    tenant_session = providers.Resource(resources.tenant_http_session, settings)
    tenant_client = providers.Singleton(resources.tenant_http_client, client, tenant_session)


class ChannelContainer(containers.DeclarativeContainer):
    http = providers.Dependency(instance_of=HttpClient)
    clock: providers.Dependency[Clock] = providers.Dependency()
    uow: providers.Dependency[UnitOfWorkFactory] = providers.Dependency()
    registry = providers.Singleton(ChannelRegistry.discover)
    deps = providers.Singleton(ChannelDeps, http=http, clock=clock)
    stores = providers.Singleton(StoreChannels, registry=registry, uow=uow, deps=deps)


class Container(containers.DeclarativeContainer):
    """Resolved once at start-up (``await container.init_resources()``); tests override providers."""

    settings = providers.Dependency(instance_of=Settings)
    clock = providers.Singleton(SystemClock)
    worker_id = providers.Singleton(default_worker_id, settings)
    storage = providers.Container(StorageContainer, settings=settings)
    http = providers.Container(HttpContainer, settings=settings)
    channels = providers.Container(ChannelContainer, http=http.client, clock=clock, uow=storage.uow)
    directories = providers.Singleton(
        account_directories, settings, http.client, storage.uow, clock, http.tenant_client
    )
    metrics = providers.Singleton(Metrics)
    webhook_sender = providers.Singleton(
        WebhookSender, http.tenant_client, timeout_s=settings.provided.webhook_timeout_s
    )
    webhooks = providers.Singleton(build_webhook_handler, storage.uow, webhook_sender, clock)
    app = providers.Singleton(
        Portside,
        uow=storage.uow,
        clock=clock,
        channels=channels.stores,
        directories=directories,
        worker_id=worker_id,
        import_settings=providers.Callable(import_settings, settings),
        relay_settings=providers.Callable(relay_settings, settings),
        extra_handlers=providers.Dict({OutboxKind.webhook: webhooks}),
        observer=metrics,
    )
    scheduler = providers.Singleton(build_scheduler, app, settings)
    http_app = providers.Factory(build_api, app, metrics, storage.readiness, settings)


def build_container(settings: Settings) -> Container:
    return Container(settings=settings)
