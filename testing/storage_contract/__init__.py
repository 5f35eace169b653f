"""The storage contract: the tests every ``UnitOfWork`` implementation passes (memory, Postgres, a host's own).

In a pytest module, subclass each contract as a ``Test…`` class and provide a ``uow_factory`` fixture
returning a ``UnitOfWorkFactory`` on empty storage::

    @pytest.fixture
    def uow_factory() -> UnitOfWorkFactory:
        return MemoryStorage()

    class TestOrders(OrderContract): ...

Call ``pytest.register_assert_rewrite("portside.testing")`` in a conftest for detailed failures.
The builders the contracts use (``make_store``, ``make_message``…) are exported for an adapter's own tests.
"""

from ._support import T0, at, make_activity, make_message, make_record, make_shipment, make_store
from .accounts import AccountContract, EventPublishingContract, IdempotencyContract, WebhookContract
from .carrier_settings import CarrierSettingsContract, make_carrier_settings
from .orders import OrderContract
from .outbox import OutboxContract, OutboxDepthContract
from .pickup import PickupCacheContract
from .shipping import ActivityContract, CatalogContract, ShipmentContract
from .sync import CursorContract, QuarantineContract, SyncLeaseContract, SyncReportContract
from .unit_of_work import StoreContract, UnitOfWorkContract

ALL_CONTRACTS = (
    UnitOfWorkContract,
    StoreContract,
    OrderContract,
    ShipmentContract,
    CatalogContract,
    ActivityContract,
    OutboxContract,
    OutboxDepthContract,
    CursorContract,
    QuarantineContract,
    SyncReportContract,
    SyncLeaseContract,
    PickupCacheContract,
    AccountContract,
    IdempotencyContract,
    WebhookContract,
    EventPublishingContract,
    CarrierSettingsContract,
)

__all__ = [
    "ALL_CONTRACTS",
    "T0",
    "AccountContract",
    "ActivityContract",
    "CarrierSettingsContract",
    "CatalogContract",
    "CursorContract",
    "EventPublishingContract",
    "IdempotencyContract",
    "OrderContract",
    "OutboxContract",
    "OutboxDepthContract",
    "PickupCacheContract",
    "QuarantineContract",
    "ShipmentContract",
    "StoreContract",
    "SyncLeaseContract",
    "SyncReportContract",
    "UnitOfWorkContract",
    "WebhookContract",
    "at",
    "make_activity",
    "make_carrier_settings",
    "make_message",
    "make_record",
    "make_shipment",
    "make_store",
]
