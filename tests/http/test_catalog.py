"""The catalog over the API: one product, and streamed bulk upserts in JSON lines and CSV."""

from __future__ import annotations

import base64
import json

from portside.core.model import DecisionPayload, Order, OrderStatus, payload_of
from portside.entrypoints.application import Portside
from portside.testing.clock import FixedClock
from portside.testing.fake_channel import FakeChannelPlugin
from portside.testing.orders import make_order

from .support import Tenant, connect_store, import_orders

NDJSON = "application/x-ndjson"


async def stored(portside: Portside, tenant: Tenant, skus: list[str]) -> dict[str, object]:
    async with portside.uow() as u:
        return dict(await u.catalog.get_many(tenant.account_id, skus))


async def test_put_and_get_a_product(alice: Tenant, bob: Tenant) -> None:
    body = {
        "weight_g": 450,
        "image_url": "https://img.example/a.jpg",
        "title": "Mug",
        "options": [{"name": "colour", "value": "red"}],
    }
    put = await alice.api.put("/v1/catalog/products/MUG-1", json=body)
    assert put.status == 200 and put.json == {**body, "sku": "MUG-1", "stock_location": None}
    assert (await alice.api.get("/v1/catalog/products/MUG-1")).json == put.json
    (await bob.api.get("/v1/catalog/products/MUG-1")).problem(404)  # catalogs are per account
    bad = (await alice.api.put("/v1/catalog/products/MUG-2", json={"weight_g": -1, "colour": "red"})).problem(422)
    assert set(bad["errors"]) == {"weight_g", "colour"}
    (await alice.api.get("/v1/catalog/products/MUG-2")).problem(404)


async def test_bulk_json_lines_store_good_rows_and_report_bad_ones(alice: Tenant, portside: Portside) -> None:
    rows = [
        json.dumps({"sku": "A", "weight_g": 100}),
        "",
        json.dumps({"sku": "B", "weight_g": "heavy"}),
        "{not json",
        json.dumps({"sku": "C", "options": [{"name": "size", "value": "M"}], "title": "Tee"}),
        json.dumps({"weight_g": 3}),
    ]
    answer = await alice.api.post(
        "/v1/catalog/products:bulk", data="\n".join(rows) + "\n", headers={"Content-Type": "application/x-ndjson"}
    )
    assert answer.status == 200, answer.body
    report = answer.json
    assert report["accepted"] == 2 and report["rejected_count"] == 3
    assert {r["row"]: set(r["errors"]) for r in report["rejected"]} == {3: {"weight_g"}, 4: {"row"}, 6: {"sku"}}
    assert set(await stored(portside, alice, ["A", "B", "C"])) == {"A", "C"}


async def test_bulk_csv_with_options_quotes_and_a_bad_row(alice: Tenant, portside: Portside) -> None:
    csv = (
        "\ufeffsku,weight_g,image_url,stock_location,title,options\r\n"
        "A,100,,Aisle 3,Mug,colour=red;size=L\r\n"
        'B,abc,,,"Bad, weight",\r\n'
        'C,,,,"Two\nlines ""quoted""",\r\n'
        "D,5,,,,colour\r\n"
        "E,1\r\n"
    )
    answer = await alice.api.post("/v1/catalog/products:bulk", data=csv.encode(), headers={"Content-Type": "text/csv"})
    report = answer.json
    assert report["accepted"] == 2, report
    assert {r["row"]: set(r["errors"]) for r in report["rejected"]} == {2: {"weight_g"}, 4: {"options"}, 5: {"row"}}
    products = await stored(portside, alice, ["A", "C"])
    a, c = products["A"], products["C"]
    assert a.weight.grams == 100 and a.stock_location == "Aisle 3"  # type: ignore[attr-defined]
    assert [(o.name, o.value) for o in a.options] == [("colour", "red"), ("size", "L")]  # type: ignore[attr-defined]
    assert c.title == 'Two\nlines "quoted"'  # type: ignore[attr-defined]


async def test_bulk_refuses_unknown_columns_and_media_before_storing(alice: Tenant, portside: Portside) -> None:
    url = "/v1/catalog/products:bulk"
    header = (await alice.api.post(url, data=b"sku,colour\nA,red\n", headers={"Content-Type": "text/csv"})).problem(422)
    assert "colour" in header["errors"]["header"]
    (await alice.api.post(url, data=b"{}", headers={"Content-Type": "application/json"})).problem(415)
    assert await stored(portside, alice, ["A"]) == {}


async def test_bulk_streams_many_rows_in_batches(alice: Tenant, portside: Portside) -> None:
    lines = "".join(json.dumps({"sku": f"SKU-{i:05d}", "weight_g": i}) + "\n" for i in range(1200))
    answer = await alice.api.post(
        "/v1/catalog/products:bulk", data=lines.encode(), headers={"Content-Type": "application/x-ndjson"}
    )
    assert answer.json == {
        "accepted": 1200,
        "rejected": [],
        "rejected_count": 0,
        "truncated": False,
        "orders_enriched": 0,
    }
    assert len(await stored(portside, alice, [f"SKU-{i:05d}" for i in range(1200)])) == 1200


async def test_products_list_in_pages_and_delete(alice: Tenant, bob: Tenant) -> None:
    skus = [f"SKU-{i:02d}" for i in range(7)]
    for sku in reversed(skus):
        assert (await alice.api.put(f"/v1/catalog/products/{sku}", json={"weight_g": 10})).status == 200
    await bob.api.put("/v1/catalog/products/BOB-ONLY", json={})
    seen: list[str] = []
    cursor: str | None = None
    while True:
        params: dict[str, object] = {"limit": 3} if cursor is None else {"limit": 3, "cursor": cursor}
        page = await alice.api.get("/v1/catalog/products", params=params)
        assert page.status == 200, page.body
        seen += [p["sku"] for p in page.json["items"]]
        cursor = page.json["next_cursor"]
        if cursor is None:
            break
    assert seen == skus  # by SKU, every one once, never another account's
    # Not base64, not a products cursor, a bare SKU, a SKU that is no UTF-8, one holding a NUL (which
    # Postgres cannot compare: it was a 500).
    nul = base64.urlsafe_b64encode(b"sku:SKU-01\x00").decode()
    for bad in ("%%%", "T1JERVI", seen[0], base64.urlsafe_b64encode(b"sku:\xff").decode(), nul):
        problem = (await alice.api.get("/v1/catalog/products", params={"cursor": bad})).problem(422)
        assert problem["errors"] == {"cursor": "pass next_cursor from the previous page unchanged"}
    deleted = await alice.api.delete("/v1/catalog/products/SKU-03")
    assert deleted.status == 200 and deleted.json["sku"] == "SKU-03" and deleted.json["weight_g"] == 10
    (await alice.api.get("/v1/catalog/products/SKU-03")).problem(404)
    (await alice.api.delete("/v1/catalog/products/SKU-03")).problem(404)
    (await alice.api.delete("/v1/catalog/products/BOB-ONLY")).problem(404)  # per account
    assert (await bob.api.get("/v1/catalog/products/BOB-ONLY")).status == 200
    listed = (await alice.api.get("/v1/catalog/products")).json
    assert [p["sku"] for p in listed["items"]] == [s for s in skus if s != "SKU-03"] and listed["next_cursor"] is None


async def test_catalog_data_sent_after_the_import_fills_the_open_orders(
    alice: Tenant, portside: Portside, plugin: FakeChannelPlugin
) -> None:
    store = await connect_store(alice)
    orders = [
        make_order(store["id"], "CD-1", skus=("MUG",)),
        make_order(store["id"], "CD-2", skus=("TEE",)),
        make_order(store["id"], "CD-3", skus=("MUG",), core_status=OrderStatus.cancelled, status="Cancelled"),
    ]
    await import_orders(portside, plugin, store["id"], orders)

    async def line(channel_id: str) -> tuple[int | None, list[str]]:
        found = (await alice.api.get("/v1/orders", params={"limit": 50})).json["items"]
        order = next(o for o in found if o["channel_order_id"] == channel_id)
        return order["lines"][0]["weight_g"], order["flags"]

    assert await line("CD-1") == (None, ["unknown_sku"])
    # A re-sync of unchanged orders does not touch them: the catalog change itself must.
    assert (await alice.api.put("/v1/catalog/products/MUG", json={"weight_g": 450})).status == 200
    assert await line("CD-1") == (450, [])
    assert (await line("CD-3"))[0] is None  # cancelled: left as it was
    report = await alice.api.post(
        "/v1/catalog/products:bulk", data='{"sku": "TEE", "weight_g": 120}\n', headers={"Content-Type": NDJSON}
    )
    assert report.json["orders_enriched"] == 1
    assert await line("CD-2") == (120, [])
    await import_orders(portside, plugin, store["id"], [])  # a later sync keeps what the catalog gave
    assert await line("CD-1") == (450, [])


async def test_a_deleted_product_is_lost_to_its_orders_once_the_marketplace_changes_them(
    alice: Tenant, portside: Portside, plugin: FakeChannelPlugin, clock: FixedClock
) -> None:
    # What docs/api.md says of DELETE: filled orders keep what they got until the marketplace changes them.
    store = await connect_store(alice)
    orders = [make_order(store["id"], "CD-1", skus=("MUG",)), make_order(store["id"], "CD-2", skus=("MUG",))]
    await import_orders(portside, plugin, store["id"], orders)
    assert (await alice.api.put("/v1/catalog/products/MUG", json={"weight_g": 450})).status == 200
    assert (await alice.api.delete("/v1/catalog/products/MUG")).status == 200

    async def lines() -> dict[str, tuple[int | None, list[str]]]:
        found = (await alice.api.get("/v1/orders", params={"limit": 50})).json["items"]
        return {o["channel_order_id"]: (o["lines"][0]["weight_g"], o["flags"]) for o in found}

    assert await lines() == {"CD-1": (450, []), "CD-2": (450, [])}
    clock.advance(minutes=5)
    changed = plugin.market(store["id"]).update("CD-2", customer_notes="ring twice", updated_at=clock.now())
    await import_orders(portside, plugin, store["id"], [changed])
    assert await lines() == {"CD-1": (450, []), "CD-2": (None, ["unknown_sku"])}


async def test_a_late_product_lets_the_known_skus_policy_accept(
    alice: Tenant, portside: Portside, plugin: FakeChannelPlugin
) -> None:
    store = await connect_store(alice, acceptance_policy="auto_known_skus")
    waiting = make_order(
        store["id"], "CD-9", skus=("BOWL",), core_status=OrderStatus.awaiting_acceptance, status="WaitingAcceptance"
    )
    await import_orders(portside, plugin, store["id"], [waiting])

    async def decisions() -> list[object]:
        async with portside.uow() as u:
            return list(await u.outbox.find(subject_id=waiting.id))

    assert await decisions() == []  # BOWL unknown: left for the seller
    assert (await alice.api.put("/v1/catalog/products/BOWL", json={"weight_g": 300})).status == 200
    queued = await decisions()
    assert len(queued) == 1 and queued[0].kind == "acceptance"  # type: ignore[attr-defined]
    assert (await alice.api.put("/v1/catalog/products/BOWL", json={"weight_g": 310})).status == 200
    assert len(await decisions()) == 1  # one decision per order


async def test_a_product_stored_after_the_seller_refused_an_order_fills_everything_else(
    alice: Tenant, portside: Portside, plugin: FakeChannelPlugin
) -> None:
    store = await connect_store(alice, acceptance_policy="auto_known_skus")

    def waiting(channel_id: str, sku: str) -> Order:
        status = OrderStatus.awaiting_acceptance
        return make_order(store["id"], channel_id, skus=(sku,), core_status=status, status="WaitingAcceptance")

    bowls = [waiting("CD-1", "BOWL"), waiting("CD-2", "BOWL")]
    plate = waiting("CD-4", "PLATE")
    await import_orders(portside, plugin, store["id"], [*bowls, make_order(store["id"], "CD-3", skus=("BOWL",)), plate])
    for refused in (bowls[0], plate):  # the marketplace has not synced the refusals back: still awaiting
        answer = await alice.api.post(f"/v1/orders/{refused.id}/refuse", json={"reason": "out of stock"})
        assert answer.status == 202, answer.body

    async def decisions(order: Order) -> list[bool]:
        async with portside.uow() as u:
            return [payload_of(m, DecisionPayload).accept for m in await u.outbox.find(subject_id=order.id)]

    async def weights() -> dict[str, tuple[int | None, list[str]]]:
        found = (await alice.api.get("/v1/orders", params={"limit": 50})).json["items"]
        return {o["channel_order_id"]: (o["lines"][0]["weight_g"], o["flags"]) for o in found}

    put = await alice.api.put("/v1/catalog/products/BOWL", json={"weight_g": 300})
    assert put.status == 200, put.body
    filled = await weights()
    assert {k: v for k, v in filled.items() if k != "CD-4"} == {
        "CD-1": (300, ["decision_pending"]),
        "CD-2": (300, []),
        "CD-3": (300, []),
    }
    assert await decisions(bowls[0]) == [False]  # the seller's refusal stands
    assert await decisions(bowls[1]) == [True]  # the policy's acceptance
    bulk = await alice.api.post(
        "/v1/catalog/products:bulk", data='{"sku": "PLATE", "weight_g": 120}\n', headers={"Content-Type": NDJSON}
    )
    assert bulk.status == 200 and bulk.json["orders_enriched"] == 1, bulk.body
    assert (await weights())["CD-4"] == (120, ["decision_pending"]) and await decisions(plate) == [False]
