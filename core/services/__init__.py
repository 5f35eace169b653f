"""Use cases: one plain async function (or outbox handler) a module, taking a unit of work and ports."""

from .acceptance import AcceptanceHandler, decide_order, enqueue_decision, should_auto_accept
from .accounts import (
    authenticate,
    create_account,
    create_api_key,
    hash_api_key,
    list_api_keys,
    new_api_key,
    revoke_api_key,
)
from .carrier_settings import (
    CarrierConfig,
    CarrierStatus,
    SettingsSource,
    VerifyCarrier,
    carrier_statuses,
    delete_carrier_settings,
    get_carrier_settings,
    masked,
    put_carrier_settings,
)
from .catalog import OPEN_STATUSES, enrich_from_catalog, reenrich_open_orders, upsert_products
from .catalog_import import CatalogImport, ImportReport, RejectedRow
from .confirm_shipment import ShipmentRequest, confirm_shipment
from .dispatch_outbox import (
    DispatchReport,
    OutboxBatch,
    OutboxHandler,
    Outcome,
    RelaySettings,
    dispatch_outbox,
)
from .enrichment import OrderEnricher
from .hashing import content_hash
from .ids import derived_id, new_id
from .import_orders import ImportSettings, SyncProgress, import_orders
from .label_hints import LabelSettings, label_hints
from .notification_retry import retry_notification
from .on_demand_sync import claim_on_demand_sync, too_soon
from .order_listing import OrderFilter, list_orders
from .order_notes import set_internal_notes
from .pickup_enrichment import PickupEnricher
from .pickup_points import CachedDirectory, get_pickup_point, search_pickup_points
from .publish_events import PublishReport, event_of, publish_events
from .reconcile import is_stale, reconcile, resolve_status
from .ship_notifications import ShipNotificationHandler
from .status_mapping import get_status_mapping, set_status_mapping
from .stores import ChannelConfig, StoreChanges, StoreDraft, Verify, connect_store, update_store
from .tenancy import account_store_ids, is_order_id, owned_order, owned_shipment, owned_store, owned_webhook
from .validation import convert_fields
from .webhooks import check_url, subscribe, unsubscribe

__all__ = [
    "OPEN_STATUSES",
    "AcceptanceHandler",
    "CachedDirectory",
    "CarrierConfig",
    "CarrierStatus",
    "CatalogImport",
    "ChannelConfig",
    "DispatchReport",
    "ImportReport",
    "ImportSettings",
    "LabelSettings",
    "OrderEnricher",
    "OrderFilter",
    "OutboxBatch",
    "OutboxHandler",
    "Outcome",
    "PickupEnricher",
    "PublishReport",
    "RejectedRow",
    "RelaySettings",
    "SettingsSource",
    "ShipNotificationHandler",
    "ShipmentRequest",
    "StoreChanges",
    "StoreDraft",
    "SyncProgress",
    "Verify",
    "VerifyCarrier",
    "account_store_ids",
    "authenticate",
    "carrier_statuses",
    "check_url",
    "claim_on_demand_sync",
    "confirm_shipment",
    "connect_store",
    "content_hash",
    "convert_fields",
    "create_account",
    "create_api_key",
    "decide_order",
    "delete_carrier_settings",
    "derived_id",
    "dispatch_outbox",
    "enqueue_decision",
    "enrich_from_catalog",
    "event_of",
    "get_carrier_settings",
    "get_pickup_point",
    "get_status_mapping",
    "hash_api_key",
    "import_orders",
    "is_order_id",
    "is_stale",
    "label_hints",
    "list_api_keys",
    "list_orders",
    "masked",
    "new_api_key",
    "new_id",
    "owned_order",
    "owned_shipment",
    "owned_store",
    "owned_webhook",
    "publish_events",
    "put_carrier_settings",
    "reconcile",
    "reenrich_open_orders",
    "resolve_status",
    "retry_notification",
    "revoke_api_key",
    "search_pickup_points",
    "set_internal_notes",
    "set_status_mapping",
    "should_auto_accept",
    "subscribe",
    "too_soon",
    "unsubscribe",
    "update_store",
    "upsert_products",
]
