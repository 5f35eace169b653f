"""The domain model: channel-agnostic orders, shipments, stores and their invariants."""

from .activity import ActivityKind, ActivityRecord
from .catalog import Product
from .delivery import (
    Closure,
    DayHours,
    DeliveryKind,
    DeliveryMethod,
    PickupCarrier,
    PickupPoint,
    PickupPointIssue,
    PointSource,
    TimeSlot,
    normalise_point_id,
)
from .money import Money, Weight
from .orders import (
    Discount,
    Fee,
    LineOption,
    Order,
    OrderFlag,
    OrderLine,
    OrderTotals,
    lines_weight,
    order_id_for,
    sum_money,
)
from .outbox import OutboxKind, OutboxMessage, OutboxStatus
from .parties import Address, Customer
from .shipments import NotificationState, NotificationStatus, Shipment, ShipmentLine
from .statuses import SHIPPED_STATES, OrderStatus, StatusMapping
from .stores import AcceptancePolicy, Store
from .sync import QuarantinedPayload, SyncCursor, SyncReport

__all__ = [
    "SHIPPED_STATES",
    "AcceptancePolicy",
    "ActivityKind",
    "ActivityRecord",
    "Address",
    "Closure",
    "Customer",
    "DayHours",
    "DeliveryKind",
    "DeliveryMethod",
    "Discount",
    "Fee",
    "LineOption",
    "Money",
    "NotificationState",
    "NotificationStatus",
    "Order",
    "OrderFlag",
    "OrderLine",
    "OrderStatus",
    "OrderTotals",
    "OutboxKind",
    "OutboxMessage",
    "OutboxStatus",
    "PickupCarrier",
    "PickupPoint",
    "PickupPointIssue",
    "PointSource",
    "Product",
    "QuarantinedPayload",
    "Shipment",
    "ShipmentLine",
    "StatusMapping",
    "Store",
    "SyncCursor",
    "SyncReport",
    "TimeSlot",
    "Weight",
    "lines_weight",
    "normalise_point_id",
    "order_id_for",
    "sum_money",
]
