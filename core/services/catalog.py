"""The seller's catalog: upserting products, and filling order lines from it."""

from __future__ import annotations

import msgspec

from ..model import Order, OrderFlag, Product, lines_weight
from ..ports import UnitOfWorkFactory


async def upsert_products(account_id: str, products: list[Product], *, uow: UnitOfWorkFactory) -> int:
    async with uow() as u:
        await u.catalog.upsert_many(account_id, products)
        await u.commit()
    return len(products)


def enrich_from_catalog(order: Order, products: dict[str, Product]) -> Order:
    """Fill each line's weight, image, options and location where the channel gave none, then the
    order's total weight from its lines. Lines whose SKU the catalog does not know are flagged."""
    lines = []
    unknown = False
    changed = False
    for line in order.lines:
        product = products.get(line.sku) if line.sku else None
        if product is None:
            unknown = unknown or line.shippable
            lines.append(line)
            continue
        filled = msgspec.structs.replace(
            line,
            weight=line.weight or product.weight,
            image_url=line.image_url or product.image_url,
            options=line.options or product.options,
            stock_location=line.stock_location or product.stock_location,
        )
        changed = changed or filled != line
        lines.append(filled)
    new_lines = tuple(lines) if changed else order.lines
    total_weight = order.total_weight or lines_weight(new_lines)
    flags = (OrderFlag.unknown_sku,) if unknown else ()
    enriched = order.with_flags(add=flags, remove=() if unknown else (OrderFlag.unknown_sku,))
    if not changed and total_weight == order.total_weight:
        return enriched
    return msgspec.structs.replace(enriched, lines=new_lines, total_weight=total_weight)


def skus_of(orders: list[Order]) -> list[str]:
    return sorted({line.sku for order in orders for line in order.lines if line.sku})
