"""No secret reaches a log line, a rich/pytest rendering or a debugger through a repr: every Struct in
portside whose fields hold a secret marks them (``__secret_fields__``), and ``repr``, ``str`` and
``__rich_repr__`` of each one, built with known secrets, contain none of them."""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import msgspec
import pytest

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
SECRET_NAME = re.compile(r"secret|password|credentials|api_?key|private_key|access_token|database_url|^key$", re.I)

# Fields whose name sounds secret but whose value is not, each with the reason.
NOT_SECRET = {
    "IdempotentResponse.key": "an Idempotency-Key header value, chosen by the client to name a request",
    "SandboxConfig.client_secret": "the Octopia simulator's published test credentials",
    "MiraklSandboxConfig.api_key": "the Mirakl simulator's published test key",
    "ColissimoSandboxConfig.api_keys": "the Colissimo simulator's published test keys",
    "Auth.api_keys": "the Colissimo simulator's published test keys",
    "DemoStore.credentials": "the sandboxes' published test credentials",
    "FakeCredentials.secret": "the fake channel of the test kit",
}


def _structs() -> Iterator[type[msgspec.Struct]]:
    for root in ("core", "adapters", "channels", "entrypoints", "testing"):
        package = importlib.import_module(f"portside.{root}")
        for module in pkgutil.walk_packages(package.__path__, f"portside.{root}."):
            importlib.import_module(module.name)
    seen: set[type[Any]] = set()
    todo: list[type[Any]] = [msgspec.Struct]
    while todo:
        for sub in todo.pop().__subclasses__():
            if sub not in seen:
                seen.add(sub)
                todo.append(sub)
    yield from sorted((c for c in seen if c.__module__.startswith("portside.")), key=lambda c: c.__qualname__)


def _secret_named(kind: type[msgspec.Struct]) -> set[str]:
    return {f for f in kind.__struct_fields__ if SECRET_NAME.search(f) and f"{kind.__name__}.{f}" not in NOT_SECRET}


def _factories() -> dict[str, Callable[[str], Any]]:
    """How to build each marked Struct around the secret ``s`` (every secret field set from it)."""
    from portside.adapters.carriers import ColissimoSettings, MondialRelaySettings
    from portside.adapters.carriers.colissimo.schemas import ByIdRequest, Credentials, SearchRequest
    from portside.channels.cdiscount.schemas import WireToken
    from portside.channels.cdiscount.settings import CdiscountCredentials
    from portside.channels.mirakl.settings import MiraklCredentials
    from portside.core.model import (
        Account,
        CarrierAccountSettings,
        PickupCarrier,
        Store,
        WebhookEvent,
        WebhookSubscription,
    )
    from portside.core.services.stores import StoreChanges, StoreDraft
    from portside.entrypoints.config import Settings
    from portside.entrypoints.demo import DemoState
    from portside.entrypoints.demo_text import DemoFacts
    from portside.entrypoints.http.schemas.stores import StoreCreate, StorePatch
    from portside.entrypoints.http.schemas.webhooks import WebhookCreated

    creds = {"client_id": "id", "client_secret": "x"}
    search = {"zipCode": "75011", "city": "PARIS", "countryCode": "FR", "shippingDate": "02/11/2026"}
    account = Account(id="a", name="A", created_at=NOW)
    return {
        "Store": lambda s: Store(
            id="s", account_id="a", channel="c", name="n", credentials={**creds, "client_secret": s}, created_at=NOW
        ),
        "WebhookSubscription": lambda s: WebhookSubscription(
            id="w",
            account_id="a",
            url=f"https://h.example/p?token={s}",
            secret=s,
            events=("order.created",),
            created_at=NOW,
        ),
        "WebhookCreated": lambda s: WebhookCreated(
            id="w",
            url=f"https://h.example/p?token={s}",
            secret=s,
            events=[WebhookEvent.order_created],
            active=True,
            created_at=NOW,
        ),
        "CarrierAccountSettings": lambda s: CarrierAccountSettings(
            account_id="a", carrier=PickupCarrier.mondial_relay, settings={"private_key": s}, updated_at=NOW
        ),
        "CdiscountCredentials": lambda s: CdiscountCredentials(client_id="id", client_secret=s, seller_id="1"),
        "MiraklCredentials": lambda s: MiraklCredentials(api_key=s),
        "MondialRelaySettings": lambda s: MondialRelaySettings(enseigne="BDTEST13", private_key=s),
        "ColissimoSettings": lambda s: ColissimoSettings(account="123456", password=s, api_key=s),
        "Credentials": lambda s: Credentials(password=s, apiKey=s),
        "SearchRequest": lambda s: SearchRequest(
            password=s, apiKey=s, filterRelay="1", lang="FR", optionInter="0", **search
        ),
        "ByIdRequest": lambda s: ByIdRequest(
            password=s, apiKey=s, id="1", date="02/11/2026", reseau="R01", langue="FR", filterRelay="1"
        ),
        "WireToken": lambda s: WireToken(access_token=s),
        "StoreDraft": lambda s: StoreDraft(channel="c", name="n", credentials={"client_secret": s}),
        "StoreChanges": lambda s: StoreChanges(credentials={"client_secret": s}),
        "StoreCreate": lambda s: StoreCreate(channel="c", name="n", credentials={"client_secret": s}),
        "StorePatch": lambda s: StorePatch(credentials={"client_secret": s}),
        "Settings": lambda s: Settings(
            database_url=f"postgresql://app:{s}@db/portside",
            secret_key=(s + "A" * 44)[:43] + "=",  # a well-formed Fernet key that holds the secret's text
            mondial_relay_enseigne="BDTEST13",
            mondial_relay_private_key=s,
            colissimo_password=s,
            colissimo_api_key=s,
            colissimo_account="123456",
        ),
        "DemoState": lambda s: DemoState(sandbox_now=NOW, api_key=s),
        "DemoFacts": lambda s: DemoFacts(
            api="a",
            key=s,
            account=account,
            cdiscount=None,
            leroy_merlin=None,  # type: ignore[arg-type]
            octopia="o",
            mirakl="m",
            mondial_relay="r",
            colissimo="c",
            database="d",
        ),
    }


STRUCTS = list(_structs())
MARKED = [c for c in STRUCTS if hasattr(c, "__secret_fields__")]


def test_every_struct_holding_a_secret_marks_it() -> None:
    unmarked = {
        f"{c.__module__}.{c.__name__}": sorted(_secret_named(c) - set(getattr(c, "__secret_fields__", ())))
        for c in STRUCTS
    }
    assert {name: fields for name, fields in unmarked.items() if fields} == {}
    assert len(MARKED) >= 15


@pytest.mark.parametrize("kind", MARKED, ids=lambda c: c.__name__)
def test_repr_str_and_rich_repr_never_show_a_secret(kind: type[msgspec.Struct]) -> None:
    factories = _factories()
    assert kind.__name__ in factories, f"add {kind.__name__} to _factories (tests/unit/test_masked_reprs.py)"
    secret = "S3cr3t-" + kind.__name__
    value = factories[kind.__name__](secret)
    assert type(value) is kind
    assert set(kind.__secret_fields__) <= set(kind.__struct_fields__)  # type: ignore[attr-defined]
    for text in (repr(value), str(value), f"{value}", repr(list(value.__rich_repr__()))):
        assert secret not in text, text
        assert "***" in text, text
    assert kind.__name__ in repr(value)
