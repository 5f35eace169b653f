"""Stores: connect (credentials proven first), list, read, change, deactivate."""

from __future__ import annotations

from aiohttp import web

from portside.core.model import Store, SyncReport
from portside.core.ports import UnitOfWork
from portside.core.services.stores import StoreChanges, StoreDraft, connect_store, update_store
from portside.core.services.tenancy import owned_store

from ...outbound import url_leaves
from ..channels import installed, offered, verifier
from ..decoding import read_json
from ..project import project
from ..respond import json_response
from ..routing import Body, Operation, Reply
from ..schemas.stores import StoreCreate, StoreJson, StoreList, StorePatch, SyncReportJson
from ..state import OUTBOUND, PORTSIDE, account_id


def store_json(store: Store, last_sync: SyncReport | None = None) -> StoreJson:
    # StoreJson has no credentials field: no route ever returns them.
    latest = None if last_sync is None else project(SyncReportJson, last_sync)
    return project(StoreJson, store, settings=dict(store.settings), last_sync=latest)


async def last_sync(u: UnitOfWork, store_id: str) -> SyncReport | None:
    reports = await u.sync_reports.find(store_id, limit=1)
    return reports[0] if reports else None


async def create_store(request: web.Request) -> web.Response:
    body = await read_json(request, StoreCreate)
    await request.app[OUTBOUND].check_all(url_leaves(body.settings, "settings"))  # before verify calls them
    app = request.app[PORTSIDE]
    store = await connect_store(
        account_id(request),
        project(StoreDraft, body),
        channels=offered(request),
        verify=verifier(request),
        uow=app.uow,
        clock=app.clock,
    )
    return json_response(store_json(store), status=201, headers={"Location": f"/v1/stores/{store.id}"})


async def list_stores(request: web.Request) -> web.Response:
    async with request.app[PORTSIDE].uow() as u:
        stores = await u.stores.find(account_id=account_id(request))
        items = [store_json(s, await last_sync(u, s.id)) for s in stores]
    return json_response(StoreList(items=items))


async def get_store(request: web.Request) -> web.Response:
    async with request.app[PORTSIDE].uow() as u:
        store = await owned_store(u, account_id(request), request.match_info["id"])
        latest = await last_sync(u, store.id)
    return json_response(store_json(store, latest))


async def _change(request: web.Request, changes: StoreChanges) -> web.Response:
    app = request.app[PORTSIDE]
    store = await update_store(
        account_id(request),
        request.match_info["id"],
        changes,
        channels=installed(request),
        verify=verifier(request),
        uow=app.uow,
        clock=app.clock,
    )
    async with app.uow() as u:
        latest = await last_sync(u, store.id)
    return json_response(store_json(store, latest))


async def patch_store(request: web.Request) -> web.Response:
    async with request.app[PORTSIDE].uow() as u:  # 404 before 422: the id is checked first
        await owned_store(u, account_id(request), request.match_info["id"])
    body = await read_json(request, StorePatch)
    await request.app[OUTBOUND].check_all(url_leaves(body.settings, "settings"))
    return await _change(request, project(StoreChanges, body))


async def delete_store(request: web.Request) -> web.Response:
    return await _change(request, StoreChanges(active=False))


STORE_LINKS = (
    "getStore",
    "updateStore",
    "deactivateStore",
    "getStatusMapping",
    "setStatusMapping",
    "syncStore",
    "listSyncs",
    "listQuarantine",
)


def operations() -> list[Operation]:
    one = {200: Reply("the store", StoreJson)}
    return [
        Operation(
            "POST",
            "/v1/stores",
            create_store,
            "createStore",
            "Connect a store",
            "stores",
            {
                201: Reply(
                    "the store, due for its first sync now",
                    StoreJson,
                    headers={"Location": "the store's URL"},
                    links=STORE_LINKS,
                )
            },
            description="Checks the credentials with the marketplace before saving; a refusal is a 422 "
            "carrying the marketplace's reason. Credentials are encrypted at rest and never returned. A seller "
            "(Cdiscount: seller id on one API and sales channel; Mirakl: shop on one operator instance) this "
            "account already connects, in an active or inactive store, is a 409 naming that store.",
            body=Body(StoreCreate),
            problems=(409, 503),
        ),
        Operation(
            "GET", "/v1/stores", list_stores, "listStores", "List stores", "stores", {200: Reply("stores", StoreList)}
        ),
        Operation("GET", "/v1/stores/{id}", get_store, "getStore", "Read a store", "stores", one),
        Operation(
            "PATCH",
            "/v1/stores/{id}",
            patch_store,
            "updateStore",
            "Change a store",
            "stores",
            one,
            description="Name, credentials, settings (carrier and delivery-mode overrides live there), acceptance "
            "policy, sync interval, active. New credentials or settings are checked with the marketplace first; "
            "pointing the store at a seller another store of the account connects is a 409 naming that store, as "
            "is new credentials or settings combined with another request's, saved while these were checked.",
            body=Body(StorePatch),
            problems=(409, 503),
        ),
        Operation(
            "DELETE",
            "/v1/stores/{id}",
            delete_store,
            "deactivateStore",
            "Deactivate a store",
            "stores",
            {200: Reply("the store, inactive: no more syncs; its orders and history are kept", StoreJson)},
        ),
    ]
