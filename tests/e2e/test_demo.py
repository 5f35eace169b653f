"""``portside demo``'s preparation on real Postgres, run twice as a user re-runs the demo: both stores
(Cdiscount and Leroy Merlin) connected, synced and found again, and curl lines that name orders which work."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from portside.adapters.postgres import FernetCipher
from portside.core.services.stores import StoreDraft
from portside.entrypoints.commands import application, ready_schema, running
from portside.entrypoints.demo import (
    ACCOUNT_ID,
    SANDBOX_CREDENTIALS,
    DemoFacts,
    carriers_on_sandboxes,
    demo_state,
    prepare_demo,
    sandboxes,
    warn_overdue,
)
from portside.entrypoints.demo_text import print_ready
from portside.entrypoints.scheduler import check_acceptance_sla

from .service import fast_settings

SLA = timedelta(hours=24)


async def run_once(dsn: str, data_dir: Path, key: str, *, user_store: bool = False) -> tuple[DemoFacts, set[str]]:
    """What one ``portside demo`` does before serving, with its own sandboxes (new ports) and state file;
    and the names of the demo account's active stores afterwards. ``user_store``: connect one more store
    to the demo account, as a user trying the API would."""
    state = demo_state(data_dir, datetime.now(UTC))
    async with sandboxes("127.0.0.1", 60, state.sandbox_now, state.ports) as boxes:
        async with running(carriers_on_sandboxes(fast_settings(dsn, secret_key=key), boxes)) as container:
            await ready_schema(container, migrate=True)
            app = await application(container)
            facts = await prepare_demo(app, boxes, state, data_dir, api="http://127.0.0.1:8080", database="test")
            await warn_overdue(app, SLA)  # before the ready message: the scheduler's first pass then says nothing
            quiet = await check_acceptance_sla(uow=app.uow, clock=app.clock, threshold=SLA)
            assert quiet.newly_breached == [] and quiet.overdue > 0
            if user_store:
                # The demo's Cdiscount seller on another sales channel: another seller, on the same sandbox.
                octopia = boxes.cdiscount
                settings = {"auth_url": octopia.auth_url, "api_base_url": octopia.api_base_url}
                draft = StoreDraft(
                    channel="cdiscount",
                    name="My store",
                    credentials=SANDBOX_CREDENTIALS,
                    settings={**settings, "sales_channel_id": "CDISBE"},
                )
                await app.connect_store(ACCOUNT_ID, draft)
            async with app.uow() as u:
                stores = [s for s in await u.stores.find(account_id=ACCOUNT_ID) if s.active]
                active = {s.name for s in stores}
            for store in stores:
                if store.name == "My store":  # its sandbox URL, from whichever run connected it, still answers
                    assert (await app.sync_store(store.id)).outcome == "completed"
    return facts, active


async def test_demo_connects_both_stores_and_finds_them_again(
    pg_dsn: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    key = FernetCipher.generate_key()  # kept between runs, as the demo keeps its key file
    first, _ = await run_once(pg_dsn, tmp_path, key, user_store=True)
    again, active = await run_once(pg_dsn, tmp_path, key)
    assert active == {"Cdiscount sandbox", "Leroy Merlin sandbox", "My store"}  # the user's store left alone
    for show in (first.cdiscount, first.leroy_merlin):
        assert show.pickup_order is not None and show.shippable_order is not None
        point = show.pickup_order.pickup_point
        assert point is not None and point.source == "directory" and show.pickup_order.label_hints
    assert (first.cdiscount.store.channel, first.leroy_merlin.store.channel) == ("cdiscount", "mirakl")
    assert first.leroy_merlin.store.settings["profile"] == "leroy_merlin"
    lm_relay = first.leroy_merlin.pickup_order
    assert lm_relay is not None and lm_relay.pickup_point is not None
    assert lm_relay.pickup_point.carrier == "colissimo" and lm_relay.delivery is not None
    assert lm_relay.delivery.code == "RELAY_DELIVERY__STD"
    # A re-run finds the same stores (and, through the same sandbox anchor, the same orders).
    assert again.cdiscount.store.id == first.cdiscount.store.id
    assert again.leroy_merlin.store.id == first.leroy_merlin.store.id
    assert again.key == first.key  # the key an earlier run printed (and a shell exported) still works
    assert again.octopia == first.octopia and again.mirakl == first.mirakl  # the sandboxes kept their ports
    assert ((tmp_path / "demo.json").stat().st_mode & 0o777) == 0o600

    print_ready(again)
    text = capsys.readouterr().out
    assert f"store_id={again.leroy_merlin.store.id}" in text
    assert again.leroy_merlin.pickup_order is not None
    assert f"/v1/orders/{again.leroy_merlin.pickup_order.id}\n" in text and "shipping_pudo_id" in text
    ship_lines = re.findall(r"-d '(\{.*\})' \S+/v1/orders/(\S+)/shipments", text)
    assert len(ship_lines) == 2 and all('"carrier": "colissimo"' in body for body, _ in ship_lines)


def test_the_demo_keeps_a_carrier_the_operator_configured() -> None:
    from types import SimpleNamespace

    from portside.entrypoints.config import Settings

    boxes = SimpleNamespace(
        mondial_relay=SimpleNamespace(url="http://127.0.0.1:1/mr"),
        colissimo=SimpleNamespace(url="http://127.0.0.1:2/co"),
    )
    mine = Settings(
        mondial_relay_url="https://mr.example/ws", mondial_relay_enseigne="ABCDEF12", mondial_relay_private_key="k"
    )
    chosen = carriers_on_sandboxes(mine, boxes)  # type: ignore[arg-type]
    assert (chosen.mondial_relay_url, chosen.mondial_relay_enseigne) == ("https://mr.example/ws", "ABCDEF12")
    assert chosen.colissimo_url == "http://127.0.0.1:2/co" and chosen.colissimo_account == "123456"
