"""A store's status mapping, on-demand syncs, sync reports and quarantined payloads."""

from __future__ import annotations

from aiohttp import web

from portside.core.errors import Conflict
from portside.core.model import StatusMapping, Store
from portside.core.services.status_mapping import set_status_mapping
from portside.core.services.tenancy import owned_store

from ..decoding import read_json, read_query
from ..project import project
from ..respond import json_response
from ..routing import Body, Operation, Reply
from ..schemas.stores import (
    Limit,
    QuarantinedJson,
    QuarantineList,
    StatusMappingJson,
    StatusMappingPut,
    SyncReportJson,
    SyncReportList,
    SyncStarted,
)
from ..state import PORTSIDE, SYNCS, account_id


async def _store(request: web.Request) -> Store:
    async with request.app[PORTSIDE].uow() as u:
        return await owned_store(u, account_id(request), request.match_info["id"])


def _mapping_json(mapping: StatusMapping, changed: int | None = None) -> StatusMappingJson:
    return StatusMappingJson(
        defaults=dict(mapping.defaults),
        overrides=dict(mapping.overrides),
        effective=mapping.effective(),
        orders_changed=changed,
    )


async def get_mapping(request: web.Request) -> web.Response:
    store = await _store(request)
    defaults = request.app[PORTSIDE].channels.registry.get(store.channel).default_status_mapping
    return json_response(_mapping_json(StatusMapping(defaults=dict(defaults), overrides=dict(store.status_overrides))))


async def put_mapping(request: web.Request) -> web.Response:
    store = await _store(request)
    body = await read_json(request, StatusMappingPut)
    app = request.app[PORTSIDE]
    defaults = app.channels.registry.get(store.channel).default_status_mapping
    mapping, changed = await set_status_mapping(
        store.id, body.overrides, uow=app.uow, clock=app.clock, defaults=defaults
    )
    return json_response(_mapping_json(mapping, changed))


async def start_sync(request: web.Request) -> web.Response:
    store = await _store(request)
    if not store.active:
        raise Conflict(f"store {store.id} is inactive; reactivate it (PATCH active=true) to sync it")
    await request.app[SYNCS].start(store.id)
    reports = f"/v1/stores/{store.id}/syncs"
    return json_response(SyncStarted(store_id=store.id, status="started", reports=reports), status=202)


async def list_syncs(request: web.Request) -> web.Response:
    store = await _store(request)
    query = read_query(request, Limit)
    async with request.app[PORTSIDE].uow() as u:
        reports = await u.sync_reports.find(store.id, limit=query.limit)
    return json_response(SyncReportList(items=[project(SyncReportJson, r) for r in reports]))


async def list_quarantine(request: web.Request) -> web.Response:
    store = await _store(request)
    query = read_query(request, Limit)
    async with request.app[PORTSIDE].uow() as u:
        found = await u.quarantine.find(store.id, limit=query.limit)
    return json_response(QuarantineList(items=[project(QuarantinedJson, p) for p in found]))


def operations() -> list[Operation]:
    mapping = {200: Reply("the channel's defaults, the store's overrides and the effective mapping", StatusMappingJson)}
    return [
        Operation(
            "GET",
            "/v1/stores/{id}/status-mapping",
            get_mapping,
            "getStatusMapping",
            "Read the status mapping",
            "stores",
            mapping,
        ),
        Operation(
            "PUT",
            "/v1/stores/{id}/status-mapping",
            put_mapping,
            "setStatusMapping",
            "Replace the status mapping overrides",
            "stores",
            mapping,
            description="Every value must be a platform status. Stored orders are re-mapped at once "
            "(a local shipped and a channel cancellation are kept); orders_changed says how many changed status.",
            body=Body(StatusMappingPut),
        ),
        Operation(
            "POST",
            "/v1/stores/{id}/sync",
            start_sync,
            "syncStore",
            "Sync a store now",
            "stores",
            {202: Reply("the sync started in the background; its report appears under /syncs", SyncStarted)},
            description="409 while a sync of the store runs (here or in another process), or if the store is inactive. "
            "429 (type sync-too-soon, nothing started) sooner after the store's last sync started than its "
            "marketplace allows (the channel's minimum poll interval: Cdiscount 5 min, Mirakl 1 min or its "
            "profile's); Retry-After gives the seconds until it may run, the detail says when and why.",
            problems=(409, 429),
        ),
        Operation(
            "GET",
            "/v1/stores/{id}/syncs",
            list_syncs,
            "listSyncs",
            "Recent sync reports, newest first",
            "stores",
            {200: Reply("sync reports", SyncReportList)},
            query=Limit,
        ),
        Operation(
            "GET",
            "/v1/stores/{id}/quarantine",
            list_quarantine,
            "listQuarantine",
            "Payloads that could not be mapped, newest first",
            "stores",
            {200: Reply("quarantined payloads (raw as received, base64)", QuarantineList)},
            query=Limit,
        ),
    ]
