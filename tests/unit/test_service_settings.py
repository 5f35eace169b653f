"""The import's settings refuse what would skip orders or share a store, however a host builds them."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

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
