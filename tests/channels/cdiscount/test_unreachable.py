"""Octopia out of reach: the seller reads one sentence saying what happened and what to do, not nested asides."""

from __future__ import annotations

import socket
from typing import Any

import pytest

from portside.channels.cdiscount import plugin
from portside.channels.registry import ChannelDeps
from portside.core.errors import ChannelUnavailable

from .conftest import make_store


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])  # closed again on exit: nothing listens there


def _depth(text: str) -> int:
    deepest = level = 0
    for char in text:
        level += {"(": 1, ")": -1}.get(char, 0)
        deepest = max(deepest, level)
    return deepest


async def test_unreachable_octopia_is_one_readable_sentence(deps: ChannelDeps, sleeps: Any) -> None:
    port = _closed_port()
    store = make_store(auth_url=f"http://127.0.0.1:{port}/token", api_base_url=f"http://127.0.0.1:{port}")
    with pytest.raises(ChannelUnavailable) as caught:
        await plugin.build(store, deps).verifier.verify()
    said = str(caught.value)
    assert said.startswith("Octopia could not be reached to check the credentials: ")
    assert said.endswith("Try again in a few minutes.")
    assert _depth(said) <= 2, said  # only the system's own words: "([Errno 111] Connect call failed (host, port))"
