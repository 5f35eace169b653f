"""An order's money: service fees, the marketplace discount and the totals, from the line sums."""

from __future__ import annotations

from decimal import Decimal

from portside.core.model import Discount, Fee, Money, OrderTotals

from .lines import ZERO, LineMapper, LineMoney
from .schemas import WireOrder

DISCOUNT_LABEL = "Cdiscount discount (selling price below the offer price)"


def _money(amount: Decimal, mapper: LineMapper) -> Money:
    return Money(amount=amount, currency=mapper.currency) if amount else mapper.zero


def order_money(
    wire: WireOrder, sums: LineMoney, mapper: LineMapper
) -> tuple[OrderTotals, tuple[Discount, ...], tuple[Fee, ...]]:
    """Totals, discounts and fees of an order whose open lines were summed into ``sums``.

    Octopia documents no coupon object; a selling price below the offer price is taken as a discount
    the marketplace funded (§4.3, §8.4), so items and shipping are totalled at the offer price and
    items + shipping + fees - discounts is what the buyer paid. ``grand_total`` is Octopia's own
    ``totalPrice.sellingPrice`` when sent (whether it includes ``serviceFees`` is not documented).
    """
    fees: tuple[Fee, ...] = ()
    fees_total = ZERO
    for fee in wire.service_fees or ():
        if fee.amount is not None:
            amount = mapper.money(fee.amount)
            fees_total += amount.amount
            fees += (Fee(label=(fee.label or "").strip() or "Service fee", amount=amount),)
    discount_total = sums.items_gap + sums.shipping_gap
    discounts: tuple[Discount, ...] = ()
    if discount_total > 0:
        discounts = (Discount(label=DISCOUNT_LABEL, amount=_money(discount_total, mapper), funded_by="marketplace"),)
    paid = wire.total_price.selling_price if wire.total_price is not None else None
    totals = OrderTotals(
        items=_money(sums.items_paid + sums.items_gap, mapper),
        shipping=_money(sums.shipping_paid + sums.shipping_gap, mapper),
        discounts=discounts[0].amount if discounts else mapper.zero,
        fees=_money(fees_total, mapper) if fees else mapper.zero,
        grand_total=(
            mapper.money(paid)
            if paid is not None
            else _money(sums.items_paid + sums.shipping_paid + fees_total, mapper)
        ),
    )
    return totals, discounts, fees
