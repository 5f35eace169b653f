"""Ending a task whose result is no longer wanted (a page read ahead, a request made in advance)."""

from __future__ import annotations

import asyncio
from typing import Any


async def discard(task: asyncio.Future[Any]) -> None:
    """Cancel ``task`` and wait until it has ended. Its own error, if it had one, is dropped (nobody
    wants its result); a cancellation of the caller is not: it propagates from here, as it must, so a
    sync being stopped stops."""
    task.cancel()
    await asyncio.wait({task})
    if not task.cancelled():
        task.exception()  # retrieved, so an unwanted result's error is not reported as never retrieved
