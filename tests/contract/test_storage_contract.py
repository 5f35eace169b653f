"""The storage contract, run against the memory adapter and against real Postgres."""

from __future__ import annotations

import pytest

from portside.adapters.memory import MemoryStorage
from portside.core.ports import UnitOfWorkFactory
from portside.testing.storage_contract import (
    AccountContract,
    ActivityContract,
    CarrierSettingsContract,
    CatalogContract,
    CursorContract,
    EventPublishingContract,
    IdempotencyContract,
    OrderContract,
    OutboxContract,
    OutboxDepthContract,
    PickupCacheContract,
    QuarantineContract,
    ShipmentContract,
    StoreContract,
    SyncLeaseContract,
    SyncReportContract,
    UnitOfWorkContract,
    WebhookContract,
)


@pytest.fixture(params=["memory", pytest.param("postgres", marks=pytest.mark.postgres)])
def uow_factory(request: pytest.FixtureRequest) -> UnitOfWorkFactory:
    if request.param == "memory":
        return MemoryStorage()
    factory: UnitOfWorkFactory = request.getfixturevalue("pg_uow_factory")
    return factory


class TestUnitOfWork(UnitOfWorkContract): ...


class TestStores(StoreContract): ...


class TestOrders(OrderContract): ...


class TestShipments(ShipmentContract): ...


class TestCatalog(CatalogContract): ...


class TestActivity(ActivityContract): ...


class TestOutbox(OutboxContract): ...


class TestCursors(CursorContract): ...


class TestQuarantine(QuarantineContract): ...


class TestSyncReports(SyncReportContract): ...


class TestSyncLeases(SyncLeaseContract): ...


class TestPickupCache(PickupCacheContract): ...


class TestAccounts(AccountContract): ...


class TestIdempotency(IdempotencyContract): ...


class TestWebhooks(WebhookContract): ...


class TestEventPublishing(EventPublishingContract): ...


class TestOutboxDepth(OutboxDepthContract): ...


class TestCarrierSettings(CarrierSettingsContract): ...
