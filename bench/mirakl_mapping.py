"""Mirakl mapping speed: OR11 pages of sandbox orders → core orders, beside a bare msgspec decode of the same bytes."""

from __future__ import annotations

import timeit
from datetime import UTC, datetime
from typing import Any

import msgspec

from portside.channels.mirakl.mapping import MappingContext
from portside.channels.mirakl.pages import decode_page
from portside.channels.mirakl.profiles import load_profile
from portside.channels.mirakl.sandbox.generator import build_order
from portside.channels.mirakl.sandbox.operators import operator
from portside.channels.mirakl.sandbox.render import ENCODER, wire_view

PAGE_SIZE = 100
PROFILE = "leroy_merlin"  # relay orders, promotions, options: the richest mapping


def make_pages(count: int) -> list[bytes]:
    """OR11 bodies of the sandbox's seeded orders, exactly as it serves them."""
    now = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
    op = operator(PROFILE)
    pages = []
    for p in range(count):
        orders = [wire_view(build_order(op, 1, i, now)) for i in range(p * PAGE_SIZE, (p + 1) * PAGE_SIZE)]
        pages.append(ENCODER.encode({"orders": orders, "total_count": count * PAGE_SIZE}))
    return pages


def run(quick: bool = False) -> list[dict[str, Any]]:
    pages = make_pages(3 if quick else 10)
    orders = len(pages) * PAGE_SIZE
    ctx = MappingContext("bench-store", load_profile(PROFILE), "https://bench.mirakl.net")
    rounds = 3 if quick else 7

    def best_rate(work: Any) -> float:
        return orders / min(timeit.repeat(work, number=1, repeat=rounds))

    mapped = best_rate(lambda: [decode_page(body, ctx) for body in pages])
    bare = best_rate(lambda: [msgspec.json.decode(body) for body in pages])
    return [
        {"name": "mirakl_mapping.orders_per_s", "value": round(mapped), "target": None, "ok": True},
        {"name": "mirakl_mapping.bare_decode_per_s", "value": round(bare), "target": None, "ok": True},
        {"name": "mirakl_mapping.ratio", "value": round(mapped / bare, 3), "target": None, "ok": True},
    ]


if __name__ == "__main__":
    for row in run():
        print(f"{row['name']}  {row['value']}")
