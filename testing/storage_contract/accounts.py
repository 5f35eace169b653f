"""Contract tests for accounts, API keys, idempotent responses, webhooks and event publishing."""

from __future__ import annotations

import pytest

from portside.core.errors import Conflict, NotFound
from portside.core.model import Account, ActivityKind, ApiKey, WebhookEvent, WebhookSubscription
from portside.core.ports import IdempotentResponse, UnitOfWorkFactory

from ._support import at, committed, make_activity, new_id, read

ORDER = "2f7e4c2e-5d0c-4a5e-9a55-5f2d7c1b0a01"


def _key(account_id: str, key_hash: str, **kw: object) -> ApiKey:
    return ApiKey(id=new_id(), account_id=account_id, prefix=key_hash[:8], key_hash=key_hash, created_at=at(), **kw)  # type: ignore[arg-type]


def _hook(account_id: str, **kw: object) -> WebhookSubscription:
    fields: dict[str, object] = {
        "id": new_id(),
        "account_id": account_id,
        "url": "https://platform.example/hooks",
        "secret": "whsec-very-secret-value",
        "events": (WebhookEvent.order_created, WebhookEvent.shipment_notified),
        "created_at": at(),
        **kw,
    }
    return WebhookSubscription(**fields)  # type: ignore[arg-type]


class AccountContract:
    async def test_accounts_and_their_keys(self, uow_factory: UnitOfWorkFactory) -> None:
        account = Account(id="acct-a", name="Boutique A", created_at=at())
        await committed(uow_factory, lambda u: u.accounts.add(account))
        with pytest.raises(Conflict):
            await committed(uow_factory, lambda u: u.accounts.add(account))
        assert await read(uow_factory, lambda u: u.accounts.get("acct-a")) == account
        assert await read(uow_factory, lambda u: u.accounts.get("nope")) is None

        first, second = _key("acct-a", "a" * 64, label="ci"), _key("acct-a", "b" * 64)
        await committed(uow_factory, lambda u: u.api_keys.add(first))
        await committed(uow_factory, lambda u: u.api_keys.add(second))
        with pytest.raises(Conflict):  # the same secret twice would make a key ambiguous
            await committed(uow_factory, lambda u: u.api_keys.add(_key("acct-a", "a" * 64)))
        assert await read(uow_factory, lambda u: u.api_keys.find_by_hash("a" * 64)) == first
        assert await read(uow_factory, lambda u: u.api_keys.find_by_hash("c" * 64)) is None

        await committed(uow_factory, lambda u: u.api_keys.revoke(first.id, at=at(10)))
        await committed(uow_factory, lambda u: u.api_keys.revoke(first.id, at=at(20)))  # the first revocation stands
        revoked = await read(uow_factory, lambda u: u.api_keys.find_by_hash("a" * 64))
        assert revoked is not None and revoked.revoked_at == at(10) and not revoked.active
        with pytest.raises(NotFound):
            await committed(uow_factory, lambda u: u.api_keys.revoke("no-such-key", at=at()))
        listed = await read(uow_factory, lambda u: u.api_keys.list_for_account("acct-a"))
        assert {k.id for k in listed} == {first.id, second.id}


class IdempotencyContract:
    async def test_one_request_holds_a_key_and_its_answer_is_kept(self, uow_factory: UnitOfWorkFactory) -> None:
        def reserve(account: str, key: str, request_hash: str, minute: float, stale_minute: float = -10):  # type: ignore[no-untyped-def]
            return lambda u: u.idempotency.reserve(
                account, key, request_hash, now=at(minute), stale_before=at(stale_minute)
            )

        assert await committed(uow_factory, reserve("a", "k1", "h", 0)) is None  # claimed
        pending = await committed(uow_factory, reserve("a", "k1", "h", 1))
        assert pending is not None and pending.pending and pending.request_hash == "h"
        assert await committed(uow_factory, reserve("b", "k1", "h", 1)) is None  # keys are per account

        answer = IdempotentResponse(
            account_id="a", key="k1", request_hash="h", status=202, body=b'{"id":1}', created_at=at(2)
        )
        await committed(uow_factory, lambda u: u.idempotency.complete(answer))
        assert await committed(uow_factory, reserve("a", "k1", "h2", 3)) == answer
        assert await read(uow_factory, lambda u: u.idempotency.get("a", "k1")) == answer
        await committed(uow_factory, lambda u: u.idempotency.release("a", "k1"))  # an answer is never released
        assert await read(uow_factory, lambda u: u.idempotency.get("a", "k1")) == answer
        assert await read(uow_factory, lambda u: u.idempotency.get("a", "k2")) is None

    async def test_a_failed_or_dead_claim_lets_a_retry_run(self, uow_factory: UnitOfWorkFactory) -> None:
        def reserve(minute: float, stale_minute: float):  # type: ignore[no-untyped-def]
            return lambda u: u.idempotency.reserve("a", "k", "h", now=at(minute), stale_before=at(stale_minute))

        assert await committed(uow_factory, reserve(0, -5)) is None
        await committed(uow_factory, lambda u: u.idempotency.release("a", "k"))
        assert await committed(uow_factory, reserve(1, -4)) is None  # released: claimable again
        assert await committed(uow_factory, reserve(2, -3)) is not None  # held, and not stale yet
        assert await committed(uow_factory, reserve(10, 5)) is None  # the claim from minute 1 is stale


class WebhookContract:
    async def test_subscriptions_round_trip_with_their_secret(self, uow_factory: UnitOfWorkFactory) -> None:
        hook, inactive, elsewhere = _hook("a"), _hook("a", active=False), _hook("b")
        for item in (hook, inactive, elsewhere):
            await committed(uow_factory, lambda u, item=item: u.webhooks.add(item))  # type: ignore[misc]
        with pytest.raises(Conflict):
            await committed(uow_factory, lambda u: u.webhooks.add(hook))
        assert await read(uow_factory, lambda u: u.webhooks.get(hook.id)) == hook
        assert await read(uow_factory, lambda u: u.webhooks.find("a", active=True)) == [hook]
        assert {w.id for w in await read(uow_factory, lambda u: u.webhooks.find("a"))} == {hook.id, inactive.id}
        moved = WebhookSubscription(
            **{**{f: getattr(hook, f) for f in hook.__struct_fields__}, "url": "https://x.example/h"}
        )
        await committed(uow_factory, lambda u: u.webhooks.update(moved))
        assert await read(uow_factory, lambda u: u.webhooks.get(hook.id)) == moved
        with pytest.raises(NotFound):
            await committed(uow_factory, lambda u: u.webhooks.update(_hook("a")))


class EventPublishingContract:
    async def test_activity_is_claimed_once_then_published(self, uow_factory: UnitOfWorkFactory) -> None:
        records = [make_activity(ORDER, at(i), kind=ActivityKind.created) for i in range(5)]
        await committed(uow_factory, lambda u: u.activity.add_many(records))

        claimed = await read(uow_factory, lambda u: u.activity.claim_unpublished(limit=3))
        assert claimed == records[:3]

        async def publish_first_three(u):  # type: ignore[no-untyped-def]
            batch = await u.activity.claim_unpublished(limit=3)
            await u.activity.mark_published([r.id for r in batch])

        await committed(uow_factory, publish_first_three)
        assert await read(uow_factory, lambda u: u.activity.claim_unpublished(limit=10)) == records[3:]
        # Published records stay in the order's history.
        assert await read(uow_factory, lambda u: u.activity.list_for_order(ORDER)) == records
