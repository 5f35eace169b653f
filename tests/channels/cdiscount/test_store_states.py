"""Per-store channel state: shared while credentials hold, replaced when they change, bounded in number."""

from __future__ import annotations

import aiohttp

from portside.adapters.http import HttpClient
from portside.channels.cdiscount.settings import CdiscountCredentials, CdiscountSettings
from portside.channels.cdiscount.state import StoreStates


def creds(secret: str) -> CdiscountCredentials:
    return CdiscountCredentials(client_id="c", client_secret=secret, seller_id="123456")


async def test_states_are_reused_replaced_and_bounded() -> None:
    async with aiohttp.ClientSession() as session:
        http = HttpClient(session)
        states = StoreStates(limit=3)
        settings = CdiscountSettings()
        first = states.get(http, "s1", creds("a"), settings)
        assert states.get(http, "s1", creds("a"), settings) is first
        changed = states.get(http, "s1", creds("b"), settings)
        assert changed is not first and states.get(http, "s1", creds("b"), settings) is changed
        for store_id in ("s2", "s3", "s4"):  # s1 is now the least recently used: forgotten
            states.get(http, store_id, creds("a"), settings)
        assert states.get(http, "s1", creds("b"), settings) is not changed
