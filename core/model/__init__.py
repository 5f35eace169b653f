"""The domain model: channel-agnostic orders, shipments, stores and their invariants."""

from .accounts import Account, ApiKey
from .activity import ActivityKind, ActivityRecord
from .carriers import CarrierAccountSettings
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
from .money import MAX_AMOUNT, Money, Weight
from .orders import (
    MAX_LINES,
    MAX_QUANTITY,
    Discount,
    Fee,
    LineOption,
    Order,
    OrderFlag,
    OrderLine,
    OrderTotals,
    StoreOrderIds,
    lines_weight,
    order_id_for,
    sum_money,
)
from .outbox import OutboxKind, OutboxMessage, OutboxStatus
from .outbox_payloads import (
    DecisionPayload,
    DecisionResult,
    ShipNotificationPayload,
    ShipNotificationResult,
    WebhookPayload,
    WebhookResult,
    payload_of,
    result_of,
    to_payload,
)
from .parties import Address, Customer
from .shipments import NotificationState, NotificationStatus, Shipment, ShipmentLine
from .statuses import SHIPPED_STATES, OrderStatus, StatusMapping
from .stores import AcceptancePolicy, Store
from .sync import QuarantinedPayload, SyncCursor, SyncReport
from .webhooks import WebhookEvent, WebhookSubscription

__all__ = [
    "MAX_AMOUNT",
    "MAX_LINES",
    "MAX_QUANTITY",
    "SHIPPED_STATES",
    "AcceptancePolicy",
    "Account",
    "ActivityKind",
    "ActivityRecord",
    "Address",
    "ApiKey",
    "CarrierAccountSettings",
    "Closure",
    "Customer",
    "DayHours",
    "DecisionPayload",
    "DecisionResult",
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
    "ShipNotificationPayload",
    "ShipNotificationResult",
    "Shipment",
    "ShipmentLine",
    "StatusMapping",
    "Store",
    "StoreOrderIds",
    "SyncCursor",
    "SyncReport",
    "TimeSlot",
    "WebhookEvent",
    "WebhookPayload",
    "WebhookResult",
    "WebhookSubscription",
    "Weight",
    "lines_weight",
    "normalise_point_id",
    "order_id_for",
    "payload_of",
    "result_of",
    "sum_money",
    "to_payload",
]
