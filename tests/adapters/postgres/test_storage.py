"""Postgres-only storage behaviour: encryption at rest, row locks, SKIP LOCKED across live transactions."""

from __future__ import annotations

import asyncio

import asyncpg
import msgspec
import pytest

from portside.adapters.postgres import CipherError, FernetCipher, PostgresUnitOfWorkFactory
from portside.core.model import OrderFlag, PickupCarrier
from portside.testing.orders import make_order
from portside.testing.storage_contract import at, make_message, make_record, make_store

SECRET = "s3cr3t-value"


async def lock_waiter(pool: asyncpg.Pool) -> None:
    """Return once a session of this database waits for a lock (seen by the server, not guessed by a sleep)."""
    sql = "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"

    async def poll() -> None:
        while not await pool.fetchval(sql):
            await asyncio.sleep(0.01)

    await asyncio.wait_for(poll(), timeout=10)


async def test_credentials_are_encrypted_at_rest(
    pg_uow_factory: PostgresUnitOfWorkFactory, pg_pool: asyncpg.Pool
) -> None:
    async with pg_uow_factory() as uow:
        await uow.stores.add(make_store("s1"))
        await uow.commit()
    row = await pg_pool.fetchrow("SELECT credentials, doc::text AS doc FROM portside.stores WHERE id = 's1'")
    assert row["credentials"] is not None
    assert SECRET.encode() not in row["credentials"] and b"client_id" not in row["credentials"]
    assert SECRET not in row["doc"] and "seller-42" not in row["doc"]
    async with pg_uow_factory() as uow:
        store = await uow.stores.get("s1")
    assert store is not None and store.credentials["client_secret"] == SECRET


async def test_credentials_need_the_right_key(pg_pool: asyncpg.Pool, pg_uow_factory: PostgresUnitOfWorkFactory) -> None:
    async with pg_uow_factory() as uow:
        await uow.stores.add(make_store("s1"))
        await uow.commit()
    for cipher in (None, FernetCipher(FernetCipher.generate_key())):
        async with PostgresUnitOfWorkFactory(pg_pool, cipher=cipher)() as uow:
            with pytest.raises(CipherError, match="store s1"):
                await uow.stores.get("s1")
    async with PostgresUnitOfWorkFactory(pg_pool)() as uow:
        with pytest.raises(CipherError, match="no secret key is configured"):
            await uow.stores.add(make_store("s2"))
        await uow.stores.add(make_store("s3", credentials={}))  # nothing to seal: no key needed
        assert (await uow.stores.get("s3")) == make_store("s3", credentials={})


async def test_order_columns_follow_the_document(
    pg_uow_factory: PostgresUnitOfWorkFactory, pg_pool: asyncpg.Pool
) -> None:
    order = msgspec.structs.replace(
        make_order("s1", "CD-1", pickup=PickupCarrier.colissimo), flags=(OrderFlag.unknown_sku.value, 'odd,flag "x"')
    )
    async with pg_uow_factory() as uow:
        await uow.orders.save_many([make_record(order, modified_at=at(3))])
        await uow.commit()
    row = await pg_pool.fetchrow("SELECT * FROM portside.orders")
    assert str(row["id"]) == order.id
    assert (row["store_id"], row["channel_order_id"], row["status"]) == ("s1", "CD-1", "awaiting_shipment")
    assert row["flags"] == list(order.flags)
    assert row["pickup_carrier"] == "colissimo"
    assert (row["updated_at"], row["modified_at"]) == (order.updated_at, at(3))


async def test_uncommitted_writes_are_invisible_to_other_units(pg_uow_factory: PostgresUnitOfWorkFactory) -> None:
    async with pg_uow_factory() as writer, pg_uow_factory() as reader:
        await writer.stores.add(make_store("s1"))
        assert await reader.stores.get("s1") is None
        await writer.commit()
        assert await reader.stores.get("s1") is not None


async def test_claimers_in_open_transactions_skip_each_others_rows(pg_uow_factory: PostgresUnitOfWorkFactory) -> None:
    async with pg_uow_factory() as uow:
        for n in range(4):
            await uow.outbox.add(make_message(f"m{n}", available_at=at(0, seconds=n)))
        await uow.commit()
    async with pg_uow_factory() as first, pg_uow_factory() as second:
        mine = await first.outbox.claim(owner="a", now=at(1), lease_s=60, limit=2)
        # The first claim is not committed: its rows are locked, and the second claimer must
        # neither wait for them nor take them.
        theirs = await asyncio.wait_for(second.outbox.claim(owner="b", now=at(1), lease_s=60, limit=10), timeout=5)
        assert [m.id for m in mine] == ["m0", "m1"]
        assert [m.id for m in theirs] == ["m2", "m3"]


async def test_claim_due_skips_stores_being_claimed(pg_uow_factory: PostgresUnitOfWorkFactory) -> None:
    async with pg_uow_factory() as uow:
        for n in range(3):
            await uow.sync_leases.schedule(f"s{n}", at(0, seconds=n))
        await uow.commit()
    async with pg_uow_factory() as first, pg_uow_factory() as second:
        mine = await first.sync_leases.claim_due(owner="a", now=at(1), ttl_s=60, limit=1)
        theirs = await asyncio.wait_for(second.sync_leases.claim_due(owner="b", now=at(1), ttl_s=60, limit=5), 5)
        assert (mine, theirs) == (["s0"], ["s1", "s2"])


async def test_a_second_acquirer_waits_then_loses(
    pg_uow_factory: PostgresUnitOfWorkFactory, pg_pool: asyncpg.Pool
) -> None:
    async with pg_uow_factory() as first, pg_uow_factory() as second:
        assert await first.sync_leases.acquire("s1", owner="a", now=at(0), ttl_s=60)
        contender = asyncio.create_task(second.sync_leases.acquire("s1", owner="b", now=at(0), ttl_s=60))
        await lock_waiter(pg_pool)  # the row is locked by the first, still open, transaction
        assert not contender.done()
        await first.commit()
        assert await asyncio.wait_for(contender, timeout=5) is False


async def test_for_update_holds_the_row_until_the_unit_ends(
    pg_uow_factory: PostgresUnitOfWorkFactory, pg_pool: asyncpg.Pool
) -> None:
    order = make_order("s1", "CD-1")
    async with pg_uow_factory() as uow:
        await uow.orders.save_many([make_record(order)])
        await uow.commit()
    async with pg_uow_factory() as first, pg_uow_factory() as second:
        assert await first.orders.get(order.id, for_update=True) is not None
        assert await second.orders.get(order.id) is not None  # plain reads never wait
        waiting = asyncio.create_task(second.orders.get_by_channel_ids("s1", ["CD-1"], for_update=True))
        await lock_waiter(pg_pool)
        assert not waiting.done()
        await first.rollback()
        assert list(await asyncio.wait_for(waiting, timeout=5)) == ["CD-1"]


async def test_units_give_their_connection_back(
    pg_uow_factory: PostgresUnitOfWorkFactory, pg_pool: asyncpg.Pool
) -> None:
    for _ in range(pg_pool.get_max_size() + 2):
        with pytest.raises(RuntimeError, match="boom"):
            async with pg_uow_factory() as uow:
                await uow.stores.get("s1")
                raise RuntimeError("boom")
    assert pg_pool.get_idle_size() == pg_pool.get_size()
    uow = pg_uow_factory()
    with pytest.raises(RuntimeError, match="not open"):
        await uow.commit()


async def test_webhook_secrets_are_encrypted_at_rest(
    pg_uow_factory: PostgresUnitOfWorkFactory, pg_pool: asyncpg.Pool
) -> None:
    from portside.core.model import WebhookEvent, WebhookSubscription

    hook = WebhookSubscription(
        id="w1",
        account_id="a",
        url="https://platform.example/hooks",
        secret="whsec-do-not-leak",
        events=(WebhookEvent.order_created,),
        created_at=at(),
    )
    async with pg_uow_factory() as uow:
        await uow.webhooks.add(hook)
        await uow.commit()
    row = await pg_pool.fetchrow("SELECT secret, doc::text AS doc FROM portside.webhooks WHERE id = 'w1'")
    assert b"whsec-do-not-leak" not in row["secret"] and "whsec-do-not-leak" not in row["doc"]
    async with pg_uow_factory() as uow:
        assert await uow.webhooks.get("w1") == hook


async def test_carrier_settings_are_encrypted_at_rest(
    pg_uow_factory: PostgresUnitOfWorkFactory, pg_pool: asyncpg.Pool
) -> None:
    from portside.testing.storage_contract.carrier_settings import SECRET as CARRIER_SECRET
    from portside.testing.storage_contract.carrier_settings import make_carrier_settings

    item = make_carrier_settings("a1")
    async with pg_uow_factory() as uow:
        await uow.carrier_settings.put(item)
        await uow.commit()
    row = await pg_pool.fetchrow("SELECT settings, doc::text AS doc FROM portside.carrier_settings")
    assert CARRIER_SECRET.encode() not in row["settings"] and b"BDTEST13" not in row["settings"]
    assert CARRIER_SECRET not in row["doc"] and "BDTEST13" not in row["doc"]
    dump = await pg_pool.fetchval("SELECT string_agg(t::text, '|') FROM portside.carrier_settings t")
    assert CARRIER_SECRET not in dump
    async with pg_uow_factory() as uow:
        assert await uow.carrier_settings.get("a1", "mondial_relay") == item
    for cipher in (None, FernetCipher(FernetCipher.generate_key())):
        async with PostgresUnitOfWorkFactory(pg_pool, cipher=cipher)() as uow:
            with pytest.raises(CipherError, match="carrier settings mondial_relay of account a1"):
                await uow.carrier_settings.find("a1")
    async with PostgresUnitOfWorkFactory(pg_pool)() as uow:
        with pytest.raises(CipherError, match="no secret key is configured"):
            await uow.carrier_settings.put(make_carrier_settings("a2"))


async def test_a_relaxed_unit_of_work_turns_off_synchronous_commit_for_its_transactions_only(pg_dsn: str) -> None:
    from portside.adapters.postgres.pool import create_pool

    # One connection, synchronous commits on (the test server turns them off globally for speed).
    pool = await create_pool(pg_dsn, min_size=1, max_size=1, server_settings={"synchronous_commit": "on"})
    factory = PostgresUnitOfWorkFactory(pool)
    try:
        async with factory() as uow:
            uow.relax_durability()
            conn = await uow.stores._conn()  # type: ignore[attr-defined]
            assert await conn.fetchval("SHOW synchronous_commit") == "off"
            await uow.commit()
            conn = await uow.stores._conn()  # type: ignore[attr-defined]
            assert await conn.fetchval("SHOW synchronous_commit") == "off"  # every transaction of the unit
        async with factory() as uow:
            conn = await uow.stores._conn()  # type: ignore[attr-defined]
            assert await conn.fetchval("SHOW synchronous_commit") == "on"  # SET LOCAL: gone with the unit
    finally:
        await pool.close()
