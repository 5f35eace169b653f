"""Carriers' directories per account: whose settings apply, and an account's own settings (set, read, removed)."""

from __future__ import annotations

from aiohttp import web

from portside.core.model import CarrierAccountSettings, PickupCarrier
from portside.core.services.carrier_settings import (
    CarrierStatus,
    carrier_config,
    carrier_statuses,
    delete_carrier_settings,
    get_carrier_settings,
    masked,
    put_carrier_settings,
)

from ..decoding import read_json
from ..project import project
from ..respond import json_response
from ..routing import Body, Operation, Reply
from ..schemas.carriers import CarrierJson, CarrierList, CarrierSettingsJson, CarrierSettingsPut
from ..state import OUTBOUND, PORTSIDE, account_id


def settings_json(item: CarrierAccountSettings, request: web.Request) -> CarrierSettingsJson:
    kind = request.app[PORTSIDE].directories.kinds[item.carrier]
    return project(CarrierSettingsJson, item, settings=masked(item.settings, kind))


async def _statuses(request: web.Request) -> list[CarrierStatus]:
    app = request.app[PORTSIDE]
    return await carrier_statuses(
        account_id(request),
        configs=app.directories.kinds,
        service=app.directories.service_carriers,
        uow=app.uow,
    )


async def list_carriers(request: web.Request) -> web.Response:
    return json_response(CarrierList(items=[project(CarrierJson, s) for s in await _statuses(request)]))


async def get_settings(request: web.Request) -> web.Response:
    app = request.app[PORTSIDE]
    found = await get_carrier_settings(
        account_id(request), request.match_info["carrier"], configs=app.directories.kinds, uow=app.uow
    )
    return json_response(settings_json(found, request))


async def put_settings(request: web.Request) -> web.Response:
    app = request.app[PORTSIDE]
    carrier_config(app.directories.kinds, request.match_info["carrier"])  # 404 before 422: the carrier first
    body = await read_json(request, CarrierSettingsPut)
    if isinstance(url := body.settings.get("url"), str):
        await request.app[OUTBOUND].check(url, field="settings.url")  # before verify calls it
    saved = await put_carrier_settings(
        account_id(request),
        request.match_info["carrier"],
        body.settings,
        configs=app.directories.kinds,
        verify=app.directories.verify if body.verify else None,
        uow=app.uow,
        clock=app.clock,
    )
    return json_response(settings_json(saved, request))


async def delete_settings(request: web.Request) -> web.Response:
    app = request.app[PORTSIDE]
    carrier = request.match_info["carrier"]
    await delete_carrier_settings(account_id(request), carrier, configs=app.directories.kinds, uow=app.uow)
    now = next(s for s in await _statuses(request) if s.carrier == carrier)
    return json_response(project(CarrierJson, now))


def operations() -> list[Operation]:
    carrier = {"carrier": PickupCarrier}
    return [
        Operation(
            "GET",
            "/v1/carriers",
            list_carriers,
            "listCarriers",
            "List carriers and whose settings apply",
            "carriers",
            {
                200: Reply(
                    "every carrier portside has a directory for, and whose settings your account uses", CarrierList
                )
            },
            description="`source` is `account` when you set your own settings, `service` when the service's apply, "
            "`none` when neither is set (that carrier's pickup points are not checked).",
        ),
        Operation(
            "PUT",
            "/v1/carriers/{carrier}/settings",
            put_settings,
            "putCarrierSettings",
            "Use your own carrier settings",
            "carriers",
            {200: Reply("your settings, secrets shown as ***", CarrierSettingsJson)},
            description="Replaces your settings for this carrier; your pickup points are then checked with them. "
            "They are validated against the carrier's settings type (422 names each bad field, never echoing a "
            "value) and, unless `verify` is false, proven with one search at the carrier: a refusal is a 422 "
            "carrying the carrier's reason, a carrier that cannot be reached a 503.",
            body=Body(CarrierSettingsPut),
            params=carrier,
            problems=(503,),
        ),
        Operation(
            "GET",
            "/v1/carriers/{carrier}/settings",
            get_settings,
            "getCarrierSettings",
            "Read your carrier settings",
            "carriers",
            {200: Reply("your settings, secrets shown as ***", CarrierSettingsJson)},
            description="404 when you have none for this carrier (the service's apply).",
            params=carrier,
        ),
        Operation(
            "DELETE",
            "/v1/carriers/{carrier}/settings",
            delete_settings,
            "deleteCarrierSettings",
            "Go back to the service's carrier settings",
            "carriers",
            {200: Reply("the carrier, now on the service's settings (or none)", CarrierJson)},
            description="404 when you have none for this carrier.",
            params=carrier,
        ),
    ]
