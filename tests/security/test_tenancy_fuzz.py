"""One account can never read or change another's resources, fuzzed: Bob's key sends schemathesis-generated
requests to every operation, aimed at Alice's store, order, shipment, webhook and product ids (and her
store id in every query that takes one), on real Postgres. No answer is a success on her resources, no
answer carries her data, and everything of hers reads the same afterwards.

tests/http/test_routes.py walks each route once with fixed requests on the memory adapter; this adds
generated bodies and queries, Postgres, and a check of every byte answered.
"""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
import pytest
import requests

from tests.reliability.support import SOAK

from .support import World, build_world, fuzz_operations, ids_in, openapi_document, service_on

pytestmark = pytest.mark.postgres

EXAMPLES = 100 if SOAK else 12
# A SKU names a product in the caller's own catalog, a carrier the caller's own settings for it.
OWN_NAMESPACE = {"/v1/catalog/products/{sku}", "/v1/carriers/{carrier}/settings"}


def fuzz_as_bob(base_url: str, document: dict[str, Any], alice: World, bob: World, secrets: list[str]) -> int:
    session = requests.Session()
    headers = {"Authorization": f"Bearer {bob.key}"}

    def aimed_at_alice(operation: Any) -> bool:
        public = ("/v1/pickup-points", "/healthz", "/readyz", "/metrics", "/v1/openapi")
        return not operation.path.startswith(public) and ("{" in operation.path or operation.method.upper() == "GET")

    def exercise(operation: Any, case: Any, _: bool) -> None:
        if case.path_parameters is not None:
            case.path_parameters = {**case.path_parameters, **ids_in(operation.path, alice)}
        if _takes_store_id(document, operation):
            case.query = {**(case.query or {}), "store_id": alice.store_id}
        response = case.call(base_url=base_url, session=session, headers=headers, timeout=30)
        where = f"{case.method} {case.formatted_path} {case.query or ''}"
        assert response.status_code < 500, (where, response.status_code, response.text[:300])
        if "{" in operation.path and operation.path not in OWN_NAMESPACE:
            assert not 200 <= response.status_code < 300, (where, response.status_code, response.text[:300])
        leaked = [s for s in secrets if s in response.text]
        assert not leaked, (where, leaked)

    operations, sent = fuzz_operations(document, exercise, examples=EXAMPLES, keep=aimed_at_alice)
    assert operations >= 20
    return sent


def _takes_store_id(document: dict[str, Any], operation: Any) -> bool:
    spec = document["paths"][operation.path][operation.method.lower()]
    return any(p.get("name") == "store_id" and p.get("in") == "query" for p in spec.get("parameters", []))


async def _alice_view(svc_url: str, alice: World) -> list[Any]:
    headers = {"Authorization": f"Bearer {alice.key}"}
    paths = [
        f"/v1/stores/{alice.store_id}",
        f"/v1/stores/{alice.store_id}/status-mapping",
        f"/v1/orders/{alice.order_id}",
        f"/v1/orders/{alice.order_id}/activity",
        f"/v1/orders/{alice.shipped_order_id}/shipments",
        f"/v1/shipments/{alice.shipment_id}",
        f"/v1/webhooks/{alice.webhook_id}",
        f"/v1/catalog/products/{alice.sku}",
        "/v1/webhooks",
        "/v1/stores",
    ]
    seen = []
    async with aiohttp.ClientSession(base_url=svc_url, headers=headers) as http:
        for path in paths:
            async with http.get(path) as response:
                assert response.status == 200, (path, response.status)
                seen.append(await response.json())
    return seen


async def test_bob_never_reads_or_changes_anything_of_alices(pg_dsn: str, tmp_path: Any) -> None:
    async with service_on(pg_dsn, tmp_path, seed=71, orders=50) as (svc, sandbox):
        alice = await build_world(svc, sandbox, "alice")
        bob = await build_world(svc, sandbox, "bob")
        before = await _alice_view(svc.url, alice)
        document = await openapi_document(svc)
        # Values only Alice's answers may carry (ids Bob sends himself may be echoed in a 404).
        private = [alice.key, alice.webhook_secret, "alice's shop", "alice's product", alice.account_id]
        sent = await asyncio.to_thread(fuzz_as_bob, svc.url, document, alice, bob, private)
        assert sent >= 20 * 5
        assert await _alice_view(svc.url, alice) == before
