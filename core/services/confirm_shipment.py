"""Confirm a shipment: validate it against the channel, then store it with its outbox row."""

from __future__ import annotations

from datetime import datetime

import msgspec

from ..errors import ChannelRejected, Conflict, NotFound, ValidationFailed
from ..model import (
    ActivityKind,
    ActivityRecord,
    Money,
    NotificationStatus,
    Order,
    OrderStatus,
    OutboxKind,
    OutboxMessage,
    Shipment,
    ShipmentLine,
    ShipNotificationPayload,
    to_payload,
)
from ..ports import CarrierCatalog, ChannelCapabilities, Clock, ShipmentNotifier, UnitOfWorkFactory
from .ids import new_id


class ShipmentRequest(msgspec.Struct, frozen=True, kw_only=True):
    carrier: str
    tracking_number: str
    service: str | None = None
    tracking_url: str | None = None
    carrier_fee: Money | None = None
    notes_to_buyer: str | None = None
    shipped_at: datetime | None = None
    lines: tuple[ShipmentLine, ...] | None = None  # None: every line still to ship


def _lines_to_ship(order: Order, shipped: dict[str, int], request: ShipmentRequest) -> tuple[ShipmentLine, ...]:
    remaining = {
        line.channel_line_id: line.quantity - shipped.get(line.channel_line_id, 0) for line in order.shippable_lines
    }
    remaining = {line_id: qty for line_id, qty in remaining.items() if qty > 0}
    if not remaining:
        raise Conflict(f"order {order.channel_order_id} has nothing left to ship")
    if request.lines is None:
        return tuple(ShipmentLine(channel_line_id=i, quantity=q) for i, q in remaining.items())
    problems = {}
    for line in request.lines:
        left = remaining.get(line.channel_line_id)
        if left is None:
            problems[f"lines.{line.channel_line_id}"] = "not a line the seller ships on this order, or already shipped"
        elif line.quantity > left:
            problems[f"lines.{line.channel_line_id}"] = f"only {left} left to ship"
    if problems:
        raise ValidationFailed("some shipment lines cannot be shipped", problems)
    return request.lines


async def confirm_shipment(
    order_id: str,
    request: ShipmentRequest,
    *,
    uow: UnitOfWorkFactory,
    clock: Clock,
    carriers: CarrierCatalog,
    capabilities: ChannelCapabilities,
    notifier: ShipmentNotifier | None = None,
) -> Shipment:
    """Record the shipment, move the order to shipped and queue the marketplace notification, all
    in one transaction: either the channel will hear of it, or nothing happened."""
    async with uow() as u:
        record = await u.orders.get(order_id)
        if record is None:
            raise NotFound("order", order_id)
        earlier = await u.shipments.list_for_order(order_id)
    order = record.order
    marketplace = capabilities.marketplace or order.channel
    _check_shippable(order, earlier, marketplace)

    problems: dict[str, str] = {}
    channel_carrier = await carriers.resolve(request.carrier) if request.carrier.strip() else None
    if not request.carrier.strip():
        problems["carrier"] = "required"
    elif channel_carrier is None:
        accepted = ", ".join(await carriers.accepted_carriers()) or "none listed"
        problems["carrier"] = f"{request.carrier!r} is not accepted by {marketplace}; accepted: {accepted}"
    number = request.tracking_number.strip()
    if not number:
        problems["tracking_number"] = "required"
    limit = capabilities.max_tracking_number_length
    if limit is not None and len(number) > limit:
        problems["tracking_number"] = f"{marketplace} accepts at most {limit} characters"
    url_limit = capabilities.max_tracking_url_length
    if request.tracking_url is not None:
        if not request.tracking_url.startswith(("http://", "https://")):
            problems["tracking_url"] = "must start with http:// or https://"
        elif url_limit is not None and len(request.tracking_url) > url_limit:
            problems["tracking_url"] = f"{marketplace} accepts at most {url_limit} characters"
    if problems:
        raise ValidationFailed("the shipment cannot be sent to the marketplace as it is", problems)

    now = clock.now()
    if notifier is not None:
        await _preflight(notifier, order, _shipment(order, request, number, now, ()))
    async with uow() as u:
        # Read again, locked, inside the writing transaction: a sync may have cancelled it meanwhile.
        record = await u.orders.get(order_id, for_update=True)
        if record is None:
            raise NotFound("order", order_id)
        order = record.order
        earlier = await u.shipments.list_for_order(order.id)
        _check_shippable(order, earlier, marketplace)
        shipped: dict[str, int] = {}
        for previous in earlier:
            for line in previous.lines:
                shipped[line.channel_line_id] = shipped.get(line.channel_line_id, 0) + line.quantity
        lines = _lines_to_ship(order, shipped, request)
        for line in lines:
            shipped[line.channel_line_id] = shipped.get(line.channel_line_id, 0) + line.quantity
        complete = all(shipped.get(line.channel_line_id, 0) >= line.quantity for line in order.shippable_lines)
        if not complete and not capabilities.partial_shipments:
            raise ValidationFailed(
                f"{marketplace} accepts only one notification for the whole order; ship every line at once",
                {"lines": "must cover every line the seller ships"},
            )
        shipment = _shipment(order, request, number, now, lines)
        await u.shipments.add(shipment)
        detail = {"carrier": request.carrier, "tracking_number": number}
        activity = [ActivityRecord.for_shipment(shipment, ActivityKind.shipment_confirmed, now, detail, id=new_id())]
        if complete:  # the order's status moves: recorded like a sync's change, so order.status_changed fires
            updated = msgspec.structs.replace(order, status=OrderStatus.shipped)
            await u.orders.save_many([msgspec.structs.replace(record, order=updated, modified_at=now)])
            change = {"from": order.status, "to": updated.status, "by": "shipment"}
            activity.append(ActivityRecord.for_order(order, ActivityKind.status_changed, now, change, id=new_id()))
        await u.outbox.add(
            OutboxMessage(
                id=new_id(),
                kind=OutboxKind.ship_notification,
                store_id=order.store_id,
                subject_id=shipment.id,
                payload=to_payload(ShipNotificationPayload(carrier_name=channel_carrier or request.carrier)),
                available_at=now,
                created_at=now,
            )
        )
        await u.activity.add_many(activity)
        await u.commit()
    return shipment


def _check_shippable(order: Order, earlier: list[Shipment], marketplace: str) -> None:
    """Refuse an order that cannot take a shipment now, saying what to do instead.

    A ``shipped`` order takes no other shipment: the marketplace already has its parcel (Cdiscount takes
    one per order; a Mirakl order is SHIPPED once every line is), so a new one would only be refused
    when the relay sends it. Portside's own shipments of it stay readable, and a retry of the request
    that shipped it is answered by its ``Idempotency-Key``."""
    number = order.channel_order_id
    if order.status == OrderStatus.cancelled:
        raise Conflict(f"order {number} was cancelled on the marketplace; do not ship it")
    if order.status == OrderStatus.shipped:
        if not earlier:
            raise Conflict(
                f"order {number} is already shipped on {marketplace} (status {order.channel_status}), not through "
                f"portside: {marketplace} has its parcel and takes no other. Nothing needs sending; to change its "
                f"tracking, do it in {marketplace}'s seller back office"
            )
        tracking = ", ".join(sorted({s.tracking_number for s in earlier}))
        if all(s.notification.status == NotificationStatus.dead for s in earlier):
            # Shipped here, never confirmed there: the way forward is the dead notification, not a new parcel.
            last = max(earlier, key=lambda s: s.created_at)
            raise Conflict(
                f"order {number} is already shipped through portside (tracking {tracking}), but telling "
                f"{marketplace} failed for good: {last.notification.last_error or 'no error recorded'}. Fix what "
                f"that says (the store's settings or credentials, the carrier's name), then retry it with POST "
                f"/v1/shipments/{last.id}/retry. A new shipment is refused: {marketplace} may hold that parcel "
                "already (a send whose answer was lost), and a second one would reach the buyer too"
            )
        raise Conflict(
            f"order {number} is already shipped (tracking {tracking}); {marketplace} takes no further parcel for "
            f"it. Its shipments are at GET /v1/orders/{order.id}/shipments; to retry a request safely, send it "
            "again with the same Idempotency-Key"
        )
    if order.status != OrderStatus.awaiting_shipment:
        raise Conflict(f"order {number} is {order.status}; only orders awaiting shipment can ship")


def _shipment(
    order: Order, request: ShipmentRequest, number: str, now: datetime, lines: tuple[ShipmentLine, ...]
) -> Shipment:
    return Shipment(
        id=new_id(),
        order_id=order.id,
        store_id=order.store_id,
        carrier=request.carrier,
        service=request.service,
        tracking_number=number,
        tracking_url=request.tracking_url,
        carrier_fee=request.carrier_fee,
        notes_to_buyer=request.notes_to_buyer,
        shipped_at=request.shipped_at or now,
        created_at=now,
        lines=lines,
    )


async def _preflight(notifier: ShipmentNotifier, order: Order, shipment: Shipment) -> None:
    try:
        await notifier.preflight(order, shipment)
    except ChannelRejected as exc:
        problems = {field: "; ".join(messages) for field, messages in exc.field_errors.items()}
        raise ValidationFailed(str(exc), problems or {"shipment": str(exc)}) from None
