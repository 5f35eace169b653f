"""One Octopia order line → a core order line, plus its share of the order's money totals."""

from __future__ import annotations

from decimal import Decimal

from portside.core.errors import MappingError
from portside.core.model import Money, OrderLine

from .options import OptionsMemo
from .schemas import WireLine
from .statuses import NON_SHIPPABLE_LINE_STATUSES

ZERO = Decimal(0)


def dec(value: float) -> Decimal:
    """Exact Decimal of a JSON number: the float's shortest repr is the text Octopia sent (``29.9``)."""
    return Decimal(repr(value))


class LineMoney:
    """Running sums over one order's lines, in Decimal: what was paid and the marketplace-funded gaps."""

    __slots__ = ("items_gap", "items_paid", "shipping_gap", "shipping_paid")

    def __init__(self) -> None:
        self.items_paid = self.items_gap = self.shipping_paid = self.shipping_gap = ZERO


class LineMapper:
    """Maps lines in one currency, memoising Money per JSON number and options per attribute blob:
    a catalogue's prices and attributes repeat on every page (bounded memos)."""

    __slots__ = ("currency", "options", "prices", "zero")

    MAX_PRICES = 20_000

    def __init__(self, currency: str) -> None:
        self.currency = currency
        self.zero = Money(amount=ZERO, currency=currency)
        self.prices: dict[float, Money] = {}
        self.options = OptionsMemo()

    def money(self, value: float) -> Money:
        found = self.prices.get(value)
        if found is None:
            if len(self.prices) >= self.MAX_PRICES:
                self.prices.clear()
            found = self.prices[value] = Money(amount=dec(value), currency=self.currency)
        return found

    def map(self, line: WireLine, position: int, seller: bool, sums: LineMoney) -> OrderLine:
        """Map one line, adding to ``sums``. Written for speed (it runs for every line, see bench/):
        each attribute read once, no helper call on the common path."""
        line_id = line.order_line_id
        line_id = str(line_id).strip() if line_id is not None else ""
        selling, offered = line.selling_price, line.offer_price
        paid = listed = shipping_cost = listed_shipping = None
        if selling is not None:
            paid, shipping_cost = selling.unit_sales_price, selling.shipping_cost
        if offered is not None:
            listed, listed_shipping = offered.unit_sales_price, offered.shipping_cost
        if paid is None:
            paid = listed
            if paid is None:
                raise MappingError(f"line {line_id or position} has no unit price (sellingPrice.unitSalesPrice)")
        prices = self.prices
        unit_price = prices.get(paid) or self.money(paid)
        shipping_cost = listed_shipping if shipping_cost is None else shipping_cost
        shipping = None if shipping_cost is None else prices.get(shipping_cost) or self.money(shipping_cost)
        quantity = line.quantity
        status = line.status
        if status is not None and status.casefold() in NON_SHIPPABLE_LINE_STATUSES:
            seller = False  # cancelled or refused: nobody ships it and the buyer does not pay for it
        else:
            sums.items_paid += unit_price.amount * quantity
            if listed is not None and listed > paid:
                # Assumption (§4.3, §8.4): offer price above selling price is a marketplace-funded discount.
                sums.items_gap += (dec(listed) - unit_price.amount) * quantity
            if shipping is not None:
                sums.shipping_paid += shipping.amount
                if listed_shipping is not None and shipping_cost is not None and listed_shipping > shipping_cost:
                    sums.shipping_gap += dec(listed_shipping) - shipping.amount
        attributes = line.product_attributes
        options = self.options(attributes) if attributes else ()
        offer = line.offer
        return OrderLine(
            channel_line_id=line_id or str(position),  # stable for a given order; Cdiscount ships whole orders
            sku=offer.seller_product_id if offer is not None else None,
            gtin=offer.product_gtin if offer is not None else None,
            title=offer.product_title if offer is not None else None,
            quantity=quantity,
            unit_price=unit_price,
            shipping=shipping,
            options=options,
            channel_status=status,
            supply_mode=offer.supply_mode if offer is not None else None,
            shippable=seller,
        )
