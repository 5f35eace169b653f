"""The channel contract kit (portside.testing) on the Cdiscount plugin, against the Octopia sandbox."""

from __future__ import annotations

import pytest

from portside.testing.channel_contract import ChannelContract

from .sandbox_harness import Harness


class TestCdiscountChannel(ChannelContract):
    @pytest.fixture
    async def channel_harness(self, octopia, octopia_session) -> Harness:
        return Harness(octopia, octopia_session, page_size=17)
