"""The ``cdiscount`` channel plugin: Cdiscount orders through the Octopia Seller API v2."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import msgspec

from portside.channels.registry import ChannelDeps, decode_config, decode_stored_config
from portside.core.model import OrderStatus, Store
from portside.core.ports import ChannelBundle, ChannelCapabilities, ImportWindow

from .acknowledger import CdiscountAcknowledger
from .auth import TokenProvider
from .carrier_tables import CarrierTables
from .carriers import CdiscountCarrierCatalog
from .client import OctopiaClient
from .mapping import MappingContext
from .notifier import MAX_TRACKING_NUMBER, MAX_TRACKING_URL, CdiscountShipmentNotifier
from .pickup import DeliveryModes
from .redact import Redactor
from .settings import CdiscountCredentials, CdiscountSettings
from .source import CdiscountOrderSource
from .state import StoreStates
from .statuses import DEFAULT_STATUS_MAPPING
from .verify import CdiscountVerifier

# What a Cdiscount order carries (reference §4.3); gift, notes, weights, images and stock locations
# are not in the API and come from the catalog, if anywhere.
PROVIDED_FIELDS = frozenset(
    {
        "channel_reference",
        "channel_status",
        "placed_at",
        "updated_at",
        "ship_by",
        "customer.name",
        "customer.email",
        "customer.phone",
        "billing_address",
        "shipping_address",
        "delivery",
        "pickup_point",
        "payment_method",
        "totals",
        "discounts",
        "fees",
        "lines.sku",
        "lines.gtin",
        "lines.title",
        "lines.quantity",
        "lines.unit_price",
        "lines.shipping",
        "lines.options",
        "lines.channel_status",
        "lines.supply_mode",
    }
)

CAPABILITIES = ChannelCapabilities(
    partial_shipments=False,  # "Cdiscount only enables one parcel per complete order" (§4.7)
    notes_to_buyer=False,  # the shipment body has no such field
    acceptance=True,  # WaitingAcceptance orders (§4.6)
    provided_fields=PROVIDED_FIELDS,
    min_poll_interval_s=300,
    max_tracking_number_length=MAX_TRACKING_NUMBER,
    max_tracking_url_length=MAX_TRACKING_URL,
    marketplace="Cdiscount",
)


class StoreConnection:
    """One store's decoded configuration, shared state and API client: what every port is built on."""

    def __init__(self, store: Store, deps: ChannelDeps, states: StoreStates) -> None:
        self.credentials = decode_stored_config(CdiscountCredentials, store.credentials, "Cdiscount credentials")
        self.settings = decode_stored_config(CdiscountSettings, store.settings, "Cdiscount settings")
        self.state = states.get(deps.http, store.id, self.credentials, self.settings)
        redact = Redactor(self.credentials.client_secret)
        self.tokens = TokenProvider(
            deps.http, self.settings, self.credentials, self.state.tokens, deps.clock.now, redact
        )
        self.client = OctopiaClient(deps.http, self.settings, self.credentials, self.tokens, self.state.limiter, redact)


class CdiscountPlugin:
    name = "cdiscount"
    display_name = "Cdiscount (Octopia)"
    credentials_type = CdiscountCredentials
    settings_type = CdiscountSettings
    default_status_mapping: Mapping[str, OrderStatus] = DEFAULT_STATUS_MAPPING
    capabilities = CAPABILITIES

    def __init__(self) -> None:
        self._states = StoreStates()

    def store_identity(self, credentials: Mapping[str, Any], settings: Mapping[str, Any]) -> str:
        """The seller on one Octopia API and sales channel: the same seller id on another API (a test
        platform, a sandbox) or another sales channel has other orders."""
        seller = decode_config(CdiscountCredentials, credentials, "Cdiscount credentials").seller_id.strip()
        decoded = decode_config(CdiscountSettings, settings, "Cdiscount settings")
        url = urlsplit(decoded.api_base_url.strip())
        api = f"{url.scheme.lower()}://{url.netloc.lower()}{url.path.rstrip('/')}"
        return f"{api}|{decoded.sales_channel_id.strip().upper()}|{seller}"

    def connect(self, store: Store, deps: ChannelDeps) -> StoreConnection:
        """The store's Octopia client (tokens and rate limit shared with its bundle), for tools and tests."""
        return StoreConnection(store, deps, self._states)

    def build(self, store: Store, deps: ChannelDeps) -> ChannelBundle:
        conn = self.connect(store, deps)
        settings, client = conn.settings, conn.client
        tables = CarrierTables(settings.carrier_labels, settings.tracking_urls)
        carriers = CdiscountCarrierCatalog(client, conn.state, settings, tables, deps.clock.now)
        modes = DeliveryModes(settings.delivery_modes, settings.pickup_mode_keywords)
        shaping = msgspec.json.encode(
            [settings.delivery_modes, settings.pickup_mode_keywords, settings.default_currency], order="deterministic"
        )
        ctx = MappingContext(store.id, modes, settings.default_currency, shaping_settings=shaping)
        return ChannelBundle(
            source=CdiscountOrderSource(client, settings, ctx),
            notifier=CdiscountShipmentNotifier(client, carriers, read_first=settings.read_before_shipping),
            carriers=carriers,
            verifier=CdiscountVerifier(client, conn.tokens, conn.credentials, settings),
            capabilities=CAPABILITIES,
            acknowledger=CdiscountAcknowledger(client, settings.approval_status_field),
            import_window=ImportWindow(
                overlap=None
                if settings.import_overlap_minutes is None
                else timedelta(minutes=settings.import_overlap_minutes),
                look_back=None
                if settings.import_look_back_days is None
                else timedelta(days=settings.import_look_back_days),
            ),
        )


def _import_window(settings: CdiscountSettings) -> ImportWindow:
    """What the store sets of its import window; unset, the service's default stays."""
    overlap, look_back = settings.import_overlap_minutes, settings.import_look_back_days
    return ImportWindow(
        overlap=None if overlap is None else timedelta(minutes=overlap),
        look_back=None if look_back is None else timedelta(days=look_back),
    )


plugin = CdiscountPlugin()
