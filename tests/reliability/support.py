"""What the reliability and security suites share: real ``portside`` processes, an operator's in-process
view of the same database, the Octopia sandbox as ground truth, and patient polling.

Sizes: the reduced size runs in ``make test``; ``PORTSIDE_SOAK=1`` (``make soak``) runs the full one.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

import asyncpg
import msgspec

from portside.adapters.postgres import FernetCipher
from portside.channels.cdiscount.sandbox import RunningSandbox
from portside.channels.cdiscount.statuses import is_seller_mode
from portside.core.model import Store
from portside.core.services.stores import StoreDraft
from portside.entrypoints.application import Portside
from portside.entrypoints.commands import application, ready_schema, running
from portside.entrypoints.config import Settings

REPO = Path(__file__).resolve().parents[2]
SOAK = os.environ.get("PORTSIDE_SOAK") == "1"
T = TypeVar("T")
Wire = dict[str, Any]


def size(reduced: int, full: int) -> int:
    """The reduced size in ``make test``, the full one under ``make soak``."""
    return full if SOAK else reduced


async def wait_for(
    condition: Callable[[], Awaitable[T]],
    *,
    timeout: float,
    what: str,
    every: float = 0.1,
    diagnose: Callable[[], Awaitable[str]] | None = None,
) -> T:
    """Poll ``condition`` until it returns something truthy; fail naming ``what`` (and what ``diagnose``
    says) after ``timeout`` s. Timeouts are generous on purpose: they catch a hang, never measure speed."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        result = await condition()
        if result:
            return result
        if loop.time() > deadline:
            detail = f"\n{await diagnose()}" if diagnose is not None else ""
            raise AssertionError(f"gave up after {timeout:.0f} s waiting for {what} (last: {result!r}){detail}")
        await asyncio.sleep(every)


# Settings ---------------------------------------------------------------------------------------------

RELAY_LEASE_S = 3.0  # a killed relay's messages come back within the test

FAST = {
    # Polls and backoffs in tenths of seconds; leases of a few seconds so a killed worker's work comes back
    # quickly. The tests wait for outcomes, never for these timers.
    "sync_poll_s": "0.2",
    "sync_retry_s": "0.5",
    "relay_lease_s": str(RELAY_LEASE_S),
    "webhook_timeout_s": "1.5",  # the relay lease must cover two
    "relay_poll_s": "0.1",
    "events_poll_s": "0.5",
    "housekeeping_s": "5",
    "sync_lease_s": "3",
    "sync_look_back_days": "90",
    "relay_backoff_s": "0.2",
    "relay_max_backoff_s": "1",
    "relay_max_attempts": "50",
    "shutdown_grace_s": "2",
    "db_pool_min": "1",
    "db_pool_max": "4",
    "log_level": "INFO",
    "allow_private_urls": "true",  # the sandboxes and webhook receivers are on 127.0.0.1
}


def portside_env(database_url: str, secret_key: str, data_dir: Path, **overrides: str) -> dict[str, str]:
    """The environment of a ``portside`` process: this one's, with every PORTSIDE_* replaced."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PORTSIDE_")}
    values = {**FAST, "database_url": database_url, "secret_key": secret_key, "data_dir": str(data_dir), **overrides}
    env.update({f"PORTSIDE_{k.upper()}": v for k, v in values.items()})
    env["PYTHONUNBUFFERED"] = "1"
    return env


def settings_from(env: dict[str, str]) -> Settings:
    """The same settings in this process (the operator's view of the service)."""
    from portside.entrypoints.config import load_settings

    return load_settings(env)


# Processes --------------------------------------------------------------------------------------------


@dataclass
class Proc:
    """One ``portside`` process in its own process group, its output in a file."""

    name: str
    process: asyncio.subprocess.Process
    log: Path

    @property
    def pid(self) -> int:
        return self.process.pid

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def alive(self) -> bool:
        return self.process.returncode is None

    async def kill9(self) -> None:
        """SIGKILL the whole group: no handler runs, nothing is released, as in a real crash."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.pid, signal.SIGKILL)
        await self.process.wait()

    async def stop(self, timeout: float = 20.0) -> int:
        """SIGTERM (graceful stop), SIGKILL if it does not stop in time."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.pid, signal.SIGTERM)
        try:
            return await asyncio.wait_for(self.process.wait(), timeout)
        except TimeoutError:
            await self.kill9()
            return -9


@dataclass
class Fleet:
    """Every process a test started; all of them are killed on the way out, whatever happened."""

    env: dict[str, str]
    logs: Path
    procs: list[Proc] = field(default_factory=list)

    async def start(self, *args: str, name: str | None = None, env: dict[str, str] | None = None) -> Proc:
        name = name or f"{args[0]}-{len(self.procs)}"
        log = self.logs / f"{name}.log"
        handle = log.open("ab")
        try:
            process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "tests.reliability.worker_main",
                *args,
                cwd=REPO,
                env={**self.env, **(env or {})},
                stdin=asyncio.subprocess.DEVNULL,
                stdout=handle,
                stderr=asyncio.subprocess.STDOUT,
                start_new_session=True,  # its own process group: killpg reaches whatever it spawns
            )
        finally:
            handle.close()
        proc = Proc(name, process, log)
        self.procs.append(proc)
        return proc

    def output(self) -> str:
        return "\n".join(f"===== {p.name} (pid {p.pid})\n{p.output()}" for p in self.procs)

    async def close(self) -> None:
        for proc in self.procs:
            if proc.alive():
                await proc.kill9()


@contextlib.asynccontextmanager
async def fleet(env: dict[str, str], logs: Path) -> AsyncIterator[Fleet]:
    processes = Fleet(env, logs)
    try:
        yield processes
    finally:
        await processes.close()


async def run_cli(env: dict[str, str], *args: str, timeout: float = 60.0) -> str:
    """Run one ``portside`` command to its end; its output, or an AssertionError with it."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.reliability.worker_main",
        *args,
        cwd=REPO,
        env=env,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        out, _ = await asyncio.wait_for(process.communicate(), timeout)
    finally:
        if process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            await process.wait()
    text = out.decode(errors="replace")
    assert process.returncode == 0, f"portside {' '.join(args)} exited {process.returncode}:\n{text}"
    return text


# The operator's view ------------------------------------------------------------------------------------


@dataclass
class Operator:
    """The service's composition root in this process, on the workers' database: to connect stores,
    confirm shipments and read what the workers did. It runs no scheduler."""

    app: Portside
    pool: asyncpg.Pool
    account_id: str

    async def connect(self, sandbox: RunningSandbox, name: str, *, own_account: bool = False, **settings: Any) -> Store:
        """A store on ``sandbox``. ``own_account``: in an account of its own, so that several stores may
        pull the sandbox's one seller (an account connects a seller once; separate tenants may share one)."""
        account_id = (await self.app.create_account(name)).id if own_account else self.account_id
        return await self.app.connect_store(account_id, StoreDraft(**sandbox_draft(sandbox, name, **settings)))

    async def count(self, sql: str, *args: Any) -> int:
        return int(await self.pool.fetchval(sql, *args))


@contextlib.asynccontextmanager
async def operator(env: dict[str, str], *, migrate: bool = True) -> AsyncIterator[Operator]:
    async with running(settings_from(env)) as container:
        await ready_schema(container, migrate=migrate)
        app = await application(container)
        account = await app.create_account("reliability")
        yield Operator(app=app, pool=await container.storage.pool(), account_id=account.id)


def free_port() -> int:
    """A port free on 127.0.0.1 right now (for a ``portside serve`` told where to listen)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def new_secret_key() -> str:
    return FernetCipher.generate_key()


# The marketplace's ground truth -------------------------------------------------------------------------

FAST_STORE = {"rate_per_s": 1000.0, "rate_burst": 200, "timeout_s": 2.0, "page_size": 100}


def sandbox_draft(sandbox: RunningSandbox, name: str, **settings: Any) -> dict[str, Any]:
    config = sandbox.state.config
    return {
        "channel": "cdiscount",
        "name": name,
        "credentials": {
            "client_id": config.client_id,
            "client_secret": config.client_secret,
            "seller_id": config.seller_id,
        },
        "settings": {
            "auth_url": sandbox.auth_url,
            "api_base_url": sandbox.api_base_url,
            **FAST_STORE,
            **settings,
        },
    }


def is_imported(order: Wire) -> bool:
    """Whether the channel imports this order (it skips orders with no line the seller ships)."""
    lines = order.get("lines")
    if not isinstance(lines, list):
        return True  # malformed: read, then quarantined
    return any(is_seller_mode((ln.get("offer") or {}).get("supplyMode")) for ln in lines if isinstance(ln, dict))


def imported_orders(sandbox: RunningSandbox) -> dict[str, Wire]:
    """The orders a complete sync must hold, by channel order id, as the marketplace has them now."""
    malformed = sandbox.state.faults.malformed
    return {o["orderId"]: o for o in sandbox.state.store.all() if is_imported(o) and o["orderId"] not in malformed}


def shippable(sandbox: RunningSandbox) -> list[Wire]:
    """InPreparation orders with a seller line to ship: what a seller confirms shipments for."""
    return [
        o
        for o in imported_orders(sandbox).values()
        if o["status"] == "InPreparation"
        and any(
            is_seller_mode((ln.get("offer") or {}).get("supplyMode")) and ln.get("status") != "Cancelled"
            for ln in o["lines"]
        )
    ]


def decode(raw: bytes | str) -> Any:
    return msgspec.json.decode(raw)


def wire_time(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


async def stored_orders(pool: asyncpg.Pool, store_id: str) -> dict[str, tuple[str, datetime]]:
    """channel order id → (channel status, channel updatedAt) of every order stored for the store."""
    rows = await pool.fetch(
        "SELECT channel_order_id, channel_status, updated_at FROM portside.orders WHERE store_id = $1", store_id
    )
    return {r["channel_order_id"]: (r["channel_status"], r["updated_at"]) for r in rows}


async def created_twice(pool: asyncpg.Pool, store_id: str) -> list[str]:
    """Orders whose creation was recorded more than once: an import that ran twice over them."""
    rows = await pool.fetch(
        "SELECT order_id::text FROM portside.activity WHERE store_id = $1 AND kind = 'created' "
        "GROUP BY order_id HAVING count(*) > 1",
        store_id,
    )
    return [r[0] for r in rows]


async def differences(pool: asyncpg.Pool, store_id: str, expected: dict[str, Wire]) -> dict[str, Any]:
    """What the database holds for the store that the marketplace does not say: lost, unexpected,
    stale (an older state than the marketplace's latest) and duplicated orders. Empty when all is well."""
    stored = await stored_orders(pool, store_id)
    stale = {
        oid: (stored[oid], (o["status"], o["updatedAt"]))
        for oid, o in expected.items()
        if oid in stored and stored[oid] != (o["status"], wire_time(o["updatedAt"]))
    }
    found = {
        "lost": sorted(expected.keys() - stored.keys()),
        "unexpected": sorted(stored.keys() - expected.keys()),
        "stale": stale,
        "created_twice": await created_twice(pool, store_id),
    }
    return {k: v for k, v in found.items() if v}


async def lease_of(pool: asyncpg.Pool, store_id: str) -> asyncpg.Record | None:
    return await pool.fetchrow(
        "SELECT lease_owner, lease_until, next_run_at FROM portside.store_syncs WHERE store_id = $1", store_id
    )


async def reports(pool: asyncpg.Pool, store_id: str) -> list[dict[str, Any]]:
    """Every sync report of the store, oldest first."""
    rows = await pool.fetch(
        "SELECT doc FROM portside.sync_reports WHERE store_id = $1 ORDER BY started_at, id", store_id
    )
    return [decode(r["doc"]) if isinstance(r["doc"], bytes | str) else r["doc"] for r in rows]
