"""Both carriers' code tables: every code is a typed error carrying its meaning; only service failures retry."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from portside.adapters.carriers.colissimo.errors import ERROR_TABLE, error_for_code
from portside.adapters.carriers.directory_errors import (
    CATEGORIES,
    CarrierAuthFailed,
    CarrierRequestRejected,
    CarrierServiceError,
    NoPointsFound,
    PointNotFound,
)
from portside.adapters.carriers.mondial_relay.errors import STAT_TABLE, error_for_stat
from portside.core.errors import DirectoryError, DirectoryUnavailable

TABLES: dict[str, tuple[dict[int, tuple[str, str]], Callable[[int], DirectoryError | None], str]] = {
    "mondial_relay": (STAT_TABLE, lambda code: error_for_stat(f" {code} "), "STAT {}"),
    "colissimo": (ERROR_TABLE, lambda code: error_for_code(code, "Message du service"), "errorCode {}"),
}
ROWS = [(carrier, code) for carrier, (table, _, _) in TABLES.items() for code in sorted(table)]


@pytest.mark.parametrize(("carrier", "code"), ROWS, ids=[f"{c}-{n}" for c, n in ROWS])
def test_each_code_is_a_typed_error_with_its_meaning(carrier: str, code: int) -> None:
    table, error_for, label = TABLES[carrier]
    category, meaning = table[code]
    error = error_for(code)
    assert isinstance(error, CATEGORIES[category])
    assert error.carrier == carrier and error.code == str(code)
    assert meaning in str(error) and label.format(code) in str(error)
    assert error.retryable == (category == "service")
    assert isinstance(error, DirectoryUnavailable) == (category == "service")


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (error_for_stat("97"), CarrierAuthFailed),
        (error_for_stat("49"), CarrierRequestRejected),
        (error_for_stat("70"), PointNotFound),
        (error_for_stat("93"), NoPointsFound),
        (error_for_stat("99"), CarrierServiceError),
        (error_for_code(201, None), CarrierAuthFailed),
        (error_for_code(125, None), CarrierRequestRejected),
        (error_for_code(124, None), PointNotFound),
        (error_for_code(301, None), NoPointsFound),
        (error_for_code(1000, None), CarrierServiceError),
    ],
)
def test_the_categories_callers_act_on(error: DirectoryError | None, expected: type[DirectoryError]) -> None:
    assert type(error) is expected


def test_mondial_relay_covers_the_reference_table() -> None:
    listed = {*range(1, 4), 5, *range(7, 16), *range(20, 23), 24, *range(26, 41), *range(42, 50), *range(60, 72)}
    listed |= {74, 78, 79, *range(80, 90), *range(92, 100)}
    assert listed <= set(STAT_TABLE)


def test_colissimo_covers_the_reference_table() -> None:
    listed = {101, 102, 104, 105, 106, 107, 117, 120, 121, 122, 123, 124, 125, 127, 129, 143, 144, 145, 146}
    assert listed | {201, 202, 203, 300, 301, 1000} <= set(ERROR_TABLE)


def test_success_and_codes_outside_the_tables() -> None:
    assert error_for_stat("0") is None
    assert error_for_code(0, "Code retour OK") is None and error_for_code("0", None) is None
    assert "not in Mondial Relay's published table" in str(error_for_stat("77"))
    assert "unexpected STAT" in str(error_for_stat("OK"))
    assert isinstance(error_for_code(999, None), DirectoryError)
    assert "unexpected errorCode" in str(error_for_code("KO", None))
