"""Every route from the route table: no key, a bad key or a revoked key is a 401; another account's
ids are 404s that change nothing; bad input is a 4xx naming the fields and stores nothing."""

from __future__ import annotations

import re

from portside.entrypoints.application import Portside

from .support import Api, Snapshot, Tenant
from .tour import BODIES, RAW_BODIES, World, api_operations, send

FAKE_ID = "7d3c1a9e-0000-4000-8000-000000000000"


async def test_every_route_needs_a_valid_key(api: Api, alice: Tenant, portside: Portside, world: World) -> None:
    from portside.core.services.accounts import create_api_key

    revoked_record, revoked = await create_api_key(alice.account_id, uow=portside.uow, clock=portside.clock)
    async with portside.uow() as u:
        await u.api_keys.revoke(revoked_record.id, at=portside.clock.now())
        await u.commit()
    headers = [
        ({}, False),
        ({"Authorization": "Token " + alice.key}, True),
        ({"Authorization": "Bearer"}, True),
        ({"Authorization": f"Bearer {alice.key} extra"}, True),
        ({"Authorization": "Bearer ps_live_unknown-key"}, True),
        ({"Authorization": f"Bearer {revoked}"}, True),
    ]
    operations = api_operations()
    assert len(operations) >= 25
    for op in operations:
        for sent, invalid in headers:
            answer = await api.call(op.method, world.path(op), headers=sent)
            problem = answer.problem(401)
            challenge = answer.headers["WWW-Authenticate"]
            assert challenge.startswith("Bearer"), challenge
            assert ('error="invalid_token"' in challenge) == invalid, (op.path, sent)
            assert alice.key not in problem["detail"]


async def test_another_accounts_ids_are_not_found_and_nothing_changes(
    bob: Tenant, world: World, snapshot: Snapshot
) -> None:
    before = await snapshot()
    checked = 0
    for op in api_operations():
        if not op.path_params or op.path.startswith("/v1/pickup-points"):
            continue
        if op.operation_id in ("putProduct", "putCarrierSettings"):
            continue  # a SKU, a carrier: names in the caller's own namespace, Bob's PUT creates his own
        for order in (world.order, world.waiting_order):
            path = world.path(op, order=order)
            answer = await send(bob, op, path)
            problem = answer.problem(404)
            assert "not found" in problem["detail"], (op.path, problem)
            checked += 1
    assert checked >= 30
    assert await snapshot() == before
    for listing in ("/v1/stores", "/v1/orders", "/v1/webhooks"):
        assert (await bob.api.get(listing)).json["items"] == []
    (await bob.api.get("/v1/orders", params={"store_id": world.store})).problem(404)


async def test_unknown_ids_are_not_found(alice: Tenant, world: World) -> None:
    for op in api_operations():
        if not op.path_params or op.path.startswith("/v1/pickup-points") or op.operation_id == "putProduct":
            continue
        for bogus in (FAKE_ID, "not-a-uuid"):
            answer = await send(alice, op, re.sub(r"{(id|sku|carrier)}", bogus, op.path))
            answer.problem(404)


async def test_bad_bodies_are_refused_naming_fields_and_store_nothing(
    alice: Tenant, world: World, snapshot: Snapshot
) -> None:
    before = await snapshot()
    with_bodies = [op for op in api_operations() if op.body is not None]
    assert {op.operation_id for op in with_bodies} == set(BODIES) | set(RAW_BODIES)
    for op in with_bodies:
        path = world.path(op, order=world.waiting_order if op.operation_id in ("acceptOrder", "refuseOrder") else None)
        if op.body is not None and op.body.schema is None:
            (await send(alice, op, path, data=b"x", headers={"Content-Type": "application/pdf"})).problem(415)
            continue
        malformed = await send(alice, op, path, data=b'{"oops":', headers={"Content-Type": "application/json"})
        malformed.problem(400)
        wrong_media = await send(
            alice, op, path, data=b"name=x", headers={"Content-Type": "application/x-www-form-urlencoded"}
        )
        wrong_media.problem(415)
        not_object = (await send(alice, op, path, json=[1, 2])).problem(422)
        assert not_object["errors"], op.path
        unknown = (await send(alice, op, path, json={**BODIES[op.operation_id], "bogus_field": 1})).problem(422)
        assert "bogus_field" in unknown["errors"], (op.path, unknown)
    assert await snapshot() == before


async def test_unknown_query_parameters_are_named(alice: Tenant, world: World) -> None:
    for op in api_operations():
        if op.query is None or op.method != "GET":
            continue
        problem = (await send(alice, op, world.path(op), params={"bogus": "1"})).problem(422)
        assert "bogus" in problem["errors"], op.path
