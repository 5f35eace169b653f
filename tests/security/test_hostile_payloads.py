"""Hostile payloads from a marketplace or a carrier are refused at a bounded cost and never crash a sync.

A small Octopia look-alike of our own serves pages of real (sandbox-generated) orders with one hostile
order among them: nesting thousands of levels deep, invalid UTF-8, numbers out of range, a NUL character,
a multi-megabyte field; or one page far larger than any real one. The sync completes, the good orders
on the page are stored, the hostile one is quarantined and counted. A page too large to read is refused
after reading at most the client's cap (the server sees the connection cut long before it finished),
the sync fails saying why, and the next sync succeeds.

Carriers: with the Mondial Relay sandbox answering an XML entity bomb and Colissimo's a deeply nested JSON,
a sync of pickup orders completes, the points are flagged unverified (retried later), nothing expanded.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import msgspec
import pytest
from aiohttp import web

from portside.adapters.carriers.colissimo.sandbox.app import start_sandbox as start_colissimo
from portside.adapters.carriers.mondial_relay.sandbox.app import start_sandbox as start_mondial_relay
from portside.adapters.carriers.sandbox_kit.server import FAULTS
from portside.channels.cdiscount.sandbox import TOKEN_PATH, SandboxConfig, start_sandbox
from portside.channels.cdiscount.sandbox.generator import build_order
from portside.channels.cdiscount.sandbox.wire import order_view
from portside.core.errors import ChannelUnavailable
from portside.core.model import Store
from tests.reliability.support import (
    FAST_STORE,
    is_imported,
    new_secret_key,
    operator,
    portside_env,
    reports,
)

pytestmark = pytest.mark.postgres

NOW = datetime.now(UTC).replace(microsecond=0)
PAGE = 10


def good_orders(count: int, seed: int = 5) -> list[dict[str, Any]]:
    """Real Octopia wire orders (the sandbox's generator), all imported by the channel."""
    found, index = [], 0
    while len(found) < count:
        order = build_order(seed, index, seller_id="123456", now=NOW)
        index += 1
        if is_imported(order):
            found.append(order_view(order))
    return found


def encode_item(order: dict[str, Any]) -> bytes:
    return msgspec.json.encode(order)


def page_of(items: list[bytes]) -> bytes:
    return b'{"itemsPerPage":%d,"items":[' % len(items) + b",".join(items) + b"]}"


def hostile(template: dict[str, Any], order_id: str, splice: Callable[[bytes], bytes]) -> bytes:
    """``template`` under a new id, its encoded bytes passed through ``splice``."""
    return splice(encode_item({**template, "orderId": order_id, "reference": order_id}))


def _replace_once(old: bytes, new: bytes) -> Callable[[bytes], bytes]:
    def splice(raw: bytes) -> bytes:
        assert old in raw, old
        return raw.replace(old, new, 1)

    return splice


HOSTILE: dict[str, Callable[[dict[str, Any]], bytes]] = {
    "nesting 5,000 levels deep": lambda t: hostile(
        t, "HOSTILE-DEEP", _replace_once(b'"customer":', b'"customer":' + b"[" * 5000 + b"]" * 5000 + b',"c2":')
    ),
    "invalid UTF-8 in a string": lambda t: hostile(
        t, "HOSTILE-UTF8", _replace_once(b'"currencyCode":"EUR"', b'"currencyCode":"E\xff\xfeR"')
    ),
    "a quantity of 10^30": lambda t: hostile(
        t,
        "HOSTILE-INT",
        lambda raw: raw.replace(b'"quantity":', b'"quantity":1000000000000000000000000000000,"q0":', 1),
    ),
    "a price of 1e400": lambda t: hostile(
        t, "HOSTILE-FLOAT", _replace_once(b'"totalPrice":{"offerPrice":', b'"totalPrice":{"offerPrice":1e400,"o2":')
    ),
    "a NUL character in the buyer's name": lambda t: hostile(
        t, "HOSTILE-NUL", lambda raw: raw.replace(b'"firstName":"', b'"firstName":"\\u0000', 1)
    ),
    "an 8 MiB string": lambda t: hostile(
        t, "HOSTILE-HUGE", lambda raw: raw.replace(b'"city":"', b'"city":"' + b"C" * (8 << 20), 1)
    ),
}


# What the quarantine says about each (a seller or an operator reads it to know what the marketplace sent).
WHY = {
    "nesting 5,000 levels deep": "recursion",
    "invalid UTF-8 in a string": "utf-8",
    "a quantity of 10^30": "quantity must be between 0 and 100,000",
    "a price of 1e400": "Number out of range",
    "a NUL character in the buyer's name": "NUL character",
    "an 8 MiB string": "bytes, more than the 1048576 one order may take",
}


class HostileOctopia:
    """Token endpoint and ``GET /orders`` serving whatever pages the test sets, nothing else."""

    def __init__(self) -> None:
        self.pages: list[bytes] = []
        self.huge_bytes = 0  # >0: the first page is a streamed body of this size instead
        self.streamed = 0  # bytes of it the client let us write

    async def token(self, request: web.Request) -> web.Response:
        return web.json_response({"access_token": "hostile-token", "expires_in": 7200, "token_type": "Bearer"})

    async def orders(self, request: web.Request) -> web.StreamResponse:
        index = int(request.query.get("pageIndex", "1"))
        if self.huge_bytes and index == 1:
            return await self._stream(request)
        body = self.pages[index - 1] if index <= len(self.pages) else page_of([])
        return web.Response(body=body, content_type="application/json")

    async def _stream(self, request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "application/json"})  # no length: chunked
        await response.prepare(request)
        chunk = b"A" * (1 << 20)
        try:
            await response.write(b'{"itemsPerPage":1,"items":[{"orderId":"')
            while self.streamed < self.huge_bytes:
                await response.write(chunk)
                self.streamed += len(chunk)
            await response.write(b'"}]}')
        except (ConnectionResetError, RuntimeError):  # the client hung up: what we want
            pass
        return response


@pytest.fixture
async def octopia() -> AsyncIterator[tuple[HostileOctopia, str]]:
    server = HostileOctopia()
    app = web.Application()
    app.router.add_post(TOKEN_PATH, server.token)
    app.router.add_get("/seller/v2/orders", server.orders)
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.2)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    try:
        yield server, f"http://127.0.0.1:{runner.addresses[0][1]}"
    finally:
        await runner.cleanup()


async def _store(op: Any, url: str) -> Store:
    store = Store(
        id=f"hostile-{datetime.now(UTC).timestamp()}",
        account_id=op.account_id,
        channel="cdiscount",
        name="Hostile marketplace",
        credentials={"client_id": "c", "client_secret": "hostile-secret", "seller_id": "123456"},
        settings={"auth_url": url + TOKEN_PATH, "api_base_url": url + "/seller/v2", **FAST_STORE, "page_size": PAGE},
        created_at=datetime.now(UTC),
    )
    async with op.app.uow() as u:
        await u.stores.add(store)
        await u.commit()
    return store


@pytest.mark.parametrize("case", list(HOSTILE))
async def test_a_hostile_order_is_quarantined_and_the_page_kept(
    case: str, octopia: tuple[HostileOctopia, str], pg_dsn: str, tmp_path: Path
) -> None:
    server, url = octopia
    goods = good_orders(PAGE - 1)
    bad = HOSTILE[case](goods[0])
    server.pages = [page_of([encode_item(o) for o in goods[:4]] + [bad] + [encode_item(o) for o in goods[4:]])]
    async with operator(portside_env(pg_dsn, new_secret_key(), tmp_path / "data")) as op:
        store = await _store(op, url)
        report = await asyncio.wait_for(op.app.sync_store(store.id), timeout=120)
        assert report.outcome == "completed", report.error
        stored = {
            r[0]
            for r in await op.pool.fetch("SELECT channel_order_id FROM portside.orders WHERE store_id = $1", store.id)
        }
        assert stored == {o["orderId"] for o in goods}, case
        quarantined = await op.pool.fetch(
            "SELECT channel_order_id, length(raw) AS size, error FROM portside.quarantine WHERE store_id = $1", store.id
        )
        assert len(quarantined) == 1 and report.quarantined == 1, (case, quarantined)
        assert WHY[case] in quarantined[0]["error"], (case, quarantined[0]["error"][:300])
        named = quarantined[0]["channel_order_id"] or ""  # named even when the order cannot be read whole
        assert named.startswith("HOSTILE-") and b'"orderId":"%s"' % named.encode() in bad, (case, named)
        assert quarantined[0]["size"] == len(bad), case  # the bytes as received, whole


async def test_a_page_nested_past_the_decoders_limit_fails_the_sync_saying_why(
    octopia: tuple[HostileOctopia, str], pg_dsn: str, tmp_path: Path
) -> None:
    """Nesting inside one order quarantines that order (above); nesting in the page's own envelope leaves
    no order to quarantine: a clean, explained failure, never a RecursionError."""
    server, url = octopia
    goods = good_orders(2)
    deep = b'{"meta":' + b"[" * 5000 + b"]" * 5000 + b',"itemsPerPage":2,"items":['
    server.pages = [deep + b",".join(encode_item(o) for o in goods) + b"]}"]
    async with operator(portside_env(pg_dsn, new_secret_key(), tmp_path / "data")) as op:
        store = await _store(op, url)
        with pytest.raises(ChannelUnavailable, match="unreadable"):
            await op.app.sync_store(store.id)
        failed = (await reports(op.pool, store.id))[-1]
        assert failed["outcome"] == "failed" and "recursion" in failed["error"], failed


async def test_a_page_too_large_is_refused_after_the_cap_and_the_next_sync_succeeds(
    octopia: tuple[HostileOctopia, str], pg_dsn: str, tmp_path: Path
) -> None:
    server, url = octopia
    server.huge_bytes = 256 << 20  # 256 MiB, sixteen times the client's cap
    goods = good_orders(3)
    server.pages = [page_of([encode_item(o) for o in goods])]
    async with operator(portside_env(pg_dsn, new_secret_key(), tmp_path / "data")) as op:
        store = await _store(op, url)
        with pytest.raises(Exception, match="exceeds"):
            await asyncio.wait_for(op.app.sync_store(store.id), timeout=120)
        assert server.streamed < 64 << 20, server.streamed  # cut off near the 16 MiB cap, not read through
        failed = (await reports(op.pool, store.id))[-1]
        assert failed["outcome"] == "failed" and "exceeds" in failed["error"], failed
        assert not await op.count("SELECT count(*) FROM portside.sync_cursors WHERE store_id = $1", store.id)
        server.huge_bytes = 0  # the marketplace recovers
        async with op.app.uow() as u:
            await u.sync_leases.release(store.id, owner="nobody")
            await u.commit()
        report = await op.app.sync_store(store.id)
        assert report.outcome == "completed" and report.new == len(goods), report


async def test_carrier_bombs_never_expand_and_never_stop_a_sync(pg_dsn: str, tmp_path: Path) -> None:
    octopia = await start_sandbox(SandboxConfig(seed=79, orders=120, token_cap_per_hour=100_000))
    mondial_relay = await start_mondial_relay()
    colissimo = await start_colissimo()
    for directory in (mondial_relay, colissimo):
        directory.app[FAULTS].update({"bomb": {"probability": 1.0}})
    env = portside_env(
        pg_dsn,
        new_secret_key(),
        tmp_path / "data",
        mondial_relay_url=mondial_relay.url,
        mondial_relay_enseigne="BDTEST13",
        mondial_relay_private_key="TestAPI1key",
        colissimo_url=colissimo.url,
        colissimo_account="123456",
        colissimo_password="sandbox-password",
    )
    try:
        async with operator(env) as op:
            store = await op.connect(octopia, "bombed")
            report = await asyncio.wait_for(op.app.sync_store(store.id), timeout=120)
            assert report.outcome == "completed", report.error
            for directory in (mondial_relay, colissimo):
                assert directory.app[FAULTS].fired["bomb"] > 0
            unverified = await op.count(
                "SELECT count(*) FROM portside.orders WHERE store_id = $1 AND pickup_carrier IS NOT NULL "
                "AND 'pickup_point_unverified' = ANY(flags)",
                store.id,
            )
            pickup = await op.count(
                "SELECT count(*) FROM portside.orders WHERE store_id = $1 "
                "AND pickup_carrier IN ('mondial_relay', 'colissimo')",
                store.id,
            )
            assert pickup > 0 and unverified == pickup, (unverified, pickup)
    finally:
        for sandbox in (octopia, mondial_relay, colissimo):
            await sandbox.close()
