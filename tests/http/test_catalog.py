"""The catalog over the API: one product, and streamed bulk upserts in JSON lines and CSV."""

from __future__ import annotations

import json

from portside.entrypoints.application import Portside

from .support import Tenant


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
    assert answer.json == {"accepted": 1200, "rejected": [], "rejected_count": 0, "truncated": False}
    assert len(await stored(portside, alice, [f"SKU-{i:05d}" for i in range(1200)])) == 1200
