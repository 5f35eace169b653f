"""Contract: outbox messages are leased to one relay at a time, due ones only, expired leases reclaimed."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import msgspec
import pytest

from portside.core.errors import Conflict, NotFound
from portside.core.model import OutboxKind, OutboxMessage, OutboxStatus
from portside.core.ports import UnitOfWorkFactory

from ._support import at, committed, make_message, read


async def _add(uow_factory: UnitOfWorkFactory, *messages: OutboxMessage) -> None:
    async with uow_factory() as uow:
        for message in messages:
            await uow.outbox.add(message)
        await uow.commit()


async def _claim(
    uow_factory: UnitOfWorkFactory,
    owner: str,
    minute: float,
    limit: int = 10,
    kinds: tuple[OutboxKind, ...] | None = None,
) -> list[OutboxMessage]:
    return await committed(
        uow_factory, lambda u: u.outbox.claim(owner=owner, now=at(minute), lease_s=60, limit=limit, kinds=kinds)
    )


def _ids(messages: list[OutboxMessage]) -> list[str]:
    return [m.id for m in messages]


class OutboxContract:
    async def test_round_trips_and_saves(self, uow_factory: UnitOfWorkFactory) -> None:
        message = make_message("m1", payload={"tracking": "6A1", "lines": [{"id": "1", "qty": 2}]})
        await _add(uow_factory, message)
        assert await read(uow_factory, lambda u: u.outbox.get("m1")) == message
        assert await read(uow_factory, lambda u: u.outbox.get("m2")) is None
        done = msgspec.structs.replace(message, status=OutboxStatus.delivered, attempts=1, delivered_at=at(1))
        await committed(uow_factory, lambda u: u.outbox.save(done))
        assert await read(uow_factory, lambda u: u.outbox.get("m1")) == done

    async def test_add_twice_is_a_conflict_and_save_unknown_not_found(self, uow_factory: UnitOfWorkFactory) -> None:
        await _add(uow_factory, make_message("m1"))
        with pytest.raises(Conflict):
            await _add(uow_factory, make_message("m1"))
        with pytest.raises(NotFound):
            await committed(uow_factory, lambda u: u.outbox.save(make_message("ghost")))

    async def test_save_many_saves_each_or_none(self, uow_factory: UnitOfWorkFactory) -> None:
        first = make_message("m1", payload={"tracking": "6A1"})
        second = make_message("m2", store_id="s2", available_at=at(1))
        await _add(uow_factory, first, second)
        delivered = msgspec.structs.replace(first, status=OutboxStatus.delivered, attempts=1, delivered_at=at(2))
        retrying = msgspec.structs.replace(
            second, attempts=3, available_at=at(9), last_error="HTTP 503", outcome_unknown=True
        )
        await committed(uow_factory, lambda u: u.outbox.save_many([retrying, delivered]))
        assert await read(uow_factory, lambda u: u.outbox.get("m1")) == delivered
        assert await read(uow_factory, lambda u: u.outbox.get("m2")) == retrying
        await committed(uow_factory, lambda u: u.outbox.save_many([]))
        # One unknown message: nothing of the call is saved.
        again = msgspec.structs.replace(delivered, attempts=7)
        with pytest.raises(NotFound):
            await committed(uow_factory, lambda u: u.outbox.save_many([again, make_message("ghost")]))
        assert await read(uow_factory, lambda u: u.outbox.get("m1")) == delivered

    async def test_save_many_held_by_saves_only_what_the_relay_still_holds(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        await _add(uow_factory, *(make_message(f"m{i}", available_at=at(i)) for i in range(3)))
        mine = await _claim(uow_factory, "relay-a", minute=5, limit=2)  # m0, m1
        taken = msgspec.structs.replace(mine[1], lease_owner="relay-b")  # claimed again by relay-b
        await committed(uow_factory, lambda u: u.outbox.save(taken))
        settled = [
            msgspec.structs.replace(m, status=OutboxStatus.delivered, lease_owner=None, lease_until=None) for m in mine
        ]
        pending = await read(uow_factory, lambda u: u.outbox.get("m2"))
        assert pending is not None
        saved = await committed(
            uow_factory,
            lambda u: u.outbox.save_many([*settled, msgspec.structs.replace(pending, attempts=5)], held_by="relay-a"),
        )
        assert saved == {"m0"}
        assert await read(uow_factory, lambda u: u.outbox.get("m0")) == settled[0]
        assert await read(uow_factory, lambda u: u.outbox.get("m1")) == taken  # relay-b's to settle
        assert await read(uow_factory, lambda u: u.outbox.get("m2")) == pending  # never claimed: untouched

    async def test_claims_due_pending_messages_oldest_first(self, uow_factory: UnitOfWorkFactory) -> None:
        await _add(
            uow_factory,
            make_message("later", available_at=at(2)),
            make_message("first", available_at=at(0)),
            make_message("future", available_at=at(30)),
            make_message("done", available_at=at(0), status=OutboxStatus.delivered),
            make_message("dead", available_at=at(0), status=OutboxStatus.dead),
        )
        claimed = await _claim(uow_factory, "relay-a", minute=5)
        assert _ids(claimed) == ["first", "later"]
        for message in claimed:
            assert message.status == OutboxStatus.in_flight
            assert message.lease_owner == "relay-a"
            assert message.lease_until == at(5) + timedelta(seconds=60)
        assert await read(uow_factory, lambda u: u.outbox.get("first")) == claimed[0]

    async def test_claim_respects_the_limit(self, uow_factory: UnitOfWorkFactory) -> None:
        await _add(uow_factory, *(make_message(f"m{i}", available_at=at(i)) for i in range(5)))
        assert _ids(await _claim(uow_factory, "relay-a", minute=10, limit=2)) == ["m0", "m1"]
        assert _ids(await _claim(uow_factory, "relay-b", minute=10, limit=2)) == ["m2", "m3"]

    async def test_a_held_lease_is_not_claimed_again(self, uow_factory: UnitOfWorkFactory) -> None:
        await _add(uow_factory, make_message("m1"))
        assert _ids(await _claim(uow_factory, "relay-a", minute=0)) == ["m1"]
        assert await _claim(uow_factory, "relay-b", minute=0.5) == []

    async def test_an_expired_lease_is_claimable_again_keeping_attempts(self, uow_factory: UnitOfWorkFactory) -> None:
        await _add(uow_factory, make_message("m1", attempts=2, outcome_unknown=True, last_error="timeout"))
        await _claim(uow_factory, "relay-a", minute=0)
        again = await _claim(uow_factory, "relay-b", minute=2)  # the 60 s lease ended at minute 1
        assert _ids(again) == ["m1"]
        assert again[0].lease_owner == "relay-b"
        assert (again[0].attempts, again[0].outcome_unknown, again[0].last_error) == (2, True, "timeout")

    async def test_renew_extends_only_the_leases_the_owner_still_holds(self, uow_factory: UnitOfWorkFactory) -> None:
        await _add(uow_factory, *(make_message(f"m{i}", available_at=at(i)) for i in range(3)))
        await _add(uow_factory, make_message("waiting", available_at=at(4)))
        mine = await _claim(uow_factory, "relay-a", minute=5, limit=3)
        assert _ids(mine) == ["m0", "m1", "m2"]
        delivered = msgspec.structs.replace(mine[2], status=OutboxStatus.delivered, lease_owner=None, lease_until=None)
        await committed(uow_factory, lambda u: u.outbox.save(delivered))
        later = at(10)
        renewed = await committed(
            uow_factory,
            lambda u: u.outbox.renew(["m0", "m1", "m2", "waiting", "ghost"], owner="relay-a", until=later),
        )
        assert renewed == {"m0", "m1"}  # not the delivered one, the pending one or an unknown id
        assert (await read(uow_factory, lambda u: u.outbox.get("m0"))).lease_until == later  # type: ignore[union-attr]
        assert await read(uow_factory, lambda u: u.outbox.get("m2")) == delivered
        # Lapsed and claimed by another relay: not the first owner's to renew any more.
        assert _ids(await _claim(uow_factory, "relay-b", minute=11)) == ["m0", "m1", "waiting"]
        assert await committed(uow_factory, lambda u: u.outbox.renew(["m0"], owner="relay-a", until=at(20))) == set()
        assert await committed(uow_factory, lambda u: u.outbox.renew([], owner="relay-a", until=at(20))) == set()

    async def test_kinds_filter(self, uow_factory: UnitOfWorkFactory) -> None:
        await _add(
            uow_factory,
            make_message("ship", kind=OutboxKind.ship_notification),
            make_message("accept", kind=OutboxKind.acceptance),
            make_message("hook", kind=OutboxKind.webhook),
        )
        kinds = (OutboxKind.acceptance, OutboxKind.webhook)
        assert sorted(_ids(await _claim(uow_factory, "relay-a", minute=1, kinds=kinds))) == ["accept", "hook"]
        assert _ids(await _claim(uow_factory, "relay-b", minute=1)) == ["ship"]

    async def test_concurrent_claimers_never_share_a_message(self, uow_factory: UnitOfWorkFactory) -> None:
        await _add(uow_factory, *(make_message(f"m{i:02d}", available_at=at(0, seconds=i)) for i in range(20)))
        batches = await asyncio.gather(*(_claim(uow_factory, f"relay-{n}", minute=5, limit=6) for n in range(4)))
        claimed = [m.id for batch in batches for m in batch]
        assert len(claimed) == len(set(claimed)) == 20

    async def test_find_by_status_and_store(self, uow_factory: UnitOfWorkFactory) -> None:
        await _add(
            uow_factory,
            make_message("b", created_at=at(2)),
            make_message("a", created_at=at(1)),
            make_message("c", created_at=at(3), store_id="store-2"),
            make_message("d", created_at=at(0), status=OutboxStatus.dead, subject_id="shipment-9"),
        )

        async def found(
            status: OutboxStatus | None = None,
            store_id: str | None = None,
            limit: int = 100,
            subject_id: str | None = None,
        ) -> list[str]:
            return _ids(
                await read(
                    uow_factory,
                    lambda u: u.outbox.find(status=status, store_id=store_id, subject_id=subject_id, limit=limit),
                )
            )

        assert await found() == ["d", "a", "b", "c"]
        assert await found(status=OutboxStatus.pending) == ["a", "b", "c"]
        assert await found(status=OutboxStatus.pending, store_id="store-1") == ["a", "b"]
        assert await found(status=OutboxStatus.dead) == ["d"]
        assert await found(limit=1) == ["d"]
        assert await found(subject_id="shipment-9") == ["d"]
        assert await found(subject_id="shipment-9", status=OutboxStatus.pending) == []


class OutboxDepthContract:
    async def test_depth_counts_live_and_dead_messages_per_kind(self, uow_factory: UnitOfWorkFactory) -> None:
        await _add(
            uow_factory,
            make_message("due-old", available_at=at(1)),
            make_message("due-new", available_at=at(4)),
            make_message("later", available_at=at(30)),
            make_message("gone", available_at=at(0), status=OutboxStatus.dead),
            make_message("sent", available_at=at(0), status=OutboxStatus.delivered),
            make_message("hook", available_at=at(2), kind=OutboxKind.webhook),
        )
        await _claim(uow_factory, "relay", minute=5, limit=1)  # takes due-old

        depth = await read(uow_factory, lambda u: u.outbox.depth(now=at(10)))

        assert [d.kind for d in depth] == sorted(d.kind for d in depth)
        by_kind = {d.kind: d for d in depth}
        ship = by_kind[OutboxKind.ship_notification]
        assert (ship.due, ship.scheduled, ship.in_flight, ship.dead) == (1, 1, 1, 1)
        assert ship.oldest_due_age_s == 6 * 60  # due-new, available at minute 4
        hook = by_kind[OutboxKind.webhook]
        assert (hook.due, hook.oldest_due_age_s) == (1, 8 * 60)
