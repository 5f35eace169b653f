"""The import's settings refuse what would skip orders or share a store, however a host builds them."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from portside.core.ports import ImportWindow
from portside.core.services import ImportSettings


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"overlap": timedelta(seconds=-1)}, "overlap"),
        ({"look_back": timedelta(0)}, "look_back"),
        ({"lease_ttl_s": 0}, "lease_ttl_s"),
        ({"pending_enrichment_batch": 0}, "pending_enrichment_batch"),
    ],
)
def test_import_settings_refuse_values_that_skip_orders_or_share_a_store(change: dict[str, Any], field: str) -> None:
    with pytest.raises(ValueError, match=f"^{field}: must"):
        ImportSettings(**change)


def test_a_zero_overlap_is_fine() -> None:
    assert ImportSettings(overlap=timedelta(0)).overlap == timedelta(0)


def test_a_store_s_window_replaces_only_what_it_sets() -> None:
    service = ImportSettings(overlap=timedelta(minutes=30), look_back=timedelta(days=90))
    assert service.for_store(None) == service
    assert service.for_store(ImportWindow()) == service  # a store setting nothing: the service's defaults
    own = service.for_store(ImportWindow(look_back=timedelta(days=7)))
    assert (own.overlap, own.look_back) == (timedelta(minutes=30), timedelta(days=7))
    own = service.for_store(ImportWindow(overlap=timedelta(0)))
    assert (own.overlap, own.look_back) == (timedelta(0), timedelta(days=90))
