"""``portside apikeys list`` and ``revoke`` as an operator runs them: the keys of an account without any
key, and a revoked key refused at once."""

from __future__ import annotations

import pytest

from portside.adapters.postgres import FernetCipher, PostgresUnitOfWorkFactory
from portside.core.services.accounts import authenticate

from .test_cli import UUID, portside


@pytest.fixture
def env(pg_dsn: str) -> dict[str, str]:
    return {"PORTSIDE_DATABASE_URL": pg_dsn, "PORTSIDE_SECRET_KEY": FernetCipher.generate_key()}


async def test_list_and_revoke_keys(env: dict[str, str], pg_uow_factory: PostgresUnitOfWorkFactory) -> None:
    account = (await portside("accounts", "create", "Boutique Lyon", env=env)).last_line
    first = (await portside("apikeys", "create", "--account", account, "--label", "platform", env=env)).last_line
    second = (await portside("apikeys", "create", "--account", account, env=env)).last_line
    record = await authenticate(first, uow=pg_uow_factory)
    assert record is not None

    listing = await portside("apikeys", "list", "--account", account, env=env)
    assert listing.code == 0, listing.err
    header, *rows = listing.out.splitlines()
    assert header.split() == ["ID", "PREFIX", "LABEL", "CREATED", "REVOKED"]
    assert len(rows) == 2 and any(row.startswith(record.id) and "platform" in row for row in rows)
    assert first not in listing.out and second not in listing.out and record.key_hash not in listing.out
    assert all(UUID.match(row.split()[0]) and row.rstrip().endswith("no") for row in rows)

    revoked = await portside("apikeys", "revoke", record.id, env=env)
    assert revoked.code == 0 and record.id in revoked.out, revoked.err
    assert await authenticate(first, uow=pg_uow_factory) is None  # refused at once
    assert await authenticate(second, uow=pg_uow_factory) is not None
    after = (await portside("apikeys", "list", "--account", account, env=env)).out
    assert next(row for row in after.splitlines() if row.startswith(record.id)).rstrip().endswith("Z")

    unknown = await portside("apikeys", "revoke", "7d3c1a9e-0000-4000-8000-000000000000", env=env)
    assert unknown.code == 1 and "apikeys list --account" in unknown.err
    nobody = await portside("apikeys", "list", "--account", "nobody", env=env)
    assert nobody.code == 1 and "account nobody not found" in nobody.err
