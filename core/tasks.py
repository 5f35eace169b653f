"""Ending work whose result is no longer wanted (a page read ahead, a request made in advance, a source
of pages nobody reads any more)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any


async def discard(task: asyncio.Future[Any]) -> None:
    """Cancel ``task`` and wait until it has ended. Its own error, if it had one, is dropped (nobody
    wants its result); a cancellation of the caller is not: it propagates from here, as it must, so a
    sync being stopped stops."""
    task.cancel()
    await asyncio.wait({task})
    if not task.cancelled():
        task.exception()  # retrieved, so an unwanted result's error is not reported as never retrieved


async def close_quietly(source: AsyncIterator[Any]) -> None:
    """Close ``source`` if it can be closed (an async generator: its ``finally`` runs now, cancelling
    what it asked for in advance). Its own error is dropped: the caller's is the one to report; a
    cancellation of the caller goes on up."""
    closer = getattr(source, "aclose", None)
    if closer is not None:
        with contextlib.suppress(Exception):
            await closer()
