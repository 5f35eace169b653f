"""The ``mirakl`` channel plugin: one store per marketplace account, the marketplace named by its profile."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from portside.channels.registry import ChannelDeps, decode_config, decode_stored_config
from portside.core.model import OrderStatus, Store
from portside.core.ports import ChannelBundle, ChannelCapabilities

from .acknowledger import MiraklAcknowledger
from .carriers import MiraklCarrierCatalog
from .client import MiraklClient
from .mapping import MappingContext
from .notifier import MiraklShipmentNotifier
from .profile import MarketplaceProfile
from .redact import Redactor
from .settings import MiraklCredentials, MiraklSettings
from .source import MiraklOrderSource
from .state import StoreState, StoreStates
from .statuses import DEFAULT_STATUS_MAPPING
from .verify import MiraklVerifier

# What an OR11 order carries (reference §5.3-§5.5); weights, GTINs, gift data and stock locations
# are not in it and come from the catalog, if anywhere.
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
        "customer_notes",
        "billing_address",
        "shipping_address",
        "delivery",
        "pickup_point",
        "payment_method",
        "totals",
        "discounts",
        "fees",
        "label_hints",
        "lines.sku",
        "lines.title",
        "lines.quantity",
        "lines.unit_price",
        "lines.shipping",
        "lines.image_url",
        "lines.options",
        "lines.channel_status",
    }
)


def capabilities_for(profile: MarketplaceProfile) -> ChannelCapabilities:
    return ChannelCapabilities(
        partial_shipments=profile.partial_shipments,  # only through the operator's Shipments API (§10)
        notes_to_buyer=False,  # neither OR23 nor ST01 has such a field
        acceptance=not profile.automatic_acceptance,  # Decathlon accepts for the seller (§1)
        provided_fields=PROVIDED_FIELDS,
        min_poll_interval_s=profile.min_poll_interval_s,  # OR11 at most once a minute (§3)
        carriers_by_name=profile.unlisted_carriers,  # OR23 carrier_name + carrier_url (§9)
        marketplace=profile.display_name,
    )


# The generic profile's, for callers that ask the plugin before any store exists.
CAPABILITIES = ChannelCapabilities(
    partial_shipments=False,
    notes_to_buyer=False,
    acceptance=True,
    provided_fields=PROVIDED_FIELDS,
    min_poll_interval_s=60,
    carriers_by_name=True,
)


class StoreConnection:
    """One store's decoded configuration, profile, shared state and API client: what every port is built on."""

    def __init__(self, store: Store, deps: ChannelDeps, states: StoreStates) -> None:
        self.credentials = decode_stored_config(MiraklCredentials, store.credentials, "Mirakl credentials")
        self.settings = decode_stored_config(MiraklSettings, store.settings, "Mirakl settings")
        self.profile = self.settings.marketplace()
        self.state: StoreState = states.get(deps.http, store.id, self.credentials, self.settings)
        redact = Redactor(self.credentials.api_key)
        self.client = MiraklClient(deps.http, self.settings, self.credentials, self.state.limiter, redact)


class MiraklPlugin:
    name = "mirakl"
    display_name = "Mirakl marketplaces (Leroy Merlin, Carrefour, Decathlon, …)"
    credentials_type = MiraklCredentials
    settings_type = MiraklSettings
    default_status_mapping: Mapping[str, OrderStatus] = DEFAULT_STATUS_MAPPING
    capabilities = CAPABILITIES

    def __init__(self) -> None:
        self._states = StoreStates()

    def store_identity(self, credentials: Mapping[str, Any], settings: Mapping[str, Any]) -> str:
        """The shop on the operator's instance. Without ``shop_id`` the API key picks the user's only
        shop, so the key stands for it: a second key of that same shop is not recognised."""
        decoded = decode_config(MiraklSettings, settings, "Mirakl settings")
        shop = decoded.shop
        if shop is None:
            shop = "key:" + decode_config(MiraklCredentials, credentials, "Mirakl credentials").fingerprint()
        return f"{decoded.instance.lower()}|{shop}"

    def connect(self, store: Store, deps: ChannelDeps) -> StoreConnection:
        """The store's Mirakl client (rate limit and carrier cache shared with its bundle), for tools and tests."""
        return StoreConnection(store, deps, self._states)

    def build(self, store: Store, deps: ChannelDeps) -> ChannelBundle:
        conn = self.connect(store, deps)
        settings, profile, client, now = conn.settings, conn.profile, conn.client, deps.clock.now
        carriers = MiraklCarrierCatalog(client, conn.state, settings, profile, now)
        ctx = MappingContext(store.id, profile, settings.instance, settings.default_currency)
        capabilities = capabilities_for(profile)
        return ChannelBundle(
            source=MiraklOrderSource(client, settings, ctx),
            notifier=MiraklShipmentNotifier(
                client, carriers, profile, conn.state, settings.shipments_api_recheck_s, now
            ),
            carriers=carriers,
            verifier=MiraklVerifier(client, settings, profile.display_name),
            capabilities=capabilities,
            acknowledger=MiraklAcknowledger(client) if capabilities.acceptance else None,
        )


plugin = MiraklPlugin()
