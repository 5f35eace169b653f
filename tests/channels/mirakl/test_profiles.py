"""Marketplace profiles as data, store overrides, settings validation, and the plugin's registration."""

from __future__ import annotations

import pytest

from portside.channels.mirakl import MiraklSettings, load_profile, plugin, profile_names
from portside.channels.mirakl.plugin import capabilities_for
from portside.channels.mirakl.profiles import merged
from portside.channels.mirakl.sandbox import operator_names
from portside.channels.registry import ChannelRegistry, decode_config
from portside.core.errors import ValidationFailed

SHIPPED = {
    "generic",
    "leroy_merlin",
    "galeries_lafayette",
    "decathlon",
    "carrefour",
    "boulanger",
    "conforama",
    "go_sport",
    "rue_du_commerce",
}


def test_every_marketplace_is_shipped_and_played_by_the_sandbox() -> None:
    assert set(profile_names()) == SHIPPED and profile_names()[0] == "generic"
    assert set(operator_names()) == SHIPPED
    for name in SHIPPED:
        profile = load_profile(name)
        assert profile.name == name and profile.display_name and profile.notes
        assert "colissimo" in profile.carriers  # everyone inherits the generic tables


def test_what_each_marketplace_does_differently() -> None:
    assert load_profile("decathlon").automatic_acceptance
    leroy_merlin = load_profile("leroy_merlin")
    assert leroy_merlin.tracking_url_required == "unlisted_carrier"
    assert leroy_merlin.relay.provider_field == "pudo-relay-point-provider"
    assert leroy_merlin.country_of("002-1234-A") == "ES" and leroy_merlin.country_of("1234-A") is None
    assert load_profile("galeries_lafayette").relay.point_type_field == "type-de-point"
    assert load_profile("rue_du_commerce").relay.label_patterns


def test_capabilities_follow_the_profile() -> None:
    decathlon = capabilities_for(load_profile("decathlon"))
    assert not decathlon.acceptance and decathlon.min_poll_interval_s == 60
    partner = capabilities_for(load_profile("carrefour", {"min_poll_interval_s": 900, "partial_shipments": True}))
    assert partner.min_poll_interval_s == 900 and partner.partial_shipments
    assert plugin.capabilities.acceptance and plugin.capabilities.min_poll_interval_s >= 60


def test_overrides_merge_key_by_key_and_null_removes() -> None:
    base = {"a": {"b": 1, "c": 2}, "d": [1], "e": "x"}
    assert merged(base, {"a": {"b": 9, "c": None}, "d": [2], "f": True}) == {
        "a": {"b": 9},
        "d": [2],
        "e": "x",
        "f": True,
    }
    profile = load_profile(
        "leroy_merlin", {"relay": {"name_field": None}, "shipping_types": {"HOME_DELIVERY__EXP": None}}
    )
    assert profile.relay.name_field is None and profile.relay.provider_field == "pudo-relay-point-provider"
    assert "HOME_DELIVERY__EXP" not in profile.shipping_types


def settings(**values: object) -> MiraklSettings:
    return decode_config(
        MiraklSettings, {"base_url": "https://leroymerlin-prod.mirakl.net", **values}, "Mirakl settings"
    )


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"profile": "fnac"}, "profile: not a shipped Mirakl profile; use one of: generic, "),
        ({"profile_overrides": {"acceptance": "sometimes"}}, "acceptance"),
        ({"profile_overrides": {"min_poll_interval_s": 10}}, "min_poll_interval_s"),
        ({"profile_overrides": {"relay": {"label_patterns": [{"pattern": "(\\d+)"}]}}}, "named group called id"),
        ({"profile_overrides": {"relays": {}}}, "relays"),
        ({"base_url": "leroymerlin"}, "cannot be derived from the marketplace's name"),
        ({"shop_id": "abc"}, "shop_id"),
        ({"page_size": 500}, "page_size"),
        ({"colour": "blue"}, "colour"),
    ],
)
def test_bad_settings_name_the_field(values: dict, message: str) -> None:
    with pytest.raises(ValidationFailed, match=message):
        settings(**values)


def test_settings_keep_the_url_whole() -> None:
    chosen = settings(base_url="https://decathlonbelgium-preprod.mirakl.net/api/", shop_id=" 2001 ")
    assert chosen.instance == "https://decathlonbelgium-preprod.mirakl.net" and chosen.shop == "2001"
    with pytest.raises(ValidationFailed, match="base_url"):
        decode_config(MiraklSettings, {}, "Mirakl settings")


def test_the_plugin_is_found_through_its_entry_point() -> None:
    registry = ChannelRegistry.discover()
    assert registry.get("mirakl") is plugin
    assert plugin.default_status_mapping["SHIPPING"] == "awaiting_shipment"
