"""Your account's API keys: list them (never the keys themselves), revoke one."""

from __future__ import annotations

from aiohttp import web

from portside.core.errors import NotFound
from portside.core.model import ApiKey
from portside.core.services.accounts import list_api_keys, revoke_api_key

from ..project import project
from ..respond import json_response
from ..routing import Operation, Reply
from ..schemas.api_keys import ApiKeyJson, ApiKeyList
from ..state import PORTSIDE, account_id


def api_key_json(key: ApiKey) -> ApiKeyJson:
    return project(ApiKeyJson, key)


async def list_keys(request: web.Request) -> web.Response:
    keys = await list_api_keys(account_id(request), uow=request.app[PORTSIDE].uow)
    return json_response(ApiKeyList(items=[api_key_json(k) for k in keys]))


async def revoke_key(request: web.Request) -> web.Response:
    app, key_id = request.app[PORTSIDE], request.match_info["id"]
    await revoke_api_key(account_id(request), key_id, uow=app.uow, clock=app.clock)
    revoked = next((k for k in await list_api_keys(account_id(request), uow=app.uow) if k.id == key_id), None)
    if revoked is None:  # pragma: no cover - revoked a moment ago, keys are never deleted
        raise NotFound("api key", key_id)
    return json_response(api_key_json(revoked))


def operations() -> list[Operation]:
    return [
        Operation(
            "GET",
            "/v1/api-keys",
            list_keys,
            "listApiKeys",
            "List your account's API keys",
            "api-keys",
            {200: Reply("every key of your account, revoked ones included, oldest first; never a key", ApiKeyList)},
            description="Keys are made by an operator (`portside apikeys create`); portside keeps only their "
            "SHA-256, so a key cannot be shown again. `prefix` tells them apart.",
        ),
        Operation(
            "DELETE",
            "/v1/api-keys/{id}",
            revoke_key,
            "revokeApiKey",
            "Revoke an API key",
            "api-keys",
            {200: Reply("the key, revoked: every request with it is refused from now on", ApiKeyJson)},
            description="Takes effect at once, on every portside process. You may revoke the key this request "
            "uses: the answer still arrives, the next request with it is a 401. Revoking a revoked key changes "
            "nothing.",
        ),
    ]
