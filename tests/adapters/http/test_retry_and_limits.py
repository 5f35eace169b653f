"""Backoff with full jitter, Retry-After parsing, and the token bucket."""

from __future__ import annotations

import asyncio
import random
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portside.adapters.http import RetryPolicy, TokenBucket, parse_retry_after


@given(attempt=st.integers(1, 30), seed=st.integers(0, 2**32))
def test_backoff_stays_within_its_exponential_ceiling(attempt: int, seed: int) -> None:
    policy = RetryPolicy(base_delay_s=0.5, max_delay_s=20.0)
    delay = policy.backoff(attempt, random.Random(seed))
    assert 0 <= delay <= min(20.0, 0.5 * 2 ** (attempt - 1))


def test_backoff_is_jittered() -> None:
    rng = random.Random(1)
    delays = {RetryPolicy().backoff(4, rng) for _ in range(20)}
    assert len(delays) == 20


@pytest.mark.parametrize(
    ("header", "expected"),
    [(None, None), ("", None), ("  12 ", 12.0), ("0", 0.0), ("soon", None), ("-3", None)],
)
def test_retry_after_in_seconds(header: str | None, expected: float | None) -> None:
    assert parse_retry_after(header) == expected


def test_retry_after_as_an_http_date() -> None:
    now = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
    header = format_datetime(now + timedelta(seconds=90), usegmt=True)
    assert parse_retry_after(header, now=now) == 90.0
    assert parse_retry_after(format_datetime(now - timedelta(hours=1), usegmt=True), now=now) == 0.0


def test_a_token_bucket_refuses_nonsense() -> None:
    with pytest.raises(ValueError):
        TokenBucket(0)
    with pytest.raises(ValueError):
        TokenBucket(1, burst=0)


class Time:
    """A monotonic clock that only moves when the bucket sleeps: the waits are asserted, not measured."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds
        await asyncio.sleep(0)  # a real sleep yields too: other waiters get their turn to queue


async def test_a_token_bucket_lets_a_burst_through_then_paces() -> None:
    time = Time()
    bucket = TokenBucket(rate=20.0, burst=3, clock=time, sleep=time.sleep)
    for _ in range(3):
        await bucket.acquire()
    assert time.sleeps == []  # the burst is free
    for _ in range(4):
        await bucket.acquire()
    # Four more at 20/s: each waits for its token, 0.2 s in all, whoever asks.
    assert time.sleeps == pytest.approx([0.05] * 4)

    time.now += 1.0  # idle: the bucket refills, up to its burst and no more
    for _ in range(4):
        await bucket.acquire()
    assert time.sleeps[4:] == pytest.approx([0.05])


async def test_a_token_bucket_serves_concurrent_waiters_in_turn() -> None:
    time = Time()
    bucket = TokenBucket(rate=50.0, burst=1, clock=time, sleep=time.sleep)
    done: list[int] = []

    async def take(n: int) -> None:
        await bucket.acquire()
        done.append(n)

    await asyncio.gather(*(take(n) for n in range(6)))
    assert done == list(range(6))
    assert time.sleeps == pytest.approx([1 / 50] * 5)  # one token a 20 ms, handed out in arrival order


async def test_a_token_bucket_estimates_a_newcomers_wait_from_the_callers_ahead() -> None:
    time = Time()
    bucket = TokenBucket(rate=4.0, burst=2, clock=time, sleep=time.sleep)
    assert bucket.wait_estimate() == 0.0  # a full bucket: no wait
    await bucket.acquire()
    await bucket.acquire()
    assert bucket.wait_estimate() == pytest.approx(0.25)
    gate = asyncio.Event()

    async def slow_sleep(seconds: float) -> None:
        await gate.wait()
        await time.sleep(seconds)

    bucket._sleep = slow_sleep
    waiters = [asyncio.create_task(bucket.acquire()) for _ in range(3)]
    await asyncio.sleep(0)
    assert bucket.wait_estimate() == pytest.approx(1.0)  # three ahead and itself, at 4/s
    waiters[0].cancel()  # a waiter that gives up takes nothing from the budget
    await asyncio.gather(waiters[0], return_exceptions=True)
    assert bucket.wait_estimate() == pytest.approx(0.75)
    gate.set()
    await asyncio.gather(*waiters[1:])
    assert time.now == pytest.approx(0.5)
