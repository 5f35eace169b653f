"""Schemathesis against ``/v1/openapi.json`` with a valid key, on real Postgres with real data: for every
operation, generated requests (half of them aimed at the tenant's real resources) never get a 5xx, and
every answer matches the document (status, content type, headers, body schema).

The service runs in this process (its real composition root); its outbound HTTP can reach loopback only,
since a generated store may name any marketplace URL. Reduced: 25 examples an operation; soak: 150.
"""

from __future__ import annotations

import asyncio
import re
from typing import Any

import aiohttp
import hypothesis
import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given
from hypothesis import strategies as st
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from portside.channels.cdiscount.sandbox import SandboxConfig, start_sandbox
from tests.reliability.support import SOAK, new_secret_key, portside_env, settings_from

from .support import World, build_world, service

pytestmark = pytest.mark.postgres

EXAMPLES = 150 if SOAK else 25


def not_a_server_error(ctx: Any, response: Any, case: Any) -> bool:
    assert response.status_code < 500, (
        f"{case.method} {case.formatted_path}: {response.status_code} {response.text[:500]}"
    )
    return True


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


def _real_ids(path: str, world: World) -> dict[str, str]:
    """Path parameters naming the tenant's real resources, by what the path is about."""
    values: dict[str, str] = {}
    for name in re.findall(r"{(\w+)}", path):
        if name == "sku":
            values[name] = world.sku
        elif name == "carrier":
            values[name] = "mondial_relay"
        elif path.startswith("/v1/stores"):
            values[name] = world.store_id
        elif path.startswith("/v1/shipments"):
            values[name] = world.shipment_id
        elif path.startswith("/v1/webhooks"):
            values[name] = world.webhook_id
        elif path.startswith("/v1/orders"):
            values[name] = world.order_id
        else:
            values[name] = "005680"
    return values


def fuzz(base_url: str, document: dict[str, Any], world: World) -> int:
    """Run every operation's property test; return how many requests were sent."""
    schema = schemathesis.openapi.from_dict(document)
    # NUL characters are a known 500 (Postgres text cannot hold them), tested apart in
    # test_nul_characters_are_refused_not_a_500 below; leave them out so the fuzzer looks further.
    schema.config.generation.update(allow_x00=False)
    session = requests.Session()
    headers = {"Authorization": f"Bearer {world.key}"}
    sent = 0
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 25

    def property_test(operation: Any) -> Any:
        @hypothesis.settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=not SOAK,
            suppress_health_check=list(HealthCheck),
            phases=[hypothesis.Phase.generate],
        )
        @given(case=operation.as_strategy(), aimed=st.booleans())
        def check(case: Any, aimed: bool) -> None:
            nonlocal sent
            if aimed and case.path_parameters is not None:
                case.path_parameters = {**case.path_parameters, **_real_ids(operation.path, world)}
            response = case.call(base_url=base_url, session=session, headers=headers, timeout=30)
            sent += 1
            case.validate_response(response, checks=CHECKS)

        return check

    for operation in operations:
        property_test(operation)()
    return sent


async def test_generated_requests_never_get_a_5xx_and_every_answer_matches_the_document(
    pg_dsn: str, tmp_path: Any
) -> None:
    settings = settings_from(portside_env(pg_dsn, new_secret_key(), tmp_path / "data"))
    sandbox = await start_sandbox(SandboxConfig(seed=61, orders=60, token_cap_per_hour=100_000))
    try:
        async with service(settings) as svc:
            world = await build_world(svc, sandbox, "fuzzed")
            async with aiohttp.ClientSession() as http, http.get(svc.url + "/v1/openapi.json") as response:
                document = await response.json()
            sent = await asyncio.to_thread(fuzz, svc.url, document, world)
            assert sent >= 25 * 10
    finally:
        await sandbox.close()


NUL_CASES = [
    ("PUT", "/v1/stores/{store}/status-mapping", {"overrides": {"A\x00": "on_hold"}}),
    ("PATCH", "/v1/orders/{order}", {"internal_notes": "a\x00b"}),
    ("PATCH", "/v1/stores/{store}", {"name": "a\x00b"}),
    ("PUT", "/v1/catalog/products/SKU%00X", {"title": "x"}),
    ("PUT", "/v1/catalog/products/SKUX", {"title": "x\x00"}),
    ("POST", "/v1/orders/{order}/shipments", {"carrier": "colissimo", "tracking_number": "A\x00B"}),
    ("POST", "/v1/webhooks", {"url": "http://127.0.0.1/\x00", "events": ["order.created"]}),
    ("GET", "/v1/stores/%00", None),
    ("GET", "/v1/webhooks/a%00", None),
    ("GET", "/v1/orders?store_id=%00", None),
]


@pytest.mark.xfail(
    strict=True,
    reason="a NUL character (U+0000) in a body, path or query is a 500: Postgres text and jsonb cannot hold "
    "it and nothing at the API's edge refuses it (found by the fuzzer above)",
)
async def test_nul_characters_are_refused_not_a_500(pg_dsn: str, tmp_path: Any) -> None:
    settings = settings_from(portside_env(pg_dsn, new_secret_key(), tmp_path / "data"))
    sandbox = await start_sandbox(SandboxConfig(seed=67, orders=40, token_cap_per_hour=100_000))
    try:
        async with service(settings) as svc:
            world = await build_world(svc, sandbox, "nul")
            answers = {}
            headers = {"Authorization": f"Bearer {world.key}"}
            async with aiohttp.ClientSession(base_url=svc.url, headers=headers) as http:
                for method, template, body in NUL_CASES:
                    path = template.format(**world.path_values())
                    async with http.request(method, yarl_encoded(path), json=body) as response:
                        answers[f"{method} {template}"] = response.status
            assert {case: status for case, status in answers.items() if status >= 500} == {}
            assert all(status in (404, 422) for status in answers.values()), answers
    finally:
        await sandbox.close()


def yarl_encoded(path: str) -> Any:
    import yarl

    return yarl.URL(path, encoded=True)
