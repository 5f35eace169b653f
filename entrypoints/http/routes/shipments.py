"""Shipments: confirm one (idempotent with a key), read them, retry a dead notification."""

from __future__ import annotations

import msgspec
from aiohttp import web

from portside.core.model import Money, ShipmentLine
from portside.core.services.confirm_shipment import ShipmentRequest
from portside.core.services.notification_retry import retry_notification
from portside.core.services.tenancy import owned_order, owned_shipment

from ..decoding import read_json
from ..idempotency import HEADER, REPLAYED, idempotent
from ..project import project
from ..respond import encode, json_response
from ..routing import Body, Header, Operation, Reply
from ..schemas.shipments import ShipmentCreate, ShipmentJson, ShipmentList
from ..state import PORTSIDE, account_id
from ..views import shipment_json

_canonical = msgspec.json.Encoder(order="deterministic")


def _request(body: ShipmentCreate) -> ShipmentRequest:
    fee = body.carrier_fee
    return project(
        ShipmentRequest,
        body,
        carrier_fee=None if fee is None else project(Money, fee),
        lines=None if body.lines is None else tuple(project(ShipmentLine, line) for line in body.lines),
    )


async def create_shipment(request: web.Request) -> web.Response:
    app = request.app[PORTSIDE]
    order_id = request.match_info["id"]
    async with app.uow() as u:  # 404 before 422, and before any key is spent
        await owned_order(u, account_id(request), order_id)
    body = await read_json(request, ShipmentCreate)

    async def work() -> tuple[int, bytes]:
        shipment = await app.confirm_shipment(order_id, _request(body))
        return 202, encode(shipment_json(shipment))

    # Fingerprint the decoded request, so a retry that only reformats the JSON still matches.
    return await idempotent(request, _canonical.encode(body), work)


async def list_order_shipments(request: web.Request) -> web.Response:
    async with request.app[PORTSIDE].uow() as u:
        record = await owned_order(u, account_id(request), request.match_info["id"])
        shipments = await u.shipments.list_for_order(record.order.id)
    return json_response(ShipmentList(items=[shipment_json(s) for s in shipments]))


async def get_shipment(request: web.Request) -> web.Response:
    async with request.app[PORTSIDE].uow() as u:
        shipment = await owned_shipment(u, account_id(request), request.match_info["id"])
    return json_response(shipment_json(shipment))


async def retry_shipment(request: web.Request) -> web.Response:
    app = request.app[PORTSIDE]
    shipment = await retry_notification(account_id(request), request.match_info["id"], uow=app.uow, clock=app.clock)
    return json_response(shipment_json(shipment), status=202)


def operations() -> list[Operation]:
    return [
        Operation(
            "POST",
            "/v1/orders/{id}/shipments",
            create_shipment,
            "createShipment",
            "Confirm a shipment",
            "shipments",
            {
                202: Reply(
                    "the shipment; the marketplace notification is queued (pending)",
                    ShipmentJson,
                    headers={REPLAYED: "true when this is the stored answer to an earlier request with the key"},
                    links=("getShipment", "retryShipmentNotification"),
                )
            },
            description="Checks the carrier and lines against the marketplace's rules (422 lists accepted carriers), "
            "then stores the shipment, marks the order shipped and queues the notification in one transaction.",
            body=Body(ShipmentCreate),
            headers=(
                Header(
                    HEADER,
                    "any unique string (a UUID): a retry with the same key and body gets the first "
                    "answer again; the same key with another body is a 422",
                ),
            ),
            problems=(409, 503),
        ),
        Operation(
            "GET",
            "/v1/orders/{id}/shipments",
            list_order_shipments,
            "listOrderShipments",
            "An order's shipments",
            "shipments",
            {200: Reply("shipments, oldest first", ShipmentList)},
        ),
        Operation(
            "GET",
            "/v1/shipments/{id}",
            get_shipment,
            "getShipment",
            "Read a shipment",
            "shipments",
            {
                200: Reply(
                    "the shipment with its notification: state, attempts, last error, what was sent", ShipmentJson
                )
            },
        ),
        Operation(
            "POST",
            "/v1/shipments/{id}/retry",
            retry_shipment,
            "retryShipmentNotification",
            "Retry a dead notification",
            "shipments",
            {202: Reply("the shipment, its notification pending again with a fresh retry budget", ShipmentJson)},
            description="Only when the notification is dead (409 otherwise); fix what the last error says first.",
            problems=(409,),
        ),
    ]
