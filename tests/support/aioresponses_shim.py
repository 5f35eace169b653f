"""aioresponses on aiohttp ≥ 3.14: mocked responses built with the constructor argument 3.14 added.

aiohttp 3.14 gave ``ClientResponse.__init__`` a required ``stream_writer`` keyword that aioresponses
(≤ 0.7.9) does not pass, so every mocked call fails with ``TypeError`` (pnuckowski/aioresponses#289).
``aioresponses`` below defaults every mocked response to a subclass that supplies it; on older aiohttp
versions the subclass changes nothing. Use it like the original: ``with aioresponses() as mocked: …``,
or through the ``mock_http`` fixture (import it into a conftest).
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import pytest
from aiohttp import ClientResponse
from aioresponses import CallbackResult
from aioresponses import aioresponses as _aioresponses

__all__ = ["CallbackResult", "ShimClientResponse", "aioresponses", "mock_http"]

_NEEDS_STREAM_WRITER = "stream_writer" in inspect.signature(ClientResponse.__init__).parameters


class _NoStreamWriter:
    """The request was "sent" by the mock: nothing left to write, nothing written."""

    output_size = 0


class ShimClientResponse(ClientResponse):
    def __init__(self, method: str, url: Any, **kwargs: Any) -> None:
        if _NEEDS_STREAM_WRITER:
            kwargs.setdefault("stream_writer", _NoStreamWriter())
        super().__init__(method, url, **kwargs)


def _shimmed(callback: Callable[..., Any]) -> Callable[..., Awaitable[Any]]:
    """A callback whose ``CallbackResult`` uses the shim class too (it would default to ClientResponse)."""

    async def wrapper(url: Any, **kwargs: Any) -> Any:
        result = callback(url, **kwargs)
        if inspect.isawaitable(result):
            result = await result
        if isinstance(result, CallbackResult) and result.response_class is None:
            result.response_class = ShimClientResponse
        return result

    return wrapper


class aioresponses(_aioresponses):
    def add(self, url: Any, method: str = "GET", *args: Any, **kwargs: Any) -> None:
        if kwargs.get("response_class") is None:
            kwargs["response_class"] = ShimClientResponse
        if kwargs.get("callback") is not None:
            kwargs["callback"] = _shimmed(kwargs["callback"])
        super().add(url, method, *args, **kwargs)


@pytest.fixture
def mock_http() -> Iterator[aioresponses]:
    """Every aiohttp call in the test answered by the mock (unmatched calls fail as refused connections)."""
    with aioresponses() as mocked:
        yield mocked
