"""What a client sees of a stored order: hidden fields dropped, addresses null until shown, faults applied."""

from __future__ import annotations

import copy
from typing import Any

import msgspec
from aiohttp import web

Wire = dict[str, Any]
# Mirakl sends amounts as JSON numbers (§15); the sandbox keeps them as Decimal.
ENCODER = msgspec.json.Encoder(decimal_format="number")


def wire_view(order: Wire, malformation: str | None = None) -> Wire:
    view = {k: copy.deepcopy(v) for k, v in order.items() if not k.startswith("_")}
    if not order.get("_addresses_shown", True) and isinstance(view.get("customer"), dict):
        # "Null before shipping (or acceptance, depending on platform setting)" (§5.4).
        view["customer"]["billing_address"] = None
        view["customer"]["shipping_address"] = None
    if malformation:
        _malform(view, malformation)
    return view


def _malform(view: Wire, kind: str) -> None:
    lines = view.get("order_lines")
    if kind == "quantity_as_text" and isinstance(lines, list) and lines:
        lines[0]["quantity"] = "deux"
    elif kind == "order_lines_as_object":
        view["order_lines"] = {"line": lines}
    elif kind == "price_as_word" and isinstance(lines, list) and lines:
        lines[0]["price_unit"] = "dix-neuf euros"
    elif kind == "customer_as_list":
        view["customer"] = [view.get("customer")]


def json_reply(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    return web.Response(body=ENCODER.encode(data), status=status, content_type="application/json", headers=headers)


def error(status: int, message: str, headers: dict[str, str] | None = None) -> web.Response:
    """The classic MMP error body ``{"status", "message"}`` (§12)."""
    return json_reply({"status": status, "message": message}, status, headers)


def errors(status: int, items: list[tuple[str, str]]) -> web.Response:
    """The newer error body ``{"errors": [{"code", "message"}]}`` (§12), used by the Shipments API here."""
    return json_reply({"errors": [{"code": code, "message": message} for code, message in items]}, status)
