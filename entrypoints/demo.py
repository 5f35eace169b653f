"""``portside demo``: embedded Postgres, the sandboxes, a demo account with a Cdiscount and a Leroy Merlin store,
the API and the scheduler."""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import AsyncIterator, Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import msgspec

from portside.core.errors import PortsideError
from portside.core.model import Account, PickupCarrier, Store
from portside.core.model.masking import masked_repr, masked_rich_repr
from portside.core.services import derived_id
from portside.core.services.accounts import authenticate, revoke_api_key
from portside.core.services.stores import StoreChanges, StoreDraft

from .application import Portside
from .commands import application, ready_schema, running
from .config import Settings
from .demo_text import DemoFacts, Shown, demo_orders, print_ready
from .lifecycle import StopSignals, resolve
from .progress import SyncProgressBar
from .sandboxes import mirakl_store_config, start_sandbox
from .scheduler import check_acceptance_sla
from .serve import bound_url, run_scheduler, start_site

log = logging.getLogger("portside.demo")

ACCOUNT_ID = derived_id("portside-demo", "account")
STATE_FILE = "demo.json"
ANCHOR_MAX_AGE = timedelta(days=7)  # older sandbox data falls out of the first sync's look-back; start afresh
SANDBOX_CREDENTIALS = {"client_id": "sandbox-client", "client_secret": "sandbox-secret", "seller_id": "123456"}
MIRAKL_PROFILE = "leroy_merlin"  # the Mirakl marketplace the demo connects beside Cdiscount
SANDBOX_NAMES = ("cdiscount", "mirakl", "mondial-relay", "colissimo")


class Sandboxes(msgspec.Struct, kw_only=True):
    cdiscount: Any
    mirakl: Any  # playing MIRAKL_PROFILE
    mondial_relay: Any
    colissimo: Any


class DemoState(msgspec.Struct, kw_only=True):
    """Kept in ``<data dir>/demo.json`` between runs."""

    sandbox_now: datetime  # the marketplace sandboxes' clock start
    store_id: str | None = None  # the Cdiscount store holding the Octopia sandbox's orders
    mirakl_store_id: str | None = None  # the Leroy Merlin store holding the Mirakl sandbox's orders
    # The demo account's API key, kept (file mode 0600) so a re-run prints the same key and a shell
    # that exported it keeps working. A local demo's convenience: a real key is shown once, never kept.
    api_key: str | None = None
    # Each sandbox's port, reused by the next run when free: a store the user pointed at a sandbox
    # keeps working across runs (only the demo's own stores are re-pointed when a port must change).
    ports: dict[str, int] = {}

    __secret_fields__ = frozenset({"api_key"})
    __repr__ = __str__ = masked_repr
    __rich_repr__ = masked_rich_repr


class DemoStore(msgspec.Struct, kw_only=True):
    """A demo store to connect, or to find again and point at this run's sandbox."""

    channel: str
    name: str
    credentials: dict[str, Any]
    settings: dict[str, Any]  # this run's sandbox URLs included
    store_id: str | None  # the one connected by an earlier run with this sandbox anchor
    sandbox_orders: Any  # the channel order ids its running sandbox knows
    shown: Shown  # what the curl lines show of it


def demo_state(data_dir: Path, now: datetime) -> DemoState:
    """The same seed and clock anchor give the same sandbox orders on every run, so a re-run finds
    the orders (and the stores) it imported before; past ANCHOR_MAX_AGE the demo starts afresh."""
    with contextlib.suppress(OSError, msgspec.DecodeError, msgspec.ValidationError):
        state = msgspec.json.decode((data_dir / STATE_FILE).read_bytes(), type=DemoState)
        if now - state.sandbox_now < ANCHOR_MAX_AGE:
            return state
        return DemoState(sandbox_now=now.replace(minute=0, second=0, microsecond=0), ports=state.ports)
    return DemoState(sandbox_now=now.replace(minute=0, second=0, microsecond=0))


def save_demo_state(data_dir: Path, state: DemoState) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / STATE_FILE
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(msgspec.json.encode(state))
    path.chmod(0o600)  # a file an earlier version wrote with wider rights


@contextlib.asynccontextmanager
async def sandboxes(
    host: str, orders: int, anchor: datetime | None, ports: Mapping[str, int] | None = None
) -> AsyncIterator[Sandboxes]:
    """Every sandbox the demo uses, each with ``orders`` seeded orders for the marketplaces; all closed on
    exit. Each listens on its port in ``ports`` (an earlier run's) when that is free, else on a new one."""
    async with contextlib.AsyncExitStack() as stack:
        started = {}
        for name in SANDBOX_NAMES:
            previous = (ports or {}).get(name, 0)
            try:
                running_sandbox = await start_sandbox(
                    name, host=host, port=previous, orders=orders, now=anchor, profile=MIRAKL_PROFILE
                )
            except PortsideError:
                if not previous:
                    raise
                log.warning("the %s sandbox's port %d is taken now; it moves to a new one", name, previous)
                running_sandbox = await start_sandbox(
                    name, host=host, port=0, orders=orders, now=anchor, profile=MIRAKL_PROFILE
                )
            stack.push_async_callback(running_sandbox.close)
            started[name.replace("-", "_")] = running_sandbox
        yield Sandboxes(**started)


def sandbox_ports(boxes: Sandboxes) -> dict[str, int]:
    """Where each sandbox listens, to listen there again next run."""
    ports = {}
    for name in SANDBOX_NAMES:
        port = urlsplit(getattr(boxes, name.replace("-", "_")).url).port
        if port:
            ports[name] = port
    return ports


def carriers_on_sandboxes(settings: Settings, boxes: Sandboxes) -> Settings:
    """Carrier directories the operator did not configure, pointed at the sandboxes with their published
    test credentials; a carrier configured through ``PORTSIDE_*`` keeps its configuration."""
    changes: dict[str, str | None] = {}
    if not settings.mondial_relay_url:
        changes.update(
            mondial_relay_url=boxes.mondial_relay.url,
            mondial_relay_enseigne="BDTEST13",
            mondial_relay_private_key="TestAPI1key",
        )
    if not settings.colissimo_url:
        changes.update(
            colissimo_url=boxes.colissimo.url,
            colissimo_account="123456",
            colissimo_password="sandbox-password",  # noqa: S106 - the sandbox's public test password
            colissimo_api_key=None,
        )
    return msgspec.structs.replace(settings, **changes)


async def demo_account(app: Portside, remembered: str | None = None) -> tuple[Account, str]:
    """The demo account (created once) and its API key: the one an earlier run printed when it still
    works, else a fresh one (the demo's other keys are then revoked)."""
    if remembered is not None:
        known = await authenticate(remembered, uow=app.uow)
        if known is not None and known.account_id == ACCOUNT_ID:
            async with app.uow() as u:
                account = await u.accounts.get(ACCOUNT_ID)
            if account is not None:
                return account, remembered
    async with app.uow() as u:
        account = await u.accounts.get(ACCOUNT_ID)
        old_keys = [k for k in await u.api_keys.list_for_account(ACCOUNT_ID) if k.active and k.label == "demo"]
    if account is None:
        account = await app.create_account("portside demo", account_id=ACCOUNT_ID)
    _, key = await app.create_api_key(account.id, label="demo")
    for old in old_keys:
        await revoke_api_key(ACCOUNT_ID, old.id, uow=app.uow, clock=app.clock)
    return account, key


def demo_stores(boxes: Sandboxes, state: DemoState) -> tuple[DemoStore, DemoStore]:
    """The Cdiscount and the Leroy Merlin store, each on its marketplace sandbox."""
    octopia = boxes.cdiscount
    credentials, settings = mirakl_store_config(boxes.mirakl)
    cdiscount = DemoStore(
        channel="cdiscount",
        name="Cdiscount sandbox",
        credentials=SANDBOX_CREDENTIALS,
        settings={"auth_url": octopia.auth_url, "api_base_url": octopia.api_base_url},
        store_id=state.store_id,
        sandbox_orders=octopia.state.store,
        shown=Shown(marketplace="Cdiscount", relay=PickupCarrier.mondial_relay, point_from="Octopia's pickupId"),
    )
    leroy_merlin = DemoStore(
        channel="mirakl",
        name="Leroy Merlin sandbox",
        credentials=credentials,
        settings=settings,
        store_id=state.mirakl_store_id,
        sandbox_orders=boxes.mirakl.state.store,
        # Leroy Merlin's relay orders are Colissimo points named by Mirakl's standard pudo field.
        shown=Shown(marketplace="Leroy Merlin", relay=PickupCarrier.colissimo, point_from="Mirakl's shipping_pudo_id"),
    )
    return cdiscount, leroy_merlin


async def connect_demo_store(app: Portside, wanted: DemoStore, existing: list[Store]) -> Store:
    """The store of this sandbox anchor, pointed at this run's sandbox, or a new one. Both paths are the
    API's: the marketplace sandbox checks the credentials before anything is saved."""
    if any(s.id == wanted.store_id for s in existing):
        assert wanted.store_id is not None
        changes = StoreChanges(settings=wanted.settings, active=True)
        return await app.update_store(ACCOUNT_ID, wanted.store_id, changes)
    draft = StoreDraft(
        channel=wanted.channel, name=wanted.name, credentials=wanted.credentials, settings=wanted.settings
    )
    return await app.connect_store(ACCOUNT_ID, draft)


async def connect_demo_stores(app: Portside, wanted: tuple[DemoStore, ...]) -> list[Store]:
    """The demo stores, connected (or found again) in order; the demo's stores of older anchors are
    deactivated, their orders kept readable. Stores someone else connected to the account stay as they are."""
    async with app.uow() as u:
        existing = await u.stores.find(account_id=ACCOUNT_ID)
    kept = {w.store_id for w in wanted}
    made_by_demo = {(w.channel, w.name) for w in wanted}
    for old in existing:
        if old.id not in kept and old.active and (old.channel, old.name) in made_by_demo:
            await app.update_store(ACCOUNT_ID, old.id, StoreChanges(active=False))
    return [await connect_demo_store(app, w, existing) for w in wanted]


def _data_dir(settings: Settings) -> Path:
    return Path(os.path.abspath(settings.data_dir))


async def run_demo(settings: Settings, *, host: str | None, port: int | None, orders: int) -> int:
    host, port = host or settings.host, port or settings.port
    data_dir = _data_dir(settings)
    state = demo_state(data_dir, datetime.now(UTC))
    database = str(data_dir / "pgdata") if settings.database_url is None else "PORTSIDE_DATABASE_URL"
    # The sandboxes, and the webhook receivers the demo's examples use, are on this machine.
    settings = msgspec.structs.replace(settings, allow_private_urls=True)
    with StopSignals() as signals:
        async with sandboxes(host, orders, state.sandbox_now, state.ports) as boxes:
            async with running(carriers_on_sandboxes(settings, boxes)) as container:
                await ready_schema(container, migrate=True)
                app = await application(container)
                runner = await start_site(await resolve(container.http_app()), host, port)
                try:
                    facts = await prepare_demo(app, boxes, state, data_dir, api=bound_url(runner), database=database)
                    await warn_overdue(app, timedelta(hours=settings.acceptance_sla_hours))
                    print_ready(facts)
                    signals.started()
                    await run_scheduler(await resolve(container.scheduler()), signals, settings.shutdown_grace_s)
                finally:
                    await runner.cleanup()
    print("portside demo stopped: API, scheduler, sandboxes and Postgres are down.", flush=True)
    return 0


async def warn_overdue(app: Portside, threshold: timedelta) -> None:
    """The scheduler's acceptance-SLA pass, run once before the ready message: the sandboxes' orders left
    waiting for weeks are flagged above it, not in the middle of the curl lines a user is reading. They
    are seeded history, not an incident: logged at INFO (later breaches are the scheduler's warnings)."""
    sla = await check_acceptance_sla(uow=app.uow, clock=app.clock, threshold=threshold, level=logging.INFO)
    app.observer.acceptance_overdue(sla.overdue, len(sla.newly_breached))


async def _synced(app: Portside, store: Store) -> None:
    bar = SyncProgressBar(f"syncing {store.name}")
    report = await app.sync_store(store.id, progress=bar)
    bar.done(f"{report.new} new, {report.updated} updated, {report.unchanged} unchanged")


async def prepare_demo(
    app: Portside, boxes: Sandboxes, state: DemoState, data_dir: Path, *, api: str, database: str
) -> DemoFacts:
    account, key = await demo_account(app, state.api_key)
    wanted = demo_stores(boxes, state)
    stores = await connect_demo_stores(app, wanted)
    cdiscount, leroy_merlin = stores
    state = msgspec.structs.replace(
        state, store_id=cdiscount.id, mirakl_store_id=leroy_merlin.id, api_key=key, ports=sandbox_ports(boxes)
    )
    save_demo_state(data_dir, state)
    for store in stores:
        await _synced(app, store)
    shows = [await demo_orders(app, s, w.sandbox_orders, w.shown) for s, w in zip(stores, wanted, strict=True)]
    return DemoFacts(
        api=api,
        key=key,
        account=account,
        cdiscount=shows[0],
        leroy_merlin=shows[1],
        octopia=boxes.cdiscount.url,
        mirakl=boxes.mirakl.url,
        mondial_relay=boxes.mondial_relay.url,
        colissimo=boxes.colissimo.url,
        database=database,
    )
