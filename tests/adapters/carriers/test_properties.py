"""Properties: parsing any bytes raises only directory errors; point id normalisation is idempotent."""

from __future__ import annotations

from xml.sax.saxutils import escape

import msgspec
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portside.adapters.carriers.colissimo.parsing import decode
from portside.adapters.carriers.colissimo.parsing import to_pickup_point as colissimo_point
from portside.adapters.carriers.colissimo.schemas import ByIdResponse, SearchResponse
from portside.adapters.carriers.mondial_relay.mapping import to_pickup_point as mr_point
from portside.adapters.carriers.mondial_relay.parsing import parse_search_answer
from portside.adapters.carriers.mondial_relay.schemas import TEXT_FIELDS, WEEKDAYS
from portside.core.errors import DirectoryError
from portside.core.model import PickupCarrier, normalise_point_id

from .test_mr_parsing import answer

FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def mr_parse_and_map(body: bytes) -> None:
    for wire in parse_search_answer(body).points:
        mr_point(wire, country="FR", max_weight_g=30_000)


def colissimo_parse_and_map(body: bytes) -> None:
    for kind in (SearchResponse, ByIdResponse):
        try:
            parsed = decode(body, kind)
        except DirectoryError:
            continue
        if isinstance(parsed, SearchResponse):
            wires = parsed.listePointRetraitAcheminement or []
        else:
            wires = [parsed.pointRetraitAcheminement] if parsed.pointRetraitAcheminement else []
        for wire in wires:
            colissimo_point(wire, country="FR", locker_types=("PCS",))


def only_directory_errors(parse: object, body: bytes) -> None:
    try:
        parse(body)  # type: ignore[operator]
    except DirectoryError:
        pass


@FAST
@given(st.binary(max_size=2_000))
def test_mondial_relay_parsing_of_any_bytes_raises_only_directory_errors(body: bytes) -> None:
    only_directory_errors(mr_parse_and_map, body)


xml_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="<&\x00"), max_size=20)


@FAST
@given(
    st.dictionaries(st.sampled_from((*TEXT_FIELDS, "Num")), xml_text, max_size=8),
    st.lists(st.lists(st.sampled_from(["0000", "0900", "1230", "2400", "9999", "12", "x"]), max_size=5), max_size=7),
    st.lists(st.tuples(xml_text, xml_text), max_size=2),
)
def test_mondial_relay_points_with_any_field_values_raise_only_directory_errors(
    fields: dict[str, str], hours: list[list[str]], periods: list[tuple[str, str]]
) -> None:
    inner = "".join(f"<{k}>{escape(v)}</{k}>" for k, v in fields.items())
    inner += "".join(
        f"<Horaires_{day}>{''.join(f'<string>{s}</string>' for s in values)}</Horaires_{day}>"
        for day, values in zip(WEEKDAYS, hours, strict=False)
    )
    inner += (
        "<Informations_Dispo>"
        + "".join(f"<Periode><Debut>{escape(a)}</Debut><Fin>{escape(b)}</Fin></Periode>" for a, b in periods)
        + "</Informations_Dispo>"
    )
    only_directory_errors(mr_parse_and_map, answer(f"<PointRelais_Details>{inner}</PointRelais_Details>"))


@FAST
@given(st.binary(max_size=2_000))
def test_colissimo_parsing_of_any_bytes_raises_only_directory_errors(body: bytes) -> None:
    only_directory_errors(colissimo_parse_and_map, body)


json_scalar = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20)
POINT_FIELDS = (
    "identifiant", "nom", "adresse1", "codePostal", "localite", "codePays", "coordGeolocalisationLatitude",
    "coordGeolocalisationLongitude", "distanceEnMetre", "horairesOuvertureLundi", "poidsMaxi", "typeDePoint", "reseau",
)  # fmt: skip
conge = st.fixed_dictionaries({"calendarDeDebut": st.integers() | st.text(max_size=25), "calendarDeFin": json_scalar})


@FAST
@given(
    st.dictionaries(st.sampled_from(POINT_FIELDS), json_scalar | st.sampled_from(["09:00-12:00 14:00-18:00"])),
    st.lists(conge, max_size=2),
)
def test_colissimo_points_with_any_field_values_raise_only_directory_errors(
    fields: dict[str, object], conges: list[dict[str, object]]
) -> None:
    point = {"identifiant": "060567", **fields, "listeConges": conges}
    body = msgspec.json.encode({"errorCode": 0, "listePointRetraitAcheminement": [point]})
    only_directory_errors(colissimo_parse_and_map, body)


@given(st.sampled_from(list(PickupCarrier)), st.text(max_size=12) | st.from_regex(r"\s*([A-Za-z]{2}-)?\d{1,8}\s*"))
def test_point_id_normalisation_is_idempotent(carrier: PickupCarrier, raw: str) -> None:
    once = normalise_point_id(carrier, raw)
    assert normalise_point_id(carrier, once) == once
