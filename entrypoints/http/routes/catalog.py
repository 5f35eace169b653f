"""The seller's catalog: one product at a time, or a streamed bulk upsert with a per-row report."""

from __future__ import annotations

import base64
import binascii

import msgspec
from aiohttp import web

from portside.core.errors import NotFound, ValidationFailed
from portside.core.model import Product
from portside.core.services.catalog import upsert_products
from portside.core.services.catalog_import import CatalogImport, ImportReport

from ..bulk import LineTooLong, csv_records, json_lines, row_from_csv
from ..decoding import NUL, nul_fields, read_json, read_query
from ..problems import ApiProblem
from ..project import project
from ..respond import json_response
from ..routing import Body, Operation, Reply
from ..schemas.catalog import (
    OptionRow,
    ProductFields,
    ProductJson,
    ProductList,
    ProductQueryParams,
    ProductRow,
    product_of,
    product_of_row,
)
from ..state import PORTSIDE, SETTINGS, account_id

NDJSON = "application/x-ndjson"
CSV = "text/csv"
MAX_SKU = 200
_any_json = msgspec.json.Decoder()


def product_json(product: Product) -> ProductJson:
    weight_g = None if product.weight is None else product.weight.grams
    return project(ProductJson, product, weight_g=weight_g, options=[project(OptionRow, o) for o in product.options])


async def put_product(request: web.Request) -> web.Response:
    sku = request.match_info["sku"]
    body = await read_json(request, ProductFields)
    if len(sku) > MAX_SKU:
        raise ApiProblem(422, f"a SKU has at most {MAX_SKU} characters", slug="validation", errors={"sku": "too long"})
    try:
        product = product_of(sku, body)
    except ValueError as exc:
        raise ApiProblem(422, str(exc), slug="validation", errors={"sku": str(exc)}) from None
    app = request.app[PORTSIDE]
    await upsert_products(account_id(request), [product], uow=app.uow, clock=app.clock)
    return json_response(product_json(product))


_CURSOR_TAG = b"sku:"  # a products cursor is the page's last SKU, tagged so another kind is refused


def _sku_cursor(sku: str) -> str:
    return base64.urlsafe_b64encode(_CURSOR_TAG + sku.encode()).decode().rstrip("=")


def _after_sku(token: str) -> str:
    try:
        raw = base64.b64decode(token + "=" * (-len(token) % 4), altchars=b"-_", validate=True)
        if raw.startswith(_CURSOR_TAG):
            sku = raw[len(_CURSOR_TAG) :].decode()
            # A NUL decoded from the token got past the routing guard; Postgres would fail on it (a 500).
            if NUL not in sku:
                return sku
    except (binascii.Error, ValueError):
        pass
    raise ValidationFailed(
        "this cursor is not one the API gave out", {"cursor": "pass next_cursor from the previous page unchanged"}
    )


async def list_products(request: web.Request) -> web.Response:
    query = read_query(request, ProductQueryParams)
    after = None if query.cursor is None else _after_sku(query.cursor)
    async with request.app[PORTSIDE].uow() as u:
        # One more than asked: whether a next page exists without a page that may come back empty.
        found = await u.catalog.find(account_id(request), after=after, limit=query.limit + 1)
    page = found[: query.limit]
    cursor = _sku_cursor(page[-1].sku) if len(found) > query.limit else None
    return json_response(ProductList(items=[product_json(p) for p in page], next_cursor=cursor))


async def delete_product(request: web.Request) -> web.Response:
    sku = request.match_info["sku"]
    async with request.app[PORTSIDE].uow() as u:
        found = await u.catalog.get_many(account_id(request), [sku])
        if sku not in found or not await u.catalog.delete(account_id(request), sku):
            raise NotFound("product", sku)
        await u.commit()
    return json_response(product_json(found[sku]))


async def get_product(request: web.Request) -> web.Response:
    sku = request.match_info["sku"]
    async with request.app[PORTSIDE].uow() as u:
        found = await u.catalog.get_many(account_id(request), [sku])
    if sku not in found:
        raise NotFound("product", sku)
    return json_response(product_json(found[sku]))


def _check_header(header: list[str]) -> None:
    known = {f.encode_name for f in msgspec.structs.fields(ProductRow)}
    unknown = [name for name in header if name not in known]
    if "sku" not in header or unknown:
        columns = ", ".join(sorted(known))
        raise ApiProblem(
            422,
            f"the CSV header must name a sku column and only these columns: {columns}",
            slug="validation",
            errors={"header": f"unknown columns: {', '.join(unknown)}" if unknown else "no sku column"},
        )


async def _add(importer: CatalogImport, row: int, data: object, *, strict: bool = True) -> None:
    try:
        product = product_of_row(row, data, strict=strict)
    except ValidationFailed as exc:
        importer.reject(row, exc.problems or {"row": str(exc)})
        return
    await importer.add(product)


async def bulk_upsert(request: web.Request) -> web.Response:
    kind = request.content_type
    if kind not in (NDJSON, CSV):
        raise ApiProblem(
            415, f"send {NDJSON} (one JSON object a line) or {CSV} (got {kind})", slug="unsupported-media-type"
        )
    limit = request.app[SETTINGS].max_bulk_bytes
    app = request.app[PORTSIDE]
    importer = CatalogImport(account_id(request), uow=app.uow, clock=app.clock)
    if kind == CSV:
        async for row, cells in csv_records(request, limit=limit, check_header=_check_header):
            if isinstance(cells, str):
                importer.reject(row, {"row": cells})
            elif nul := nul_fields(cells):  # this route reads its body itself, not through read_json
                importer.reject(row, nul)
            else:
                try:
                    data = row_from_csv(cells)
                except ValidationFailed as exc:
                    importer.reject(row, exc.problems)
                    continue
                await _add(importer, row, data, strict=False)
    else:
        async for row, line in json_lines(request, limit=limit):
            if isinstance(line, LineTooLong):
                importer.reject(row, {"row": "line too long"})
                continue
            try:
                data = _any_json.decode(line)
            except msgspec.DecodeError as exc:
                importer.reject(row, {"row": f"not valid JSON: {exc}"})
                continue
            if nul := nul_fields(data):
                importer.reject(row, nul)
                continue
            await _add(importer, row, data)
    return json_response(await importer.finish())


def operations() -> list[Operation]:
    product = {200: Reply("the product as stored", ProductJson)}
    return [
        Operation(
            "PUT",
            "/v1/catalog/products/{sku}",
            put_product,
            "putProduct",
            "Create or replace a product",
            "catalog",
            product,
            body=Body(ProductFields),
            description="What the import fills order lines from when the marketplace gives none: weight, image, "
            "options, stock location. Open orders (not shipped, delivered or cancelled) with a line of this SKU "
            "are filled at once where they lack its data; their unknown_sku flag goes once every line is known.",
        ),
        Operation("GET", "/v1/catalog/products/{sku}", get_product, "getProduct", "Read a product", "catalog", product),
        Operation(
            "DELETE",
            "/v1/catalog/products/{sku}",
            delete_product,
            "deleteProduct",
            "Delete a product",
            "catalog",
            {200: Reply("the product as it was", ProductJson)},
            description="Orders already filled from it keep what they got; orders imported later with this SKU "
            "are flagged unknown_sku. 404 when the account has no such product.",
        ),
        Operation(
            "GET",
            "/v1/catalog/products",
            list_products,
            "listProducts",
            "List products",
            "catalog",
            {200: Reply("a page of products, by SKU", ProductList)},
            description="Pass next_cursor back as cursor until it is null.",
            query=ProductQueryParams,
        ),
        Operation(
            "POST",
            "/v1/catalog/products:bulk",
            bulk_upsert,
            "bulkUpsertProducts",
            "Create or replace many products",
            "catalog",
            {
                200: Reply(
                    "how many rows were stored, each rejected row with its errors, and how many open orders were "
                    "filled from the imported products",
                    ImportReport,
                )
            },
            description=f"{NDJSON}: one product object a line (sku plus the fields of PUT). {CSV}: a header "
            "line naming columns among sku, weight_g, image_url, stock_location, title, options (written "
            "name=value;name=value). The body is read as it arrives and stored in batches of 500 rows; a bad row "
            "is reported (rows numbered from 1: lines for NDJSON, records after the header for CSV), the others "
            "are stored. Then open orders with lines of the stored SKUs are filled from them (orders_enriched).",
            body=Body(None, media_types=(NDJSON, CSV), description="NDJSON or CSV, streamed"),
        ),
    ]
