"""The service is strict about URLs tenants choose unless PORTSIDE_ALLOW_PRIVATE_URLS says otherwise, and its
tenant client refuses non-public addresses when it connects: a host name re-pointed at a private address
after it was checked (DNS rebinding), or a URL saved under a permissive setting, still reaches nothing."""

from __future__ import annotations

import ipaddress
import time

import pytest

from portside.adapters.http import HttpClient
from portside.adapters.memory import MemoryStorage
from portside.adapters.webhooks import WebhookSender
from portside.core.errors import ChannelUnavailable
from portside.entrypoints.config import load_settings
from portside.entrypoints.container import build_api
from portside.entrypoints.http.state import OUTBOUND
from portside.entrypoints.metrics import Metrics
from portside.entrypoints.outbound import address_refusal
from portside.entrypoints.resources import tenant_http_client, tenant_http_session
from portside.testing.fake_channel import FakeChannelPlugin

from .conftest import Receiver
from .helpers import make_app


async def _ready() -> str | None:
    return None


def test_the_service_is_strict_unless_the_operator_allows_private_urls() -> None:
    app = make_app(MemoryStorage(), FakeChannelPlugin())
    strict = build_api(app, Metrics(), _ready, load_settings({}))
    assert strict[OUTBOUND].allow_private is False
    allowed = build_api(app, Metrics(), _ready, load_settings({"PORTSIDE_ALLOW_PRIVATE_URLS": "true"}))
    assert allowed[OUTBOUND].allow_private is True


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("127.0.0.1", "loopback"),
        ("::1", "loopback"),
        ("10.0.0.1", "private"),
        ("192.168.1.1", "private"),
        ("169.254.169.254", "link-local"),
        ("fe80::1", "link-local"),
        ("224.0.0.1", "multicast"),
        ("0.0.0.0", "unspecified"),
        ("::ffff:127.0.0.1", "loopback"),
        ("100.64.0.1", "non-public"),  # carrier-grade NAT
        ("fc00::1", "private"),
        ("93.184.216.34", None),
        ("2606:4700::1111", None),
    ],
)
def test_what_counts_as_non_public(address: str, kind: str | None) -> None:
    assert address_refusal(ipaddress.ip_address(address)) == kind


async def test_the_strict_tenant_client_refuses_to_connect_to_a_private_address(
    http_client: HttpClient, receiver: Receiver
) -> None:
    sessions = tenant_http_session(load_settings({}))
    session = await anext(sessions)
    try:
        tenant = tenant_http_client(http_client, session)
        assert tenant is not http_client
        sender = WebhookSender(tenant)
        with pytest.raises(ChannelUnavailable, match="refused: the host is or resolves to a loopback address"):
            await sender.send(
                receiver.url, "s", b"{}", event_id="e", event_type="order.created", timestamp=int(time.time())
            )
        assert receiver.requests == []  # nothing reached the receiver
    finally:
        await sessions.aclose()


async def test_the_permissive_tenant_client_is_the_shared_one(http_client: HttpClient, receiver: Receiver) -> None:
    sessions = tenant_http_session(load_settings({"PORTSIDE_ALLOW_PRIVATE_URLS": "1"}))
    session = await anext(sessions)
    assert session is None and tenant_http_client(http_client, session) is http_client
    await sessions.aclose()
    sent = await WebhookSender(http_client).send(
        receiver.url, "s", b"{}", event_id="e", event_type="order.created", timestamp=int(time.time())
    )
    assert sent == 200
