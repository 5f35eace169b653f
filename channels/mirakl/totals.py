"""Order money: seller promotions as discounts, line fees, and totals that add up to what the buyer paid."""

from __future__ import annotations

from decimal import Decimal

from portside.core.model import Discount, Fee, Money, OrderTotals

from .addresses import clean
from .lines import line_paid
from .schemas import WireOrder, WirePromotion

ZERO = Decimal(0)
PROMOTION = "Seller promotion"


def _label(promotion: WirePromotion) -> str:
    config = promotion.configuration
    described = clean(config.internal_description) if config is not None else None
    kind = clean(config.type) if config is not None else None
    return described or (f"{PROMOTION} ({kind})" if kind else PROMOTION)


def _code(promotion: WirePromotion) -> str | None:
    code = clean(promotion.promo_code)
    if code is None and promotion.id is not None and not isinstance(promotion.id, bool):
        code = clean(str(promotion.id))
    return code


def discounts_of(wire: WireOrder, currency: str) -> tuple[Discount, ...]:
    """Seller promotions (§5.5: already deducted from the line prices). The order's list is the
    source; the lines' apportioned shares are summed per promotion only when the order has none."""
    applied = list(wire.promotions.applied_promotions or ()) if wire.promotions else []
    if not applied:
        by_key: dict[tuple[str | None, str], WirePromotion] = {}
        for line in wire.order_lines or ():
            for promo in line.promotions or ():
                key = (_code(promo), _label(promo))
                seen = by_key.get(key)
                total = (seen.deduced_amount or ZERO) if seen else ZERO
                by_key[key] = WirePromotion(
                    id=promo.id,
                    promo_code=promo.promo_code,
                    deduced_amount=total + (promo.deduced_amount or ZERO),
                    configuration=promo.configuration,
                )
        applied = list(by_key.values())
    found = tuple(
        Discount(
            label=_label(p),
            code=_code(p),
            amount=Money(amount=abs(p.deduced_amount), currency=currency),
            funded_by="seller",
        )
        for p in applied
        if p.deduced_amount
    )
    if not found and wire.promotions and wire.promotions.total_deduced_amount:
        amount = Money(amount=abs(wire.promotions.total_deduced_amount), currency=currency)
        found = (Discount(label=PROMOTION, amount=amount, funded_by="seller"),)
    return found


def fees_of(wire: WireOrder, currency: str) -> tuple[Fee, ...]:
    """Line fees summed per code (``fees[]``, §5.5), in the order they first appear."""
    sums: dict[str, Decimal] = {}
    for line in wire.order_lines or ():
        for fee in line.fees or ():
            if fee.amount:
                label = clean(fee.code) or "Fee"
                sums[label] = sums.get(label, ZERO) + fee.amount
    return tuple(Fee(label=label, amount=Money(amount=amount, currency=currency)) for label, amount in sums.items())


def totals_of(wire: WireOrder, discounts: tuple[Discount, ...], fees: tuple[Fee, ...], currency: str) -> OrderTotals:
    """Items before promotions, so items + shipping + fees − discounts is the order's ``total_price``."""
    lines = wire.order_lines or []
    paid = wire.price if wire.price is not None else sum((line_paid(line) for line in lines), ZERO)
    shipping = wire.shipping_price
    if shipping is None:
        shipping = sum((line.shipping_price or ZERO for line in lines), ZERO)
    discount_total = sum((d.amount.amount for d in discounts), ZERO)
    fee_total = sum((f.amount.amount for f in fees), ZERO)
    grand = wire.total_price if wire.total_price is not None else paid + shipping + fee_total

    def money(amount: Decimal) -> Money:
        return Money(amount=amount, currency=currency)

    return OrderTotals(
        items=money(paid + discount_total),
        shipping=money(shipping),
        discounts=money(discount_total),
        fees=money(fee_total),
        grand_total=money(grand),
    )
