"""The plugin object: discovery, configuration errors a seller can act on, capabilities, shared state."""

from __future__ import annotations

import logging

import pytest

from portside.channels import ChannelRegistry
from portside.channels.cdiscount import CdiscountPlugin, plugin
from portside.channels.cdiscount.settings import PRODUCTION_API_BASE_URL, PRODUCTION_AUTH_URL, CdiscountSettings
from portside.channels.cdiscount.statuses import DEFAULT_STATUS_MAPPING
from portside.core.errors import ValidationFailed
from portside.core.model import OrderStatus
from portside.core.services.validation import convert_fields

from .conftest import SECRET, make_store


def test_the_plugin_is_found_through_its_entry_point() -> None:
    registry = ChannelRegistry.discover()
    assert "cdiscount" in registry
    assert registry.get("cdiscount") is plugin
    assert isinstance(plugin, CdiscountPlugin) and plugin.display_name


def test_production_defaults() -> None:
    settings = CdiscountSettings()
    assert settings.auth_url == PRODUCTION_AUTH_URL
    assert PRODUCTION_AUTH_URL == "https://auth.octopia-io.net/auth/realms/maas/protocol/openid-connect/token"
    assert settings.api_base_url == PRODUCTION_API_BASE_URL == "https://api.octopia-io.net/seller/v2"
    assert (settings.sales_channel_id, settings.page_size, settings.sort) == ("CDISFR", 100, "createdAt")
    assert (settings.import_look_back_days, settings.import_overlap_minutes) == (None, None)  # the service's
    assert settings.approval_status_field == "approval_status"


def test_capabilities() -> None:
    caps = plugin.capabilities
    assert not caps.partial_shipments and not caps.notes_to_buyer and caps.acceptance
    assert (caps.max_tracking_number_length, caps.max_tracking_url_length) == (50, 255)
    assert {"customer.phone", "payment_method", "lines.options", "pickup_point", "discounts"} <= caps.provided_fields
    assert not {"gift", "gift_message", "customer_notes", "lines.weight", "lines.image_url"} & caps.provided_fields
    assert plugin.default_status_mapping["InPreparation"] == OrderStatus.awaiting_shipment
    assert plugin.default_status_mapping is DEFAULT_STATUS_MAPPING


@pytest.mark.parametrize(
    ("credentials", "field"),
    [
        ({"client_id": "id", "client_secret": SECRET}, "seller_id"),
        ({"client_id": "id", "client_secret": SECRET, "seller_id": "shop-42"}, "seller_id"),
        ({"client_id": "", "client_secret": SECRET, "seller_id": "42"}, "client_id"),
        ({"client_id": "id", "client_secret": 12345, "seller_id": "42"}, "client_secret"),
    ],
)
def test_bad_credentials_name_the_field_and_never_the_secret(build, credentials: dict, field: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        build(make_store(credentials=credentials))
    assert field in str(caught.value)
    assert SECRET not in str(caught.value) and "12345" not in str(caught.value)


@pytest.mark.parametrize(("settings", "field"), [({"page_size": 101}, "page_size"), ({"page_size": 0}, "page_size")])
def test_bad_settings_name_the_field(build, settings: dict, field: str) -> None:
    with pytest.raises(ValidationFailed, match=field):
        build(make_store(**settings))


def test_a_setting_this_release_does_not_know_is_refused_when_set_and_ignored_once_stored(build, caplog) -> None:
    # Set through the API or the command line: a typo is refused, naming it.
    with pytest.raises(ValidationFailed, match="later_setting"):
        convert_fields({"later_setting": True}, CdiscountSettings, what="settings", prefix="settings", secret=False)
    # Already stored (by a newer release, before a rollback): the store keeps working, said once.
    with caplog.at_level(logging.WARNING, logger="portside.channels"):
        first = build(make_store(later_setting=True, page_size=50))
        build(make_store("store-2", later_setting=True))
    assert first.source is not None
    said = [r.getMessage() for r in caplog.records if "later_setting" in r.getMessage()]
    assert said == ["Cdiscount settings: ignoring later_setting, unknown to this release (saved by a newer one?)"]


def test_a_store_override_of_a_delivery_mode_is_decoded(build) -> None:
    store = make_store(delivery_modes={"XYZ": {"label": "Relais maison", "kind": "pickup", "carrier": "mondial_relay"}})
    assert build(store).source is not None


def test_new_credentials_start_from_a_new_token(connect) -> None:
    first = connect(make_store())
    again = connect(make_store())
    other = connect(
        make_store(credentials={"client_id": "portside-test", "client_secret": "rotated-secret", "seller_id": "123456"})
    )
    assert first.state is again.state
    assert other.state is not first.state
