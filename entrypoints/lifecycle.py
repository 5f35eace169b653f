"""Process lifetime: SIGINT/SIGTERM start a graceful stop; during start-up they abandon it cleanly."""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import logging
import signal
from types import TracebackType
from typing import Any

log = logging.getLogger("portside")

_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class StopSignals:
    """``with StopSignals() as signals:`` then ``signals.started()`` once serving.

    Before ``started()`` a signal cancels the task that entered (start-up unwinds through its
    ``finally`` blocks, so an embedded Postgres is stopped, never orphaned); after it, the first
    signal sets ``stop`` (graceful), and a second one cancels (an operator who insists).
    """

    def __init__(self) -> None:
        self.stop = asyncio.Event()
        self._serving = False
        self._task: asyncio.Task[Any] | None = None

    def __enter__(self) -> StopSignals:
        self._task = asyncio.current_task()
        loop = asyncio.get_running_loop()
        for sig in _SIGNALS:
            with contextlib.suppress(NotImplementedError):  # not on every platform
                loop.add_signal_handler(sig, self._on_signal, sig)
        return self

    def started(self) -> None:
        self._serving = True

    def _on_signal(self, sig: signal.Signals) -> None:
        if self._serving and not self.stop.is_set():
            log.info("%s received: finishing the work in hand, then stopping (again to force)", sig.name)
            self.stop.set()
            return
        self.stop.set()
        if self._task is not None:
            self._task.cancel()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        loop = asyncio.get_running_loop()
        for sig in _SIGNALS:
            with contextlib.suppress(NotImplementedError):
                loop.remove_signal_handler(sig)


async def resolve(value: Any) -> Any:
    """A provider's value: dependency-injector hands back an awaitable when any dependency is async."""
    return await value if inspect.isawaitable(value) else value
