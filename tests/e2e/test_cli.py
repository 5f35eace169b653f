"""The ``portside`` command line as an operator runs it: output contracts, exit codes, error messages."""

from __future__ import annotations

import asyncio
import os
import re
import shlex
import signal
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import msgspec
import pytest

from portside.adapters.postgres import FernetCipher, PostgresUnitOfWorkFactory
from portside.channels.cdiscount.sandbox import RunningSandbox, SandboxConfig, start_sandbox
from portside.core.services.accounts import authenticate

PORTSIDE = str(Path(sys.executable).with_name("portside"))
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


class Result(msgspec.Struct):
    code: int
    out: str
    err: str

    @property
    def last_line(self) -> str:
        return self.out.rstrip("\n").splitlines()[-1]


async def portside(*args: str, env: dict[str, str]) -> Result:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("PORTSIDE_")}
    process = await asyncio.create_subprocess_exec(
        PORTSIDE, *args, env=clean | env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    out, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode is not None
    return Result(process.returncode, out.decode(), err.decode())


@pytest.fixture
def env(pg_dsn: str) -> dict[str, str]:
    return {"PORTSIDE_DATABASE_URL": pg_dsn, "PORTSIDE_SECRET_KEY": FernetCipher.generate_key()}


@pytest.fixture
async def octopia() -> AsyncIterator[RunningSandbox]:
    sandbox = await start_sandbox(SandboxConfig(orders=30))
    yield sandbox
    await sandbox.close()


async def test_migrate_twice(pg_empty_dsn: str) -> None:
    first = await portside("migrate", env={"PORTSIDE_DATABASE_URL": pg_empty_dsn})
    second = await portside("migrate", env={"PORTSIDE_DATABASE_URL": pg_empty_dsn})
    assert first.code == 0 and "applied 3 migration(s)" in first.out and "0003_pickup_cache_expiry.sql" in first.out
    assert second.code == 0 and "is up to date" in second.out


async def test_serve_and_worker_refuse_a_database_with_pending_migrations(pg_empty_dsn: str) -> None:
    for command in (["serve", "--port", "1"], ["worker"]):
        result = await portside(*command, env={"PORTSIDE_DATABASE_URL": pg_empty_dsn})
        assert result.code == 1, result.err
        assert "portside migrate" in result.err and "--migrate" in result.err


async def test_bad_configuration_names_the_variable_and_hides_the_value() -> None:
    result = await portside(
        "migrate", env={"PORTSIDE_PORT": "eighty", "PORTSIDE_SECRET_KEY": "", "PORTSIDE_DB_POOL_MAX": "0"}
    )
    assert result.code == 2
    assert "invalid configuration: PORTSIDE_" in result.err and "eighty" not in result.err
    unknown = await portside("migrate", env={"PORTSIDE_PROT": "8080", "PORTSIDE_PORT": "x"})
    assert "PORTSIDE_PROT" in unknown.err  # a misspelt variable is named


async def test_unreachable_database_is_one_clear_line() -> None:
    result = await portside("migrate", env={"PORTSIDE_DATABASE_URL": "postgresql://u:hunter2@127.0.0.1:1/x"})
    assert result.code == 1
    assert "cannot connect" in result.err and "hunter2" not in result.err and "Traceback" not in result.err


async def test_accounts_apikeys_stores_and_sync(
    env: dict[str, str], pg_uow_factory: PostgresUnitOfWorkFactory, octopia: RunningSandbox
) -> None:
    account = await portside("accounts", "create", "Boutique Lyon", env=env)
    assert account.code == 0 and UUID.match(account.last_line), account
    key = await portside("apikeys", "create", "--account", account.last_line, env=env)
    assert key.code == 0 and key.last_line.startswith("ps_live_")
    found = await authenticate(key.last_line, uow=pg_uow_factory)
    assert found is not None and found.account_id == account.last_line
    missing = await portside("apikeys", "create", "--account", "nobody", env=env)
    assert missing.code == 1 and "account nobody not found" in missing.err

    credentials = ["client_id=sandbox-client", "client_secret=sandbox-secret", "seller_id=123456"]
    urls = [f"auth_url={octopia.auth_url}", f"api_base_url={octopia.api_base_url}"]
    common = ["stores", "add", "--account", account.last_line, "--channel", "cdiscount", "--name", "Lyon"]
    refused = await portside(
        *common, "--credentials", *credentials[:2], "client_secret=wrong", credentials[2], "--settings", *urls, env=env
    )
    assert refused.code == 1 and "refused" in refused.err and "wrong" not in refused.err
    store = await portside(*common, "--credentials", *credentials, "--settings", *urls, env=env)
    assert store.code == 0 and UUID.match(store.last_line), store
    listing = await portside("stores", "list", env=env)
    assert store.last_line in listing.out and "never" in listing.out

    synced = await portside("sync", store.last_line, env=env)
    assert synced.code == 0, synced.err
    report = msgspec.json.decode(synced.out)
    assert report["outcome"] == "completed" and report["new"] > 0
    assert "sync Lyon" in synced.err and "completed" in synced.err  # the progress line
    assert "completed" in (await portside("stores", "list", env=env)).out
    # Again at once: sooner than Cdiscount allows after the last start, refused in one line with the wait.
    again = await portside("sync", store.last_line, env=env)
    assert again.code == 1 and again.out == "", again
    error = again.err.rstrip("\n").splitlines()[-1]  # after the start-up log line
    assert error.startswith("portside: store ") and "Traceback" not in again.err, again.err
    assert "Cdiscount allows at most one every 300 s" in error and re.search(r", in \d+ s$", error), error
    listing = await portside("stores", "list", env=env)
    assert listing.out.count("completed") == 1  # the refusal started nothing


async def test_mirakl_sandbox_prints_a_store_line_that_connects(env: dict[str, str]) -> None:
    """``portside sandbox mirakl --profile …`` prints how to connect a store; that line, run as printed, works."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("PORTSIDE_")}
    sandbox = await asyncio.create_subprocess_exec(
        PORTSIDE, "sandbox", "mirakl", "--profile", "decathlon", "--orders", "5",
        env=clean, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    assert sandbox.stdout is not None
    printed: list[str] = []
    try:
        async with asyncio.timeout(30):
            while not printed or printed[-1] != "Ctrl-C stops it.":
                printed.append((await sandbox.stdout.readline()).decode().rstrip())
        assert printed[0].startswith("Mirakl sandbox playing Decathlon on http://127.0.0.1:"), printed
        command = " ".join(line.strip().rstrip("\\") for line in printed if line.strip().startswith(("portside", "--")))
        account = await portside("accounts", "create", "Sport Lyon", env=env)
        args = shlex.split(command.replace("ACCOUNT_ID", account.last_line))
        assert args[:3] == ["portside", "stores", "add"]
        store = await portside(*args[1:], env=env)
        assert store.code == 0 and UUID.match(store.last_line), store
        synced = await portside("sync", store.last_line, env=env)
        assert synced.code == 0 and msgspec.json.decode(synced.out)["new"] == 5, synced
    finally:
        sandbox.send_signal(signal.SIGINT)
        assert await asyncio.wait_for(sandbox.wait(), 10) == 0
