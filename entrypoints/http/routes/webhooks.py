"""Webhook subscriptions: create (the signing secret shown once), list, read, deactivate."""

from __future__ import annotations

from aiohttp import web

from portside.core.model import WebhookSubscription
from portside.core.services.tenancy import owned_webhook
from portside.core.services.webhooks import subscribe, unsubscribe

from ..decoding import read_json
from ..project import project
from ..respond import json_response
from ..routing import Body, Operation, Reply
from ..schemas.webhooks import WebhookCreate, WebhookCreated, WebhookJson, WebhookList
from ..state import OUTBOUND, PORTSIDE, account_id


def webhook_json(hook: WebhookSubscription) -> WebhookJson:
    return project(WebhookJson, hook, events=list(hook.events))


async def create_webhook(request: web.Request) -> web.Response:
    body = await read_json(request, WebhookCreate)
    await request.app[OUTBOUND].check(body.url, field="url")
    app = request.app[PORTSIDE]
    hook = await subscribe(account_id(request), body.url, body.events, uow=app.uow, clock=app.clock)
    created = project(WebhookCreated, hook, events=list(hook.events))  # the one answer with the secret
    return json_response(created, status=201, headers={"Location": f"/v1/webhooks/{hook.id}"})


async def list_webhooks(request: web.Request) -> web.Response:
    async with request.app[PORTSIDE].uow() as u:
        hooks = await u.webhooks.find(account_id(request))
    return json_response(WebhookList(items=[webhook_json(h) for h in hooks]))


async def get_webhook(request: web.Request) -> web.Response:
    async with request.app[PORTSIDE].uow() as u:
        hook = await owned_webhook(u, account_id(request), request.match_info["id"])
    return json_response(webhook_json(hook))


async def delete_webhook(request: web.Request) -> web.Response:
    hook = await unsubscribe(account_id(request), request.match_info["id"], uow=request.app[PORTSIDE].uow)
    return json_response(webhook_json(hook))


def operations() -> list[Operation]:
    one = {200: Reply("the subscription (without its secret)", WebhookJson)}
    return [
        Operation(
            "POST",
            "/v1/webhooks",
            create_webhook,
            "createWebhook",
            "Subscribe to events",
            "webhooks",
            {
                201: Reply(
                    "the subscription and its signing secret, shown this once",
                    WebhookCreated,
                    headers={"Location": "the subscription's URL"},
                    links=("getWebhook", "deactivateWebhook"),
                )
            },
            description="Events: order.created, order.updated, order.status_changed, order.cancelled, "
            "shipment.notified, shipment.failed. Keep the secret: it signs every delivery and is never shown again.",
            body=Body(WebhookCreate),
        ),
        Operation(
            "GET",
            "/v1/webhooks",
            list_webhooks,
            "listWebhooks",
            "List subscriptions",
            "webhooks",
            {200: Reply("subscriptions, without secrets", WebhookList)},
        ),
        Operation("GET", "/v1/webhooks/{id}", get_webhook, "getWebhook", "Read a subscription", "webhooks", one),
        Operation(
            "DELETE",
            "/v1/webhooks/{id}",
            delete_webhook,
            "deactivateWebhook",
            "Deactivate a subscription",
            "webhooks",
            {200: Reply("the subscription, inactive: no more deliveries are queued", WebhookJson)},
        ),
    ]
