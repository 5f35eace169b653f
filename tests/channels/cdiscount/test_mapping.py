"""Octopia order → core Order: the reference example field by field, then the edge cases."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from portside.channels.cdiscount.mapping import MappingContext, map_order
from portside.channels.cdiscount.pages import PageUnreadable, decode_page, map_raw
from portside.channels.cdiscount.pickup import DeliveryModes
from portside.channels.cdiscount.schemas import WireOrder, decoder
from portside.channels.cdiscount.settings import DeliveryModeRule
from portside.core.errors import MappingError
from portside.core.model import (
    Address,
    DeliveryKind,
    LineOption,
    Money,
    Order,
    OrderFlag,
    OrderStatus,
    PickupCarrier,
    order_id_for,
)
from portside.core.ports import MappingFailure, SkippedOrder

from .wire_samples import REFERENCE_ORDER, encode, line, order, page

CTX = MappingContext("store-1")


def eur(amount: str) -> Money:
    return Money(amount=Decimal(amount), currency="EUR")


def mapped(wire: dict[str, Any], ctx: MappingContext = CTX) -> Order:
    result = map_raw(encode(wire), ctx)
    assert isinstance(result, Order), result
    return result


def pickup_order(mode: str, pickup_id: Any = "5680", pickup_name: str | None = "TABAC DE LA GARE", **address: Any):
    shipping = {
        "firstName": "Camille",
        "lastName": "Durand",
        "addressLine1": "3 PLACE STALINGRAD",
        "postalCode": "33100",
        "city": "Bordeaux",
        "countryCode": "FR",
        "phone": "0601020304",
        "pickupId": pickup_id,
        "pickupName": pickup_name,
        **address,
    }
    return order(lines=[line(delivery={"mode": mode}, shippingAddress=shipping)])


def test_the_reference_order_maps_every_field() -> None:
    result = mapped(REFERENCE_ORDER)
    assert result.id == order_id_for("store-1", "2509011032XYZ12")
    assert (result.store_id, result.channel, result.channel_order_id) == ("store-1", "cdiscount", "2509011032XYZ12")
    assert result.channel_reference is None
    assert (result.channel_status, result.status) == ("InPreparation", OrderStatus.awaiting_shipment)
    assert result.placed_at == datetime(2025, 9, 1, 8, 32, tzinfo=UTC)
    assert result.updated_at == datetime(2025, 9, 1, 9, 10, tzinfo=UTC)
    assert result.ship_by == datetime(2025, 9, 3, 22, 0, tzinfo=UTC)
    assert result.currency == "EUR"
    assert result.payment_method == "Card"
    assert result.customer.name == "Camille Durand"
    assert result.customer.phone == "0601020304"  # from the shipping address: billing has none
    assert result.customer.email == "xxxx@masked.example"
    assert result.billing_address == Address(
        name="Camille Durand", line1="12 rue des Lilas", line2="Bât. B", postal_code="69003", city="Lyon", country="FR"
    )
    assert result.shipping_address == Address(
        name="Camille Durand",
        line1="12 rue des Lilas",
        line2="Bât. B",
        postal_code="69003",
        city="Lyon",
        country="FR",
        phone="0601020304",
        email="xxxx@masked.example",
    )
    assert result.delivery is not None
    assert (result.delivery.code, result.delivery.kind) == ("TrackedHomeDelivery", DeliveryKind.home)
    assert result.delivery.label == "Home delivery, tracked"
    assert result.pickup_point is None
    (item,) = result.lines
    assert (item.channel_line_id, item.sku, item.gtin, item.title) == (
        "1",
        "SKU-12345",
        "3700000000017",
        "Lampe de bureau",
    )
    assert item.quantity == 1 and item.unit_price == eur("29.9") and item.shipping == eur("4.99")
    assert (item.channel_status, item.supply_mode, item.shippable) == ("InPreparation", "Seller", True)
    assert item.options == () and item.weight is None and item.image_url is None
    assert result.totals.items == eur("29.9") and result.totals.shipping == eur("4.99")
    assert result.totals.discounts == eur("0") and result.totals.fees == eur("0")
    assert result.totals.grand_total == eur("34.89") == result.totals.computed_grand_total
    assert result.discounts == () and result.fees == ()
    assert result.gift is None and result.customer_notes is None and result.total_weight is None
    assert result.flags == ()


def test_fetch_by_page_and_alone_give_the_same_order() -> None:
    (from_page,) = decode_page(page(REFERENCE_ORDER), CTX).orders
    assert from_page == mapped(REFERENCE_ORDER)


def test_a_gap_between_offer_and_selling_price_is_a_marketplace_discount() -> None:
    wire = order(
        lines=[
            line(
                quantity=2,
                offerPrice={"unitSalesPrice": 25.0, "shippingCost": 4.99},
                sellingPrice={"unitSalesPrice": 22.5, "shippingCost": 3.99},
            )
        ],
        totalPrice={"offerPrice": 54.99, "sellingPrice": 48.99},
    )
    result = mapped(wire)
    (discount,) = result.discounts
    assert discount.amount == eur("6.00") and discount.funded_by == "marketplace"
    assert result.lines[0].unit_price == eur("22.5")  # what the buyer paid
    assert result.totals.items == eur("50.0") and result.totals.shipping == eur("4.99")
    assert result.totals.grand_total == eur("48.99") == result.totals.computed_grand_total


def test_a_selling_price_above_the_offer_is_not_a_discount() -> None:
    wire = order(lines=[line(offerPrice={"unitSalesPrice": 20.0}, sellingPrice={"unitSalesPrice": 21.0})])
    assert mapped(wire).discounts == ()


def test_service_fees_are_fees_and_count_in_the_computed_total() -> None:
    wire = order(
        serviceFees=[{"label": "FRAISTRAITEMENT", "amount": 1.99}, {"label": " ", "amount": 2}], totalPrice=None
    )
    result = mapped(wire)
    assert [(f.label, f.amount) for f in result.fees] == [("FRAISTRAITEMENT", eur("1.99")), ("Service fee", eur("2.0"))]
    assert result.totals.fees == eur("3.99")
    assert result.totals.grand_total == eur("38.88")  # 29.90 + 4.99 + 3.99


def test_item_options_come_from_product_attributes_in_any_known_shape() -> None:
    shapes = [
        [{"name": "Couleur", "value": "Noir"}, {"name": "Taille", "value": "M"}],
        {"Couleur": "Noir", "Taille": "M"},
        [{"label": "Couleur", "values": ["Noir"]}, {"key": "Taille", "attributeValue": "M"}],
        ["Couleur: Noir", "Taille:M"],
    ]
    for attributes in shapes:
        result = mapped(order(lines=[line(productAttributes=attributes)]))
        assert result.lines[0].options == (
            LineOption(name="Couleur", value="Noir"),
            LineOption(name="Taille", value="M"),
        ), attributes


def test_unreadable_product_attributes_give_no_options_but_keep_the_order() -> None:
    for attributes in (None, [], "Noir", 3, [{"value": "orphan"}], [[1, 2]], {"Couleur": {"deep": 1}}):
        assert mapped(order(lines=[line(productAttributes=attributes)])).lines[0].options == ()


def test_fulfilment_lines_are_never_offered_for_shipment() -> None:
    wire = order(lines=[line(), line(orderLineId="2", offer={"supplyMode": "Fulfillment"})])
    result = mapped(wire)
    assert [item.shippable for item in result.lines] == [True, False]
    assert OrderFlag.fulfilled_by_channel in result.flags
    assert [item.channel_line_id for item in result.shippable_lines] == ["1"]


def test_cancelled_or_refused_lines_are_not_shippable() -> None:
    statuses = ["Cancelled", "Refused", "Rejected", "CancelRequest", "cancelled"]
    lines = [line(orderLineId=str(i), status=s) for i, s in enumerate(statuses)] + [line(orderLineId="ok")]
    result = mapped(order(lines=lines))
    assert [item.channel_line_id for item in result.shippable_lines] == ["ok"]


@pytest.mark.parametrize("modes", [["Fulfillment"], ["Xdock", "Fulfillment"], ["xdock"]])
def test_an_order_without_a_seller_line_is_skipped(modes: list[str]) -> None:
    wire = order(lines=[line(orderLineId=str(i), offer={"supplyMode": m}) for i, m in enumerate(modes)])
    result = map_raw(encode(wire), CTX)
    assert isinstance(result, SkippedOrder)
    assert result.channel_order_id == "2509011032XYZ12" and "Fulfillment or Xdock" in result.reason


def test_an_order_without_lines_is_skipped() -> None:
    assert isinstance(map_raw(encode(order(lines=[])), CTX), SkippedOrder)


def test_the_shipping_address_is_the_first_seller_lines() -> None:
    fulfilled = line(orderLineId="1", offer={"supplyMode": "Fulfillment"}, shippingAddress={"city": "Lille"})
    seller = line(orderLineId="2", shippingAddress={"city": "Nantes", "countryCode": "FR"})
    result = mapped(order(lines=[fulfilled, seller]))
    assert result.shipping_address is not None and result.shipping_address.city == "Nantes"


def test_phone_and_email_fall_back_to_the_billing_address() -> None:
    billing = {**REFERENCE_ORDER["billingAddress"], "phone": "0411223344", "email": "billing@masked.example"}
    wire = order(billingAddress=billing, lines=[line(shippingAddress={"phone": None, "email": ""})])
    result = mapped(wire)
    assert (result.customer.phone, result.customer.email) == ("0411223344", "billing@masked.example")


def test_an_order_not_yet_ready_has_no_addresses_and_still_maps() -> None:
    # Octopia gives addresses only from InPreparation (§4.3).
    wire = order(status="WaitingAcceptance", billingAddress=None, lines=[line(shippingAddress=None)])
    result = mapped(wire)
    assert result.status == OrderStatus.awaiting_acceptance
    assert result.shipping_address is None and result.billing_address is None
    assert result.customer.name is None
    assert result.delivery is not None and result.delivery.kind == DeliveryKind.home


def test_an_unknown_status_is_kept_on_hold_and_flagged() -> None:
    result = mapped(order(status="AwaitingSomethingNew"))
    assert (result.status, result.channel_status) == (OrderStatus.on_hold, "AwaitingSomethingNew")
    assert OrderFlag.unmapped_status in result.flags


def test_timestamps_without_an_offset_are_utc_and_others_are_converted() -> None:
    wire = order(purchasedAt="2025-09-01T08:32:00", updatedAt="2025-09-01T11:10:00+02:00", shippedAtMax=None)
    wire["lines"][0]["delivery"]["shippedAtMax"] = "2025-09-03T22:00:00"
    result = mapped(wire)
    assert result.placed_at == datetime(2025, 9, 1, 8, 32, tzinfo=UTC)
    assert result.updated_at == datetime(2025, 9, 1, 9, 10, tzinfo=UTC)
    assert result.ship_by == datetime(2025, 9, 3, 22, 0, tzinfo=UTC)  # from the line when the order has none


def test_missing_dates_fall_back_and_none_at_all_is_a_mapping_error() -> None:
    result = mapped(order(purchasedAt=None, updatedAt=None))
    assert result.placed_at == result.updated_at == datetime(2025, 9, 1, 8, 32, 5, tzinfo=UTC)
    failure = map_raw(encode(order(purchasedAt=None, updatedAt=None, createdAt=None)), CTX)
    assert isinstance(failure, MappingFailure) and "no purchasedAt" in failure.error


def test_a_missing_currency_is_the_store_default() -> None:
    assert mapped(order(currencyCode=None)).currency == "EUR"
    assert mapped(order(currencyCode=None), MappingContext("s", default_currency="pln")).currency == "PLN"


def test_numeric_ids_are_read_as_text() -> None:
    result = mapped(order(orderId=250901, lines=[line(orderLineId=7)]))
    assert result.channel_order_id == "250901" and result.lines[0].channel_line_id == "7"


def test_a_line_without_an_id_gets_its_position() -> None:
    result = mapped(order(lines=[line(orderLineId=None), line(orderLineId="")]))
    assert [item.channel_line_id for item in result.lines] == ["1", "2"]


@pytest.mark.parametrize(
    ("wire", "message"),
    [
        (order(lines=[line(sellingPrice=None, offerPrice=None)]), "no unit price"),
        (order(currencyCode="EURO"), "currency"),
        (order(billingAddress={"countryCode": "France"}), "country"),
        (order(lines=[line(quantity=-1)]), "quantity"),
        (order(orderId="  "), "empty orderId"),
    ],
)
def test_payloads_the_core_refuses_are_mapping_errors_naming_the_order(wire: dict[str, Any], message: str) -> None:
    with pytest.raises(MappingError, match=message):
        map_order(decoder(WireOrder).decode(encode(wire)), CTX)


def test_a_wrong_type_fails_that_order_only_and_keeps_its_bytes() -> None:
    broken = order(orderId="BROKEN-1", updatedAt="2025-09-02T10:00:00Z", lines=[line(quantity="two")])
    price_text = order(orderId="BROKEN-2", totalPrice={"offerPrice": "34,89", "sellingPrice": "34,89"})
    result = decode_page(page(REFERENCE_ORDER, broken, price_text, order(orderId="OK-2")), CTX)
    assert [o.channel_order_id for o in result.orders] == ["2509011032XYZ12", "OK-2"]
    assert [f.channel_order_id for f in result.failures] == ["BROKEN-1", "BROKEN-2"]
    assert result.failures[0].raw == encode(broken)
    assert "quantity" in result.failures[0].error
    # The cursor covers the order that failed too: it was received.
    assert result.max_updated_at == datetime(2025, 9, 2, 10, 0, tzinfo=UTC)


def test_a_mapping_error_on_the_fast_path_still_quarantines_the_raw_order() -> None:
    bad = order(orderId="BAD-COUNTRY", billingAddress={"countryCode": "France"})
    result = decode_page(page(REFERENCE_ORDER, bad), CTX)
    (failure,) = result.failures
    assert failure.channel_order_id == "BAD-COUNTRY" and failure.raw == encode(bad)


def test_an_order_whose_id_cannot_be_read_is_still_quarantined() -> None:
    result = decode_page(page({"orderId": {"not": "an id"}, "lines": {}}, "just a string"), CTX)
    assert [f.channel_order_id for f in result.failures] == [None, None]


@pytest.mark.parametrize("body", [b"<html>maintenance</html>", b'{"items": {}}', b"[]"])
def test_a_page_envelope_that_is_not_octopias_is_unreadable(body: bytes) -> None:
    with pytest.raises(PageUnreadable):
        decode_page(body, CTX)


def test_an_empty_or_itemless_page_is_an_empty_page() -> None:
    assert decode_page(b'{"itemsPerPage": 0, "items": []}', CTX).orders == []
    assert decode_page(b'{"items": null}', CTX).orders == []


# Pickup points ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mode", "carrier", "point_id"),
    [
        ("REL", PickupCarrier.mondial_relay, "005680"),
        ("MondialRelayPickupDelivery", PickupCarrier.mondial_relay, "005680"),
        ("SO1", PickupCarrier.colissimo, "005680"),
        ("ColissimoPickupDelivery", PickupCarrier.colissimo, "005680"),
        ("RCO", PickupCarrier.relais_colis, "5680"),
        ("Relais Colis pick-up point", PickupCarrier.relais_colis, "5680"),
    ],
)
def test_a_relay_order_carries_its_pickup_point(mode: str, carrier: PickupCarrier, point_id: str) -> None:
    result = mapped(pickup_order(mode))
    assert result.delivery is not None
    assert result.delivery.kind == DeliveryKind.pickup and result.delivery.carrier_hint == carrier.value
    point = result.pickup_point
    assert point is not None
    assert (point.carrier, point.point_id, point.name) == (carrier, point_id, "TABAC DE LA GARE")
    assert point.address is not None and point.address.line1 == "3 PLACE STALINGRAD"
    assert point.address.city == "Bordeaux" and point.country == "FR"
    assert point.source == "channel"
    # The recipient is the customer, not the point.
    assert result.shipping_address is not None and result.shipping_address.name == "Camille Durand"


def test_the_legacy_habit_of_naming_the_point_in_the_last_name_is_undone() -> None:
    wire = pickup_order("REL", firstName="Camille Durand", lastName="TABAC DE LA GARE")
    assert mapped(wire).shipping_address.name == "Camille Durand"  # type: ignore[union-attr]


def test_a_pickup_id_makes_any_mode_a_pickup_delivery() -> None:
    result = mapped(pickup_order("SomeNewMode", pickup_id=12345))
    assert result.delivery is not None and result.delivery.kind == DeliveryKind.pickup
    assert result.pickup_point is not None
    assert (result.pickup_point.carrier, result.pickup_point.point_id) == (PickupCarrier.other, "12345")


def test_a_pickup_mode_without_a_pickup_id_has_no_point() -> None:
    result = mapped(pickup_order("REL", pickup_id=None, pickup_name=None))
    assert result.delivery is not None and result.delivery.kind == DeliveryKind.pickup
    assert result.pickup_point is None


def test_store_delivery_modes() -> None:
    result = mapped(order(lines=[line(delivery={"mode": "ImmediateVendorPickup"})]))
    assert result.delivery is not None and result.delivery.kind == DeliveryKind.store


def test_a_store_can_override_the_delivery_mode_table() -> None:
    modes = DeliveryModes(
        {"ExpressHomeDelivery": DeliveryModeRule(label="Chronopost Relais", kind="pickup", carrier="colissimo")},
        {"pickupstation": "mondial_relay"},
    )
    ctx = MappingContext("store-1", modes)
    overridden = mapped(pickup_order("ExpressHomeDelivery"), ctx)
    assert overridden.pickup_point is not None and overridden.pickup_point.carrier == PickupCarrier.colissimo
    keyword = mapped(pickup_order("DeliveryToPickupStation"), ctx)
    assert keyword.pickup_point is not None and keyword.pickup_point.carrier == PickupCarrier.mondial_relay


def test_an_unknown_home_mode_keeps_its_code() -> None:
    result = mapped(order(lines=[line(delivery={"mode": "DroneDelivery"})]))
    assert result.delivery is not None
    assert (result.delivery.code, result.delivery.label, result.delivery.kind) == (
        "DroneDelivery",
        "DroneDelivery",
        DeliveryKind.home,
    )
