"""The composition root: the only place that knows which adapter fills which port."""

from __future__ import annotations

import os
import socket

from dependency_injector import containers, providers

from portside.adapters.http import HttpClient
from portside.adapters.postgres.uow import PostgresUnitOfWorkFactory
from portside.adapters.system_clock import SystemClock
from portside.channels.registry import ChannelDeps, ChannelRegistry
from portside.core.ports import Clock, UnitOfWorkFactory

from . import resources
from .channel_provider import StoreChannels
from .config import Settings


def default_worker_id(settings: Settings) -> str:
    return settings.worker_id or f"{socket.gethostname()}:{os.getpid()}"


class StorageContainer(containers.DeclarativeContainer):
    settings = providers.Dependency(instance_of=Settings)
    dsn = providers.Resource(resources.database_dsn, settings)
    pool = providers.Resource(resources.database_pool, dsn, settings)
    cipher = providers.Singleton(resources.credentials_cipher, settings)
    uow = providers.Singleton(PostgresUnitOfWorkFactory, pool, cipher=cipher)


class HttpContainer(containers.DeclarativeContainer):
    session = providers.Resource(resources.http_session)
    client = providers.Singleton(HttpClient, session)


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
    http = providers.Container(HttpContainer)
    channels = providers.Container(ChannelContainer, http=http.client, clock=clock, uow=storage.uow)


def build_container(settings: Settings) -> Container:
    return Container(settings=settings)
