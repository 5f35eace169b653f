"""OR11 orders → core orders: the reference's example, the public relay fixtures, states, money and edge cases."""

from __future__ import annotations

from decimal import Decimal

import msgspec
import pytest

from portside.channels.mirakl.mapping import MappingContext, map_order
from portside.channels.mirakl.pages import PageUnreadable, decode_page
from portside.channels.mirakl.profiles import load_profile
from portside.channels.mirakl.schemas import WireOrder, decoder
from portside.channels.mirakl.statuses import DEFAULT_STATUS_MAPPING, ORDER_STATES
from portside.core.errors import MappingError
from portside.core.model import DeliveryKind, Order, OrderFlag, OrderStatus, PickupCarrier, order_id_for
from portside.core.ports import MappingFailure

from .wire_samples import GALERIES_LAFAYETTE_A2P, LEROY_MERLIN_COLISSIMO, REFERENCE_ORDER, encode, order, page

INSTANCE = "https://leroymerlin-prod.mirakl.net"


def ctx(profile: str = "leroy_merlin", **overrides: object) -> MappingContext:
    return MappingContext("store-1", load_profile(profile, overrides or None), INSTANCE)


def mapped(wire: dict, profile: str = "leroy_merlin", **overrides: object) -> Order:
    return map_order(decoder(WireOrder).decode(encode(wire)), ctx(profile, **overrides))


def test_the_reference_order_maps_field_by_field() -> None:
    result = mapped(REFERENCE_ORDER)
    assert result.id == order_id_for("store-1", "001-4815162342-A")
    assert (result.channel, result.channel_reference, result.channel_status) == ("mirakl", "001-4815162342", "SHIPPING")
    assert result.status == OrderStatus.awaiting_shipment
    assert result.placed_at.isoformat() == "2025-06-02T07:41:09+00:00"
    assert result.updated_at.isoformat() == "2025-06-02T08:03:27+00:00"
    assert result.ship_by is not None and result.ship_by.isoformat() == "2025-06-04T21:59:59+00:00"
    assert result.customer.name == "Claire Durand"
    assert result.customer.phone == "+33612345678"
    assert result.customer.email == "a1b2c3d4.e5f6@notification.mirakl.net"
    assert result.billing_address is not None and result.billing_address.country == "FR"
    assert result.payment_method == "CB"
    (line,) = result.lines
    assert (line.channel_line_id, line.sku, line.quantity) == ("001-4815162342-A-1", "MYSKU-PERCEUSE-18V", 2)
    assert line.unit_price.amount == Decimal("19.90") and line.shipping is not None
    assert line.image_url == INSTANCE + "/media/product/image/3f6c0d7e-0000-4000-8000-aaaaaaaaaaaa"
    assert result.totals.grand_total.amount == Decimal("44.70")
    assert result.totals.computed_grand_total == result.totals.grand_total


def test_a_relay_order_gets_the_point_and_the_buyer_stays_the_recipient() -> None:
    result = mapped(REFERENCE_ORDER)
    point = result.pickup_point
    assert point is not None
    # The provider field names Mondial Relay, which beats the shipping type's Colissimo (most specific first).
    assert (point.carrier, point.point_id, point.name) == (
        PickupCarrier.mondial_relay,
        "012345",
        "TABAC PRESSE DU CENTRE",
    )
    assert point.address is not None and point.address.line1 == "3 place du Capitole"
    assert result.delivery is not None and result.delivery.kind == DeliveryKind.pickup
    assert result.shipping_address is not None and result.shipping_address.name == "Claire Durand"
    assert result.label_hints == {
        "mirakl.pudo-relay-point-provider": "mondialrelay",
        "mirakl.pudo-relay-point-store-name": "TABAC PRESSE DU CENTRE",
    }


def test_leroy_merlin_colissimo_relay_fixture() -> None:
    result = mapped(LEROY_MERLIN_COLISSIMO)
    point = result.pickup_point
    assert point is not None
    assert (point.carrier, point.point_id, point.name) == (PickupCarrier.colissimo, "908645", "MA BOUTIQUE DU COIN")
    assert result.delivery is not None and result.delivery.carrier_hint == "colissimo"
    assert result.label_hints["mirakl.client-type"] == "INH"


def test_galeries_lafayette_reads_the_point_type_and_the_network_it_implies() -> None:
    result = mapped(GALERIES_LAFAYETTE_A2P, "galeries_lafayette")
    point = result.pickup_point
    assert point is not None
    assert (point.carrier, point.point_id, point.point_type) == (PickupCarrier.colissimo, "908557", "A2P")
    assert point.name == "CARREFOUR CITY"  # the relay's name is the shipping address's company (§13)
    without_pudo = mapped(order(**{**GALERIES_LAFAYETTE_A2P, "shipping_pudo_id": None}), "galeries_lafayette")
    assert without_pudo.pickup_point is not None and without_pudo.pickup_point.point_id == "908557"  # from relais-id
    chronopost = mapped(
        order(**{**GALERIES_LAFAYETTE_A2P, "order_additional_fields": [{"code": "type-de-point", "value": "B"}]}),
        "galeries_lafayette",
    )
    assert chronopost.pickup_point is not None and chronopost.pickup_point.carrier == PickupCarrier.other
    assert chronopost.delivery is not None and chronopost.delivery.carrier_hint == "chronopost"


def test_rue_du_commerce_reads_the_relay_id_from_the_label() -> None:
    wire = order(
        shipping_pudo_id=None,
        order_additional_fields=[],
        shipping_type_code="PDP",
        shipping_type_label="Livraison en point de proximité avec Mondial Relay 12345",
    )
    result = mapped(wire, "rue_du_commerce")
    assert result.pickup_point is not None
    assert (result.pickup_point.carrier, result.pickup_point.point_id) == (PickupCarrier.mondial_relay, "012345")
    assert mapped(wire, "generic").pickup_point is None  # the generic profile has no such pattern


@pytest.mark.parametrize(
    ("raw", "expected"), [("488411 ", "488411"), (" FR:908645", "908645"), ("LM: 2827U ", "2827U")]
)
def test_relay_ids_are_trimmed_and_keep_the_part_after_a_colon(raw: str, expected: str) -> None:
    result = mapped(order(shipping_pudo_id=raw, order_additional_fields=[]), "generic")
    assert result.pickup_point is not None and result.pickup_point.point_id == expected


def test_addresses_hidden_until_acceptance_stay_empty_and_the_point_keeps_its_id() -> None:
    hidden = order(order_state="WAITING_ACCEPTANCE", customer={"billing_address": None, "shipping_address": None})
    result = mapped(hidden)
    assert result.status == OrderStatus.awaiting_acceptance
    assert result.billing_address is None and result.shipping_address is None
    assert result.customer.name == "Claire Durand" and result.customer.phone is None
    assert result.pickup_point is not None and result.pickup_point.address is None
    assert result.pickup_point.country == "FR"  # the marketplace's country (prefix 001), not a guessed address
    spanish = mapped(order(order_id="002-99-A", customer={"billing_address": None, "shipping_address": None}))
    assert spanish.pickup_point is not None and spanish.pickup_point.country == "ES"


def test_country_codes_are_alpha3_and_an_unknown_one_is_refused() -> None:
    belgian = mapped(order(customer={"shipping_address": {"country_iso_code": "BEL"}}))
    assert belgian.shipping_address is not None and belgian.shipping_address.country == "BE"
    with pytest.raises(MappingError, match="unknown country code 'ZZZ'"):
        mapped(order(customer={"billing_address": {"country_iso_code": "ZZZ"}}))


def test_unknown_fields_and_enum_values_are_accepted() -> None:
    wire = order(order_state="AWAITING_SOMETHING_NEW", brand_new_field={"x": [1, 2]})
    wire["order_lines"][0]["order_line_state"] = "LINE_STATE_FROM_THE_FUTURE"
    result = mapped(wire)
    assert result.status == OrderStatus.on_hold and OrderFlag.unmapped_status in result.flags
    assert result.lines[0].shippable


@pytest.mark.parametrize("state", ORDER_STATES)
def test_every_state_has_its_default_status(state: str) -> None:
    assert mapped(order(order_state=state)).status == DEFAULT_STATUS_MAPPING[state]


@pytest.mark.parametrize("line_state", ["REFUSED", "CANCELED", "REFUNDED"])
def test_refused_cancelled_and_refunded_lines_are_not_shipped(line_state: str) -> None:
    wire = order()
    wire["order_lines"][0]["order_line_state"] = line_state
    assert not mapped(wire).lines[0].shippable


def test_promotions_become_seller_discounts_and_totals_add_up() -> None:
    promotion = {
        "id": "P-7",
        "promo_code": "BIENVENUE10",
        "deduced_amount": 4.0,
        "configuration": {"type": "AMOUNT_OFF"},
    }
    wire = order(promotions={"applied_promotions": [promotion], "total_deduced_amount": 4.0})
    wire["order_lines"][0]["fees"] = [{"code": "ECO", "amount": 0.5}]
    result = mapped(wire)
    (discount,) = result.discounts
    assert (discount.code, discount.amount.amount, discount.funded_by) == ("BIENVENUE10", Decimal("4.0"), "seller")
    assert discount.label == "Seller promotion (AMOUNT_OFF)"
    assert result.fees[0].label == "ECO"
    assert result.totals.items.amount == Decimal("43.80")  # before the promotion
    assert result.totals.items + result.totals.shipping - result.totals.discounts == result.totals.grand_total


def test_line_promotions_count_once_per_promotion_when_the_order_lists_none() -> None:
    wire = order()
    share = {"id": "P-1", "deduced_amount": 1.5, "configuration": {"internal_description": "Remise fidélité"}}
    wire["order_lines"].append({**wire["order_lines"][0], "order_line_id": "001-4815162342-A-2", "promotions": [share]})
    wire["order_lines"][0]["promotions"] = [share]
    (discount,) = mapped(wire).discounts
    assert (discount.label, discount.amount.amount) == ("Remise fidélité", Decimal("3.0"))


def test_line_options_come_from_line_additional_fields() -> None:
    wire = order()
    wire["order_lines"][0]["order_line_additional_fields"] = [
        {"code": "couleur", "type": "LIST", "value": "Bleu"},
        {"code": "gravure", "type": "MULTIPLE_VALUES_LIST", "value": ["A", "B"]},
        {"code": "cadeau", "type": "BOOLEAN", "value": "true"},
    ]
    options = {o.name: o.value for o in mapped(wire).lines[0].options}
    assert options == {"couleur": "Bleu", "gravure": "A, B", "cadeau": "true"}


def test_the_largest_image_wins_and_absolute_urls_stay() -> None:
    wire = order()
    wire["order_lines"][0]["product_medias"] = [
        {"media_url": "https://cdn.example/small.jpg", "type": "SMALL"},
        {"media_url": "//cdn.example/large.jpg", "type": "LARGE"},
    ]
    assert mapped(wire).lines[0].image_url == "https://cdn.example/large.jpg"


def test_delivery_instructions_become_customer_notes() -> None:
    result = mapped(order(customer={"shipping_address": {"additional_info": "Digicode 4512B"}}))
    assert result.customer_notes == "Digicode 4512B"


def test_a_store_override_adds_a_shipping_type() -> None:
    wire = order(shipping_type_code="X_RELAIS", shipping_pudo_id="5680", order_additional_fields=[])
    plain = mapped(wire, "carrefour")
    assert plain.pickup_point is not None and plain.pickup_point.carrier == PickupCarrier.other
    tuned = mapped(wire, "carrefour", shipping_types={"X_RELAIS": {"kind": "pickup", "carrier": "mondial_relay"}})
    assert tuned.pickup_point is not None and tuned.pickup_point.point_id == "005680"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"order_id": "  "}, "empty order_id"),
        ({"order_state": None}, "no order_state"),
        ({"created_date": None, "last_updated_date": None}, "no created_date"),
        ({"currency_iso_code": "EURO"}, "currency"),
    ],
)
def test_broken_orders_raise_mapping_errors(changes: dict, message: str) -> None:
    with pytest.raises(MappingError, match=message):
        mapped(order(**changes))


def test_a_negative_quantity_or_a_non_finite_amount_is_a_mapping_error() -> None:
    wire = order()
    wire["order_lines"][0]["quantity"] = -1
    with pytest.raises(MappingError, match="quantity"):
        mapped(wire)
    with pytest.raises(MappingError, match="finite"):
        mapped(order(total_price="NaN"))


def test_one_malformed_order_on_a_page_is_quarantined_alone() -> None:
    broken = order(order_id="BROKEN-A", last_updated_date="2025-06-03T10:00:00Z")
    broken["order_lines"][0]["quantity"] = "deux"
    body = page(order(order_id="OK-1-A"), broken, order(order_id="OK-2-A"))
    decoded = decode_page(body, ctx())
    kinds = [type(item).__name__ for item, _ in decoded.entries]
    assert kinds == ["Order", "MappingFailure", "Order"]
    failure, moment = decoded.entries[1]
    assert isinstance(failure, MappingFailure) and failure.channel_order_id == "BROKEN-A"
    assert msgspec.json.decode(failure.raw)["order_lines"][0]["quantity"] == "deux"
    assert moment is not None and moment.isoformat() == "2025-06-03T10:00:00+00:00"
    with pytest.raises(PageUnreadable):
        decode_page(b'{"orders": 12}', ctx())
