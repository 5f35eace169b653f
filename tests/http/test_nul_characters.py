"""A NUL character (U+0000) from a client is refused at the edge, route by route: Postgres text and jsonb
cannot hold one, so past the edge it would fail a transaction (a 500). JSON bodies, path parameters and
query strings get a 422 naming the field or parameter and change nothing; a bulk import rejects the row
naming its column and stores the others. The six characters ``\\u0000`` as text are no NUL and pass."""

from __future__ import annotations

import json
import re
from typing import Any

from portside.entrypoints.application import Portside

from .support import Snapshot, Tenant
from .tour import BODIES, World, api_operations, send

NUL_PROBLEM = "holds a NUL character (U+0000), which cannot be stored"


def _with_nul(body: Any) -> tuple[Any, str]:
    """``body`` with a NUL in its first string value, and that value's field path."""
    for key, value in body.items():
        if isinstance(value, str):
            return {**body, key: value + "\x00"}, key
        if isinstance(value, dict) and value:
            inner, path = _with_nul(value)
            return {**body, key: inner}, f"{key}.{path}"
        if isinstance(value, list) and value and isinstance(value[0], str):
            return {**body, key: [value[0] + "\x00", *value[1:]]}, f"{key}[0]"
    return {**body, "x\x00": 1}, "body"  # no string to spoil: a key holding the NUL


async def test_json_bodies_holding_a_nul_are_refused_naming_the_field(
    alice: Tenant, world: World, snapshot: Snapshot
) -> None:
    before = await snapshot()
    checked = 0
    for op in api_operations():
        if op.operation_id not in BODIES:
            continue
        path = world.path(op, order=world.waiting_order if op.operation_id in ("acceptOrder", "refuseOrder") else None)
        body, field = _with_nul(BODIES[op.operation_id])
        problem = (await send(alice, op, path, json=body)).problem(422)
        expected = NUL_PROBLEM if field != "body" else "a key holds a NUL character (U+0000), which cannot be stored"
        assert problem["errors"] == {field: expected}, (op.operation_id, problem)
        checked += 1
    assert checked == len(BODIES)
    keyed = await alice.api.put(f"/v1/stores/{world.store}/status-mapping", json={"overrides": {"A\x00": "on_hold"}})
    assert keyed.problem(422)["errors"] == {"overrides": "a key holds a NUL character (U+0000), which cannot be stored"}
    assert await snapshot() == before


async def test_path_and_query_parameters_holding_a_nul_are_refused_naming_them(
    alice: Tenant, world: World, snapshot: Snapshot
) -> None:
    before = await snapshot()
    spoiled = 0
    for op in api_operations():
        template = re.escape(op.path).replace(r"\{", "{").replace(r"\}", "}")
        pattern = re.sub(r"{(\w+)}", r"(?P<\1>[^/]+)", template)
        match = re.fullmatch(pattern, world.path(op))
        assert match is not None, op.path
        for name in op.path_params:
            values = {**match.groupdict(), name: "a%00b"}
            path = re.sub(r"{(\w+)}", lambda m, v=values: v[m.group(1)], op.path)
            problem = (await send(alice, op, path)).problem(422)
            assert problem["errors"] == {name: NUL_PROBLEM}, (op.path, name, problem)
            spoiled += 1
    assert spoiled >= 25
    with_queries = [op for op in api_operations() if op.query is not None and op.method == "GET"]
    assert with_queries
    for op in with_queries:
        problem = (await send(alice, op, world.path(op), params={"limit": "1\x00"})).problem(422)
        assert problem["errors"] == {"limit": NUL_PROBLEM}, (op.path, problem)
    (await alice.api.get("/v1/orders", params={"store_id": "\x00"})).problem(422)
    assert await snapshot() == before


async def test_backslash_u0000_as_text_is_no_nul(alice: Tenant, world: World) -> None:
    answer = await alice.api.patch(f"/v1/orders/{world.order}", json={"internal_notes": "C:\\u0000"})
    assert answer.status == 200 and answer.json["internal_notes"] == "C:\\u0000", answer.body


async def stored(portside: Portside, tenant: Tenant, skus: list[str]) -> set[str]:
    async with portside.uow() as u:
        return set(await u.catalog.get_many(tenant.account_id, skus))


async def test_bulk_rows_holding_a_nul_are_rejected_naming_the_column_and_the_others_stored(
    alice: Tenant, portside: Portside
) -> None:
    url = "/v1/catalog/products:bulk"
    rows = [{"sku": "J1", "title": "ok"}, {"sku": "J2", "title": "bad\x00"}, {"sku": "J3\x00"}, {"sku": "J4"}]
    ndjson = "".join(json.dumps(row) + "\n" for row in rows)
    report = (await alice.api.post(url, data=ndjson, headers={"Content-Type": "application/x-ndjson"})).json
    assert report["accepted"] == 2, report
    assert {r["row"]: r["errors"] for r in report["rejected"]} == {2: {"title": NUL_PROBLEM}, 3: {"sku": NUL_PROBLEM}}
    csv = "sku,title\r\nC1,ok\r\nC2,bad\x00\r\nC3\x00,x\r\nC4,\r\n"
    report = (await alice.api.post(url, data=csv.encode(), headers={"Content-Type": "text/csv"})).json
    assert report["accepted"] == 2, report
    assert {r["row"]: r["errors"] for r in report["rejected"]} == {2: {"title": NUL_PROBLEM}, 3: {"sku": NUL_PROBLEM}}
    assert await stored(portside, alice, ["J1", "J2", "J4", "C1", "C2", "C4"]) == {"J1", "J4", "C1", "C4"}
