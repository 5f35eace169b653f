"""Secrets never leave: store credentials, carrier keys, webhook secrets and API keys appear in no answer
and no log line (the webhook secret once, in the answer that creates it)."""

from __future__ import annotations

import logging

import pytest

from portside.entrypoints.application import Portside
from portside.testing.fake_channel import FakeChannelPlugin

from .support import FAKE_SECRET, Api, Tenant
from .test_openapi import tour
from .tour import BODIES


async def test_no_secret_in_any_answer_or_log(
    alice: Tenant,
    bob: Tenant,
    portside: Portside,
    plugin: FakeChannelPlugin,
    api: Api,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    await tour(alice, portside, plugin, api)
    created = await alice.api.post("/v1/webhooks", json={"url": "https://h.example/x", "events": ["order.created"]})
    hook_secret = created.json["secret"]
    refused = {"channel": "fake", "name": "B", "credentials": {"secret": "wrong-but-secret-9f8e"}}
    await alice.api.post("/v1/stores", json=refused)
    await bob.api.get("/v1/stores")

    bodies = [body.decode(errors="replace") for body in api.bodies]
    logs = caplog.text
    carrier_key = BODIES["putCarrierSettings"]["settings"]["private_key"]  # the tour sets Alice's own
    for secret in (FAKE_SECRET, "wrong-but-secret-9f8e", alice.key, bob.key, carrier_key):
        assert not any(secret in body for body in bodies), secret
        assert secret not in logs, secret
    assert sum(hook_secret in body for body in bodies) == 1
    assert hook_secret not in logs
