"""The seller's catalog: one product at a time, or a streamed bulk upsert with a per-row report."""

from __future__ import annotations

import msgspec
from aiohttp import web

from portside.core.errors import NotFound, ValidationFailed
from portside.core.model import Product
from portside.core.services.catalog import upsert_products
from portside.core.services.catalog_import import CatalogImport, ImportReport

from ..bulk import LineTooLong, csv_records, json_lines, row_from_csv
from ..decoding import nul_fields, read_json
from ..problems import ApiProblem
from ..project import project
from ..respond import json_response
from ..routing import Body, Operation, Reply
from ..schemas.catalog import OptionRow, ProductFields, ProductJson, ProductRow, product_of, product_of_row
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
    await upsert_products(account_id(request), [product], uow=request.app[PORTSIDE].uow)
    return json_response(product_json(product))


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
    importer = CatalogImport(account_id(request), uow=request.app[PORTSIDE].uow)
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
            "options, stock location.",
        ),
        Operation("GET", "/v1/catalog/products/{sku}", get_product, "getProduct", "Read a product", "catalog", product),
        Operation(
            "POST",
            "/v1/catalog/products:bulk",
            bulk_upsert,
            "bulkUpsertProducts",
            "Create or replace many products",
            "catalog",
            {200: Reply("how many rows were stored, and each rejected row with its errors", ImportReport)},
            description=f"{NDJSON}: one product object a line (sku plus the fields of PUT). {CSV}: a header "
            "line naming columns among sku, weight_g, image_url, stock_location, title, options (written "
            "name=value;name=value). The body is read as it arrives and stored in batches of 500 rows; a bad row "
            "is reported (rows numbered from 1: lines for NDJSON, records after the header for CSV), the others "
            "are stored.",
            body=Body(None, media_types=(NDJSON, CSV), description="NDJSON or CSV, streamed"),
        ),
    ]
