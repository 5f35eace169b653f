"""Money and weight: amounts as Decimal with an ISO 4217 currency, weights in whole grams."""

from __future__ import annotations

from decimal import Decimal

import msgspec
from msgspec.structs import force_setattr

# No order comes near it: 10^12 is tens of millions of euros even in the weakest currencies a
# marketplace may use (VND, IDR), where 10^9 would be an ordinary B2B order. An amount past it is a
# broken or hostile payload (an order's amounts are built through here, so mapping quarantines it).
# Within the bound, a unit price times MAX_QUANTITY times MAX_LINES (orders.py) with its cents is at
# most 23 digits: sums and products stay exact in Decimal's default 28-digit context.
MAX_AMOUNT = Decimal(10) ** 12


class Money(msgspec.Struct, frozen=True, kw_only=True, gc=False):
    amount: Decimal
    currency: str

    def __post_init__(self) -> None:
        if len(self.currency) != 3 or not self.currency.isalpha():
            raise ValueError(f"currency must be a 3-letter ISO 4217 code, got {self.currency!r}")
        if not self.currency.isupper():
            force_setattr(self, "currency", self.currency.upper())
        amount = self.amount
        if not amount.is_finite() or not -MAX_AMOUNT <= amount <= MAX_AMOUNT:
            raise ValueError(f"amount must be finite and within ±{MAX_AMOUNT:,}, got {amount:.6g}")

    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(amount=Decimal(0), currency=currency)

    def _check(self, other: Money) -> None:
        if other.currency != self.currency:
            raise ValueError(f"cannot combine {self.currency} with {other.currency}")

    def __add__(self, other: Money) -> Money:
        self._check(other)
        return Money(amount=self.amount + other.amount, currency=self.currency)

    def __sub__(self, other: Money) -> Money:
        self._check(other)
        return Money(amount=self.amount - other.amount, currency=self.currency)

    def times(self, quantity: int) -> Money:
        return Money(amount=self.amount * quantity, currency=self.currency)


class Weight(msgspec.Struct, frozen=True, kw_only=True, gc=False):
    grams: int

    def __post_init__(self) -> None:
        if self.grams < 0:
            raise ValueError(f"weight cannot be negative, got {self.grams} g")

    def __add__(self, other: Weight) -> Weight:
        return Weight(grams=self.grams + other.grams)

    def times(self, quantity: int) -> Weight:
        return Weight(grams=self.grams * quantity)
