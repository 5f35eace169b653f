"""Per-store state: shared by every bundle of a store, replaced on a new key, forgotten past a bound."""

from __future__ import annotations

from portside.channels.mirakl.settings import MiraklCredentials, MiraklSettings
from portside.channels.mirakl.state import StoreStates

from .harness import BASE_URL, KEY

SETTINGS = MiraklSettings(base_url=BASE_URL)


async def test_a_store_keeps_its_state_until_its_key_changes(http_client) -> None:
    states = StoreStates(limit=2)
    first = states.get(http_client, "a", MiraklCredentials(api_key=KEY), SETTINGS)
    assert states.get(http_client, "a", MiraklCredentials(api_key=f" {KEY} "), SETTINGS) is first
    renewed = states.get(http_client, "a", MiraklCredentials(api_key="another-key"), SETTINGS)
    assert renewed is not first
    other_shop = states.get(
        http_client, "a", MiraklCredentials(api_key="another-key"), MiraklSettings(base_url=BASE_URL, shop_id="7")
    )
    assert other_shop is not renewed


async def test_the_least_recently_used_stores_are_forgotten(http_client) -> None:
    states = StoreStates(limit=2)
    credentials = MiraklCredentials(api_key=KEY)
    a = states.get(http_client, "a", credentials, SETTINGS)
    states.get(http_client, "b", credentials, SETTINGS)
    assert states.get(http_client, "a", credentials, SETTINGS) is a  # "a" is now the most recent
    states.get(http_client, "c", credentials, SETTINGS)  # evicts "b"
    assert states.get(http_client, "a", credentials, SETTINGS) is a
    assert len(states._by_client[http_client]) == 2
