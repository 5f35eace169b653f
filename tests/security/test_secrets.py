"""Secrets never leak: a full end-to-end run of ``portside serve`` at DEBUG (connect a store, a refused
connection, sync with early-expiring tokens and 5xx, pickup points checked with both carriers, ship, relay,
webhook deliveries) with every secret a fresh random value; then every log line, every API answer (status
line, headers, body), every webhook delivery and every row of the database is searched for each of them.

Searched: the store's client secret (and a wrong one tried), the API key, the Fernet key, the Mondial Relay
private key, the Colissimo password, the webhook signing secret, and every bearer token the Octopia sandbox
issued. The two answers whose job is to show a secret once (``apikeys create``, ``POST /v1/webhooks``) are
the only places allowed to.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

import aiohttp
import asyncpg
import pytest
from aiohttp import web

from portside.adapters.carriers.colissimo.sandbox.app import ColissimoSandboxConfig
from portside.adapters.carriers.colissimo.sandbox.app import start_sandbox as start_colissimo
from portside.adapters.carriers.mondial_relay.sandbox.app import MondialRelaySandboxConfig
from portside.adapters.carriers.mondial_relay.sandbox.app import start_sandbox as start_mondial_relay
from portside.channels.cdiscount.sandbox import SandboxConfig, start_sandbox
from tests.reliability.support import (
    decode,
    fleet,
    free_port,
    new_secret_key,
    portside_env,
    run_cli,
    sandbox_draft,
    shippable,
    wait_for,
)

pytestmark = pytest.mark.postgres


class Receiver:
    def __init__(self) -> None:
        self.seen: list[bytes] = []

    async def handle(self, request: web.Request) -> web.Response:
        self.seen.append(repr(dict(request.headers)).encode() + b"\n" + await request.read())
        return web.Response(text="ok")


async def _dump_database(dsn: str) -> bytes:
    """Every column of every table in the portside schema, as text (bytea as raw bytes)."""
    conn = await asyncpg.connect(dsn)
    try:
        chunks = []
        tables = await conn.fetch("SELECT tablename FROM pg_tables WHERE schemaname = 'portside'")
        for (table,) in tables:
            for row in await conn.fetch(f'SELECT * FROM portside."{table}"'):
                for value in row.values():
                    chunks.append(value if isinstance(value, bytes) else str(value).encode())
        return b"\n".join(chunks)
    finally:
        await conn.close()


async def test_no_secret_in_logs_answers_deliveries_or_database(pg_dsn: str, tmp_path: Path, logs: Path) -> None:
    client_secret, wrong_secret = f"cs-{secrets.token_hex(12)}", f"cs-{secrets.token_hex(12)}"
    mr_key, colissimo_password = f"mr{secrets.token_hex(8)}", f"pw-{secrets.token_hex(10)}"
    account_mr_key = f"mr{secrets.token_hex(8)}"  # the account's own Mondial Relay key, sent through the API
    fernet = new_secret_key()
    port = free_port()
    octopia = await start_sandbox(
        SandboxConfig(seed=73, orders=80, client_secret=client_secret, token_cap_per_hour=100_000)
    )
    mondial_relay = await start_mondial_relay(
        MondialRelaySandboxConfig(accounts={"BDTEST13": mr_key, "BDTEST14": account_mr_key})
    )
    colissimo = await start_colissimo(ColissimoSandboxConfig(accounts={"123456": colissimo_password}))
    receiver = Receiver()
    hooks = web.Application()
    hooks.router.add_post("/hooks", receiver.handle)
    hooks_runner = web.AppRunner(hooks, access_log=None)
    await hooks_runner.setup()
    await web.TCPSite(hooks_runner, "127.0.0.1", 0).start()
    hook_url = f"http://127.0.0.1:{hooks_runner.addresses[0][1]}/hooks"
    env = portside_env(
        pg_dsn,
        fernet,
        tmp_path / "data",
        port=str(port),
        host="127.0.0.1",
        log_level="DEBUG",
        mondial_relay_url=mondial_relay.url,
        mondial_relay_enseigne="BDTEST13",
        mondial_relay_private_key=mr_key,
        colissimo_url=colissimo.url,
        colissimo_account="123456",
        colissimo_password=colissimo_password,
    )
    answers: list[bytes] = []
    allowed: list[bytes] = []  # the answers whose job is to show a secret once
    try:
        await run_cli(env, "migrate")
        account = (await run_cli(env, "accounts", "create", "secrets")).strip().splitlines()[-1].split()[-1]
        created = await run_cli(env, "apikeys", "create", "--account", account)
        api_key = created.strip().splitlines()[-1].split()[-1]
        allowed.append(created.encode())
        async with fleet(env, logs) as procs:
            serve = await procs.start("serve", name="serve")
            base = f"http://127.0.0.1:{port}"
            headers = {"Authorization": f"Bearer {api_key}"}
            async with aiohttp.ClientSession(base_url=base, headers=headers) as http:

                async def call(method: str, path: str, body: Any = None, *, keep: bool = True) -> tuple[int, Any]:
                    async with http.request(method, path, json=body) as r:
                        raw = await r.read()
                        (answers if keep else allowed).append(f"{r.status} {dict(r.headers)}\n".encode() + raw)
                        return r.status, (decode(raw) if raw and r.content_type.endswith("json") else raw)

                async def up() -> bool:
                    try:
                        return (await call("GET", "/readyz"))[0] == 200
                    except aiohttp.ClientError:
                        return False

                await wait_for(up, timeout=60, what=f"serve:\n{serve.output()[-3000:]}")
                draft = sandbox_draft(octopia, "Secret shop")
                bad = {**draft, "credentials": {**draft["credentials"], "client_secret": wrong_secret}}
                assert (await call("POST", "/v1/stores", bad))[0] == 422  # the refusal must not echo it
                status, hook = await call(
                    "POST",
                    "/v1/webhooks",
                    {"url": hook_url, "events": ["order.created", "shipment.notified"]},
                    keep=False,
                )
                assert status == 201
                status, store = await call("POST", "/v1/stores", draft)
                assert status == 201, store
                store_id = store["id"]
                octopia.state.faults.update(
                    {
                        "expire_tokens_early": {"count": 1},
                        "server_error": {"count": 2},
                        "rate_limit": {"count": 1, "retry_after_s": 1},
                    }
                )

                async def synced() -> bool:
                    _, runs = await call("GET", f"/v1/stores/{store_id}/syncs")
                    return any(r["outcome"] == "completed" for r in runs["items"])

                await wait_for(synced, timeout=90, what=f"the first sync:\n{serve.output()[-3000:]}")
                await call("POST", f"/v1/stores/{store_id}/sync")
                _, listing = await call("GET", f"/v1/orders?store_id={store_id}&limit=200")
                ready = {w["orderId"] for w in shippable(octopia)}
                to_ship = [o for o in listing["items"] if o["channel_order_id"] in ready][:3]
                assert to_ship
                shipments = []
                for n, order in enumerate(to_ship):
                    await call("GET", f"/v1/orders/{order['id']}")
                    status, shipment = await call(
                        "POST",
                        f"/v1/orders/{order['id']}/shipments",
                        {"carrier": "colissimo", "tracking_number": f"6S{n:09d}"},
                    )
                    assert status == 202, shipment
                    shipments.append(shipment["id"])

                async def notified() -> bool:
                    states = [(await call("GET", f"/v1/shipments/{s}"))[1]["notification"]["status"] for s in shipments]
                    return all(s == "delivered" for s in states) and len(receiver.seen) > len(to_ship)

                await wait_for(notified, timeout=90, what=f"notifications and webhooks:\n{serve.output()[-3000:]}")
                own = {"enseigne": "BDTEST14", "private_key": account_mr_key, "url": mondial_relay.url}
                status, _ = await call("PUT", "/v1/carriers/mondial_relay/settings", {"settings": own})
                assert status == 200, _
                pickup = "/v1/pickup-points?carrier=mondial_relay&postal_code=75011&country=FR"
                assert (await call("GET", pickup))[0] == 200  # through the account's own key
                await call("GET", "/v1/carriers/mondial_relay/settings")
                await call("GET", "/v1/carriers")
                for path in ("/v1/stores", f"/v1/stores/{store_id}", "/v1/webhooks", f"/v1/webhooks/{hook['id']}",
                             f"/v1/stores/{store_id}/quarantine", pickup, "/metrics"):  # fmt: skip
                    await call("GET", path)
            await serve.stop()
            logs_text = procs.output().encode()
        database = await _dump_database(pg_dsn)
    finally:
        await hooks_runner.cleanup()
        for sandbox in (octopia, mondial_relay, colissimo):
            await sandbox.close()

    tokens = list(octopia.state.tokens._expiry)  # every bearer token the sandbox issued
    assert octopia.state.tokens.issued_total >= 2 and octopia.state.tokens.revoked_total >= 1
    secrets_by_name = {
        "store client_secret": client_secret,
        "wrong client_secret tried": wrong_secret,
        "API key": api_key,
        "Fernet key": fernet,
        "Mondial Relay private key": mr_key,
        "an account's own Mondial Relay key": account_mr_key,
        "Colissimo password": colissimo_password,
        "webhook secret": hook["secret"],
        **{f"bearer token {i}": token for i, token in enumerate(tokens)},
    }
    assert b"DEBUG" in logs_text and len(receiver.seen) > 1 and len(answers) > 20
    places = {
        "logs": logs_text,
        "API answers": b"\n".join(answers),
        "webhook deliveries": b"\n".join(receiver.seen),
        "database": database,
    }
    leaks = [
        f"{name} in {where}" for name, value in secrets_by_name.items() for where, text in places.items()
        if value.encode() in text
    ]  # fmt: skip
    assert not leaks, leaks
    # The two answers that show a secret once do show it (else the search above proves nothing).
    assert api_key.encode() in b"".join(allowed) and hook["secret"].encode() in b"".join(allowed)
