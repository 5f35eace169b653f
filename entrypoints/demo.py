"""``portside demo``: embedded Postgres, the three sandboxes, a demo account and store, the API and the scheduler."""

from __future__ import annotations

import contextlib
import os
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import msgspec

from portside.core.model import Account, Store
from portside.core.services import derived_id
from portside.core.services.stores import StoreChanges, StoreDraft

from .application import Portside
from .commands import application, ready_schema, running
from .config import Settings
from .demo_text import DemoFacts, demo_orders, print_ready
from .lifecycle import StopSignals, resolve
from .progress import SyncProgressBar
from .sandboxes import start_sandbox
from .serve import bound_url, run_scheduler, start_site

ACCOUNT_ID = derived_id("portside-demo", "account")
STATE_FILE = "demo.json"
ANCHOR_MAX_AGE = timedelta(days=7)  # older sandbox data falls out of the first sync's look-back; start afresh
SANDBOX_CREDENTIALS = {"client_id": "sandbox-client", "client_secret": "sandbox-secret", "seller_id": "123456"}


class Sandboxes(msgspec.Struct, kw_only=True):
    cdiscount: Any
    mondial_relay: Any
    colissimo: Any


class DemoState(msgspec.Struct, kw_only=True):
    """Kept in ``<data dir>/demo.json`` between runs."""

    sandbox_now: datetime  # the Octopia sandbox's clock start
    store_id: str | None = None  # the demo store holding that sandbox's orders


def demo_state(data_dir: Path, now: datetime) -> DemoState:
    """The same seed and clock anchor give the same sandbox orders on every run, so a re-run finds
    the orders (and the store) it imported before; past ANCHOR_MAX_AGE the demo starts afresh."""
    with contextlib.suppress(OSError, msgspec.DecodeError, msgspec.ValidationError):
        state = msgspec.json.decode((data_dir / STATE_FILE).read_bytes(), type=DemoState)
        if now - state.sandbox_now < ANCHOR_MAX_AGE:
            return state
    return DemoState(sandbox_now=now.replace(minute=0, second=0, microsecond=0))


def save_demo_state(data_dir: Path, state: DemoState) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / STATE_FILE).write_bytes(msgspec.json.encode(state))


@contextlib.asynccontextmanager
async def sandboxes(host: str, orders: int, anchor: datetime | None) -> AsyncIterator[Sandboxes]:
    async with contextlib.AsyncExitStack() as stack:
        started = {}
        for name in ("cdiscount", "mondial-relay", "colissimo"):
            running_sandbox = await start_sandbox(name, host=host, port=0, orders=orders, now=anchor)
            stack.push_async_callback(running_sandbox.close)
            started[name.replace("-", "_")] = running_sandbox
        yield Sandboxes(**started)


def carriers_on_sandboxes(settings: Settings, boxes: Sandboxes) -> Settings:
    """Carrier directories pointed at the sandboxes, with the sandboxes' published test credentials."""
    return msgspec.structs.replace(
        settings,
        mondial_relay_url=boxes.mondial_relay.url,
        mondial_relay_enseigne="BDTEST13",
        mondial_relay_private_key="TestAPI1key",
        colissimo_url=boxes.colissimo.url,
        colissimo_account="123456",
        colissimo_password="sandbox-password",  # noqa: S106 - the sandbox's public test password
        colissimo_api_key=None,
    )


async def demo_account(app: Portside) -> tuple[Account, str]:
    """The demo account (created once) and a fresh API key; the demo keys of earlier runs are revoked,
    since their text was only ever shown in those runs' output."""
    async with app.uow() as u:
        account = await u.accounts.get(ACCOUNT_ID)
        old_keys = [k for k in await u.api_keys.list_for_account(ACCOUNT_ID) if k.active and k.label == "demo"]
    if account is None:
        account = await app.create_account("portside demo", account_id=ACCOUNT_ID)
    _, key = await app.create_api_key(account.id, label="demo")
    async with app.uow() as u:
        for old in old_keys:
            await u.api_keys.revoke(old.id, at=app.clock.now())
        await u.commit()
    return account, key


async def demo_store(app: Portside, octopia: Any, state: DemoState) -> Store:
    """The store of this sandbox anchor, pointed at this run's sandbox ports, or a new one; the demo
    account's other stores (older anchors) are deactivated, their orders kept readable."""
    urls = {"auth_url": octopia.auth_url, "api_base_url": octopia.api_base_url}
    async with app.uow() as u:
        stores = await u.stores.find(account_id=ACCOUNT_ID)
    for old in stores:
        if old.id != state.store_id and old.active:
            await app.update_store(ACCOUNT_ID, old.id, StoreChanges(active=False))
    if any(s.id == state.store_id for s in stores):
        assert state.store_id is not None
        return await app.update_store(ACCOUNT_ID, state.store_id, StoreChanges(settings=urls, active=True))
    draft = StoreDraft(channel="cdiscount", name="Cdiscount sandbox", credentials=SANDBOX_CREDENTIALS, settings=urls)
    return await app.connect_store(ACCOUNT_ID, draft)


def _data_dir(settings: Settings) -> Path:
    return Path(os.path.abspath(settings.data_dir))


async def run_demo(settings: Settings, *, host: str | None, port: int | None, orders: int) -> int:
    host, port = host or settings.host, port or settings.port
    data_dir = _data_dir(settings)
    state = demo_state(data_dir, datetime.now(UTC))
    database = str(data_dir / "pgdata") if settings.database_url is None else "PORTSIDE_DATABASE_URL"
    with StopSignals() as signals:
        async with sandboxes(host, orders, state.sandbox_now) as boxes:
            async with running(carriers_on_sandboxes(settings, boxes)) as container:
                await ready_schema(container, migrate=True)
                app = await application(container)
                runner = await start_site(await resolve(container.http_app()), host, port)
                try:
                    facts = await _prepare(app, boxes, state, data_dir, api=bound_url(runner), database=database)
                    print_ready(facts)
                    signals.started()
                    await run_scheduler(await resolve(container.scheduler()), signals, settings.shutdown_grace_s)
                finally:
                    await runner.cleanup()
    print("portside demo stopped: API, scheduler, sandboxes and Postgres are down.", flush=True)
    return 0


async def _prepare(
    app: Portside, boxes: Sandboxes, state: DemoState, data_dir: Path, *, api: str, database: str
) -> DemoFacts:
    account, key = await demo_account(app)
    store = await demo_store(app, boxes.cdiscount, state)
    save_demo_state(data_dir, msgspec.structs.replace(state, store_id=store.id))
    bar = SyncProgressBar(f"syncing {store.name}")
    report = await app.sync_store(store.id, progress=bar)
    bar.done(f"{report.new} new, {report.updated} updated, {report.unchanged} unchanged")
    pickup, shippable = await demo_orders(app, store, boxes.cdiscount)
    return DemoFacts(
        api=api,
        key=key,
        account=account,
        store=store,
        pickup_order=pickup,
        shippable_order=shippable,
        octopia=boxes.cdiscount.url,
        mondial_relay=boxes.mondial_relay.url,
        colissimo=boxes.colissimo.url,
        database=database,
    )
