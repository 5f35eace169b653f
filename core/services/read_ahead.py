"""Read one item ahead: the channel fetches and maps the next batch of pages while this one is stored."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, AsyncIterator
from typing import TypeVar

from ..tasks import close_quietly, discard

T = TypeVar("T")


async def _next(pages: AsyncIterator[T]) -> tuple[T] | None:
    try:
        return (await anext(pages),)
    except StopAsyncIteration:
        return None


async def read_ahead(pages: AsyncIterator[T]) -> AsyncGenerator[T, None]:
    """Yield ``pages`` in order while the next one is already being fetched. Storing waits on
    Postgres and fetching on the marketplace; overlapping them keeps both busy. An error from the
    source surfaces when its page is reached, never earlier, so every earlier page is stored first."""
    pending: asyncio.Task[tuple[T] | None] = asyncio.ensure_future(_next(pages))
    try:
        while True:
            item = await pending
            if item is None:
                return
            pending = asyncio.ensure_future(_next(pages))
            yield item[0]
    finally:
        await discard(pending)
        await close_quietly(pages)
