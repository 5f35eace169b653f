"""The channel contract kit (portside.testing) on the Mirakl plugin, one sandbox per interesting marketplace."""

from __future__ import annotations

import pytest

from portside.testing.channel_contract import ChannelContract

from .harness import Harness

# (profile, sandbox options, store settings): relay data in three layouts, automatic acceptance,
# the OR23 + OR24 path, and small pages so paging is exercised.
CASES = {
    "leroy_merlin": ({}, {"page_size": 13}),
    "leroy_merlin_without_shipments_api": ({"profile": "leroy_merlin", "shipments_api": False}, {"page_size": 50}),
    "galeries_lafayette": ({}, {"page_size": 9}),
    "decathlon": ({}, {"page_size": 100}),
    "rue_du_commerce": ({}, {"page_size": 17}),
    "go_sport": ({}, {}),
}


class TestMiraklChannel(ChannelContract):
    @pytest.fixture(params=sorted(CASES))
    async def channel_harness(self, request, sandboxes, session) -> Harness:
        options, settings = CASES[request.param]
        sandbox = await sandboxes(**{"profile": request.param, **options})
        return Harness(sandbox, session, **settings)
