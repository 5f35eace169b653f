"""Discarding a task nobody wants the result of: it ends, its error is dropped, the caller's cancel is not."""

from __future__ import annotations

import asyncio

import pytest

from portside.core.tasks import discard


async def test_a_pending_task_is_cancelled_and_has_ended_when_discard_returns() -> None:
    task = asyncio.ensure_future(asyncio.sleep(60))
    await asyncio.sleep(0)
    await discard(task)
    assert task.cancelled()


async def test_the_error_of_a_discarded_task_is_dropped() -> None:
    async def fails() -> None:
        raise RuntimeError("page 7 unreadable")

    task = asyncio.ensure_future(fails())
    await asyncio.sleep(0)
    await discard(task)  # does not raise: nobody wanted that page
    assert isinstance(task.exception(), RuntimeError)


async def test_the_caller_being_cancelled_while_discarding_is_cancelled() -> None:
    release = asyncio.Event()

    async def slow_to_stop() -> None:
        try:
            await asyncio.sleep(60)
        except asyncio.CancelledError:
            await release.wait()  # takes its time to wind down
            raise

    async def sync() -> str:
        task = asyncio.ensure_future(slow_to_stop())
        await asyncio.sleep(0)
        await discard(task)
        return "kept running after its cancel"

    caller = asyncio.ensure_future(sync())
    await asyncio.sleep(0.01)
    caller.cancel()  # the sync is stopped while it waits for the prefetch to wind down
    await asyncio.sleep(0.01)
    release.set()
    with pytest.raises(asyncio.CancelledError):
        await caller
