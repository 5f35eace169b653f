"""An account lists its API keys (never a key or its hash) and revokes them, the one in use included:
revocation takes effect at the next request."""

from __future__ import annotations

from portside.core.services.accounts import create_api_key
from portside.entrypoints.application import Portside

from .support import Api, Tenant


async def test_the_list_shows_each_key_by_its_prefix_never_the_key(
    alice: Tenant, bob: Tenant, portside: Portside
) -> None:
    record, key = await create_api_key(alice.account_id, uow=portside.uow, clock=portside.clock, label="platform")
    listed = (await alice.api.get("/v1/api-keys")).json["items"]
    assert sorted(k["label"] for k in listed) == ["platform", "tests"]
    assert next(k for k in listed if k["id"] == record.id) == {
        "id": record.id,
        "prefix": key[:12],
        "label": "platform",
        "created_at": "2026-11-02T09:00:00Z",
        "revoked_at": None,
        "active": True,
    }
    text = str(listed)
    assert key not in text and alice.key not in text and record.key_hash not in text
    assert record.id not in str((await bob.api.get("/v1/api-keys")).json)  # Bob sees his own only


async def test_a_revoked_key_is_refused_at_its_next_request(alice: Tenant, portside: Portside, api: Api) -> None:
    record, key = await create_api_key(alice.account_id, uow=portside.uow, clock=portside.clock)
    other = api.as_(key)
    assert (await other.get("/v1/stores")).status == 200
    revoked = (await alice.api.delete(f"/v1/api-keys/{record.id}")).json
    assert revoked["id"] == record.id and revoked["active"] is False and revoked["revoked_at"] == "2026-11-02T09:00:00Z"
    (await other.get("/v1/stores")).problem(401)
    again = await alice.api.delete(f"/v1/api-keys/{record.id}")  # nothing changes
    assert again.status == 200 and again.json == revoked
    assert (await alice.api.get("/v1/stores")).status == 200


async def test_revoking_the_key_in_use_answers_then_refuses_it(alice: Tenant, portside: Portside) -> None:
    mine = next(k for k in (await alice.api.get("/v1/api-keys")).json["items"] if alice.key.startswith(k["prefix"]))
    answer = await alice.api.delete(f"/v1/api-keys/{mine['id']}")
    assert answer.status == 200 and answer.json["active"] is False
    problem = (await alice.api.get("/v1/api-keys")).problem(401)
    assert "revoked" in problem["detail"]


async def test_another_accounts_key_is_not_found_and_keeps_working(alice: Tenant, bob: Tenant) -> None:
    bobs = (await bob.api.get("/v1/api-keys")).json["items"][0]
    (await alice.api.delete(f"/v1/api-keys/{bobs['id']}")).problem(404)
    assert (await bob.api.get("/v1/api-keys")).json["items"][0]["active"] is True
