"""Test kit for channel and storage authors: fakes and the contract suites every implementation passes.

The names below are loaded on first use, not when ``portside.testing`` is imported: a host importing
``portside.testing.clock`` does not load the fake channel. The storage contract is its own package
(``portside.testing.storage_contract``), as it needs pytest.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .channel_contract import ChannelContract, ChannelHarness, contract_shipment
    from .clock import FixedClock
    from .directory_contract import DirectoryContract, DirectoryContractCase
    from .fake_channel import (
        FAKE_CARRIERS,
        FAKE_STATUSES,
        FakeChannel,
        FakeChannelPlugin,
        FakeCredentials,
        FakeFaults,
        FakeMarketplace,
        FakeSettings,
    )
    from .fake_directory import FakeDirectory
    from .orders import generate_orders, make_order

_WHERE = {
    "ChannelContract": "channel_contract",
    "ChannelHarness": "channel_contract",
    "contract_shipment": "channel_contract",
    "FixedClock": "clock",
    "DirectoryContract": "directory_contract",
    "DirectoryContractCase": "directory_contract",
    "FAKE_CARRIERS": "fake_channel",
    "FAKE_STATUSES": "fake_channel",
    "FakeChannel": "fake_channel",
    "FakeChannelPlugin": "fake_channel",
    "FakeCredentials": "fake_channel",
    "FakeFaults": "fake_channel",
    "FakeMarketplace": "fake_channel",
    "FakeSettings": "fake_channel",
    "FakeDirectory": "fake_directory",
    "generate_orders": "orders",
    "make_order": "orders",
}

__all__ = [
    "FAKE_CARRIERS",
    "FAKE_STATUSES",
    "ChannelContract",
    "ChannelHarness",
    "DirectoryContract",
    "DirectoryContractCase",
    "FakeChannel",
    "FakeChannelPlugin",
    "FakeCredentials",
    "FakeDirectory",
    "FakeFaults",
    "FakeMarketplace",
    "FakeSettings",
    "FixedClock",
    "contract_shipment",
    "generate_orders",
    "make_order",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value  # found once
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
