"""The whole service in-process for end-to-end tests: real Postgres, the sandboxes (Octopia, Mirakl playing
Leroy Merlin, Mondial Relay, Colissimo), the API and the scheduler; and the calls the tests make to them."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import aiohttp
import msgspec

from portside.adapters.postgres import FernetCipher
from portside.entrypoints.application import Portside
from portside.entrypoints.commands import application, ready_schema, running
from portside.entrypoints.config import Settings
from portside.entrypoints.container import Container
from portside.entrypoints.demo import Sandboxes, carriers_on_sandboxes, sandboxes
from portside.entrypoints.lifecycle import resolve
from portside.entrypoints.sandboxes import mirakl_store_config
from portside.entrypoints.serve import bound_url, start_site

SANDBOX_CREDENTIALS = {"client_id": "sandbox-client", "client_secret": "sandbox-secret", "seller_id": "123456"}


def fast_settings(database_url: str, **overrides: Any) -> Settings:
    """Polls and backoffs in tens of milliseconds: the tests wait for outcomes, never for timers."""
    values: dict[str, Any] = {
        "database_url": database_url,
        "secret_key": FernetCipher.generate_key(),
        "db_pool_min": 1,
        "db_pool_max": 6,
        "sync_poll_s": 0.05,
        "relay_poll_s": 0.05,
        "events_poll_s": 0.05,
        "housekeeping_s": 0.2,
        "relay_backoff_s": 0.05,
        "relay_max_backoff_s": 0.2,
        "relay_max_attempts": 3,
        "shutdown_grace_s": 5.0,
        "allow_private_urls": True,  # the sandboxes and webhook receivers are on 127.0.0.1
        **overrides,
    }
    return Settings(**values)


class Api:
    """A client of the running API with one account's key."""

    def __init__(self, session: aiohttp.ClientSession, url: str, key: str) -> None:
        self.session, self.url, self.key = session, url, key

    async def call(self, method: str, path: str, body: Any = None, *, expect: int | None = None) -> Any:
        headers = {"Authorization": f"Bearer {self.key}"}
        data = None if body is None else msgspec.json.encode(body)
        if data is not None:
            headers["Content-Type"] = "application/json"
        async with self.session.request(method, self.url + path, data=data, headers=headers) as response:
            raw = await response.read()
            if expect is not None:
                assert response.status == expect, f"{method} {path}: {response.status} {raw[:500]!r}"
            return msgspec.json.decode(raw) if raw else None


@dataclass
class Service:
    url: str
    app: Portside
    container: Container
    boxes: Sandboxes
    api: Api
    account_id: str

    async def wait_for(self, condition: Any, *, timeout: float = 15.0, every: float = 0.05) -> Any:
        """Poll ``condition`` (an async callable) until it returns something truthy."""
        async with asyncio.timeout(timeout):
            while not (result := await condition()):
                await asyncio.sleep(every)
        return result

    async def sandbox_stats(self, sandbox: Any = None) -> dict[str, Any]:
        """A marketplace sandbox's ``/_sandbox/stats`` (Octopia's unless told)."""
        url = (sandbox or self.boxes.cdiscount).url + "/_sandbox/stats"
        async with self.api.session.get(url) as response:
            return msgspec.json.decode(await response.read())  # type: ignore[no-any-return]

    async def sandbox_admin(self, sandbox: Any, path: str, body: dict[str, Any]) -> None:
        async with self.api.session.post(f"{sandbox.url}/_sandbox/{path}", json=body) as response:
            assert response.status == 200, await response.text()

    async def sandbox_order(self, channel_order_id: str, change: dict[str, Any]) -> None:
        await self.sandbox_admin(self.boxes.cdiscount, f"orders/{channel_order_id}", change)

    async def connect(self, body: dict[str, Any]) -> dict[str, Any]:
        """Connect a store through the API and wait for the scheduler's first sync of it."""
        store = await self.api.call("POST", "/v1/stores", body, expect=201)

        async def synced() -> Any:
            reports = (await self.api.call("GET", f"/v1/stores/{store['id']}/syncs", expect=200))["items"]
            return reports and reports[0]["outcome"] == "completed" and reports[0]

        report = await self.wait_for(synced)  # the scheduler took the new store at once
        assert report["new"] > 0
        return store  # type: ignore[no-any-return]

    async def orders(self, query: str) -> list[dict[str, Any]]:
        return (await self.api.call("GET", f"/v1/orders?limit=500&{query}", expect=200))["items"]  # type: ignore[no-any-return]

    async def ship(self, order: dict[str, Any], tracking: str, carrier: str = "colissimo") -> dict[str, Any]:
        body = {"carrier": carrier, "tracking_number": tracking}
        return await self.api.call("POST", f"/v1/orders/{order['id']}/shipments", body, expect=202)  # type: ignore[no-any-return]

    async def notification(self, shipment_id: str, status: str) -> dict[str, Any]:
        """The shipment, once its notification reached ``status``."""

        async def reached() -> Any:
            shipment = await self.api.call("GET", f"/v1/shipments/{shipment_id}", expect=200)
            return shipment["notification"]["status"] == status and shipment

        return await self.wait_for(reached)  # type: ignore[no-any-return]

    async def next_run_at(self, store_id: str) -> datetime:
        """When the scheduler will sync the store next (its sync lease's next run)."""
        pool = await self.container.storage.pool()
        found = await pool.fetchval("SELECT next_run_at FROM portside.store_syncs WHERE store_id = $1", store_id)
        assert isinstance(found, datetime), found
        return found


def cdiscount_store(boxes: Sandboxes, name: str = "Boutique e2e") -> dict[str, Any]:
    """The ``POST /v1/stores`` body of a store on the Octopia sandbox."""
    octopia = boxes.cdiscount
    settings = {"auth_url": octopia.auth_url, "api_base_url": octopia.api_base_url}
    return {"channel": "cdiscount", "name": name, "credentials": SANDBOX_CREDENTIALS, "settings": settings}


def mirakl_store(sandbox: Any, name: str, **extra: Any) -> dict[str, Any]:
    """The ``POST /v1/stores`` body of a store on a Mirakl sandbox (``settings`` merged, other keys added)."""
    credentials, settings = mirakl_store_config(sandbox)
    body = {"channel": "mirakl", "name": name, "credentials": credentials, **extra}
    body["settings"] = settings | extra.get("settings", {})
    return body


@asynccontextmanager
async def service(database_url: str, *, orders: int = 60) -> AsyncIterator[Service]:
    """Sandboxes, the composition root on ``database_url``, the API on a free port, the scheduler."""
    async with sandboxes("127.0.0.1", orders, None) as boxes:
        settings = carriers_on_sandboxes(fast_settings(database_url), boxes)
        async with running(settings) as container:
            await ready_schema(container, migrate=True)
            app = await application(container)
            runner = await start_site(await resolve(container.http_app()), "127.0.0.1", 0)
            stop = asyncio.Event()
            scheduler = asyncio.create_task((await resolve(container.scheduler())).run(stop))
            account = await app.create_account("e2e")
            _, key = await app.create_api_key(account.id)
            url = bound_url(runner)
            try:
                async with aiohttp.ClientSession() as session:
                    yield Service(
                        url=url,
                        app=app,
                        container=container,
                        boxes=boxes,
                        api=Api(session, url, key),
                        account_id=account.id,
                    )
            finally:
                stop.set()
                await asyncio.wait_for(scheduler, 10)
                await runner.cleanup()
