"""Use cases: one plain async function (or outbox handler) a module, taking a unit of work and ports."""

from .acceptance import AcceptanceHandler, decide_order, should_auto_accept
from .catalog import enrich_from_catalog, upsert_products
from .confirm_shipment import ShipmentRequest, confirm_shipment
from .dispatch_outbox import DispatchReport, OutboxHandler, RelaySettings, dispatch_outbox, retry_dead
from .enrichment import OrderEnricher
from .hashing import content_hash
from .ids import derived_id, new_id
from .import_orders import ImportSettings, SyncProgress, import_orders
from .label_hints import LabelSettings, label_hints
from .pickup_enrichment import PickupEnricher
from .pickup_points import CachedDirectory, get_pickup_point, search_pickup_points
from .publish_events import PublishReport, event_of, publish_events
from .reconcile import is_stale, reconcile, resolve_status
from .ship_notifications import ShipNotificationHandler
from .status_mapping import get_status_mapping, set_status_mapping

__all__ = [
    "AcceptanceHandler",
    "CachedDirectory",
    "DispatchReport",
    "ImportSettings",
    "LabelSettings",
    "OrderEnricher",
    "OutboxHandler",
    "PickupEnricher",
    "PublishReport",
    "RelaySettings",
    "ShipNotificationHandler",
    "ShipmentRequest",
    "SyncProgress",
    "confirm_shipment",
    "content_hash",
    "decide_order",
    "derived_id",
    "dispatch_outbox",
    "enrich_from_catalog",
    "event_of",
    "get_pickup_point",
    "get_status_mapping",
    "import_orders",
    "is_stale",
    "label_hints",
    "new_id",
    "publish_events",
    "reconcile",
    "resolve_status",
    "retry_dead",
    "search_pickup_points",
    "set_status_mapping",
    "should_auto_accept",
    "upsert_products",
]
