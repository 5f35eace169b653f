"""The relay's settings refuse what would hang or stall it, however a host builds them."""

from __future__ import annotations

from typing import Any

import msgspec
import pytest

from portside.core.services import RelaySettings


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"batch": 0}, "batch"),
        ({"concurrency": 0}, "concurrency"),
        ({"batches_per_pass": 0}, "batches_per_pass"),
        ({"max_attempts": -1}, "max_attempts"),
        ({"lease_s": 0}, "lease_s"),
        ({"base_backoff_s": 0}, "base_backoff_s"),
        ({"max_backoff_s": -5.0}, "max_backoff_s"),
        ({"lease_s": float("nan")}, "lease_s"),
    ],
)
def test_relay_settings_refuse_values_that_stop_the_relay(change: dict[str, Any], field: str) -> None:
    with pytest.raises(ValueError, match=f"^{field}: must be"):
        RelaySettings(**change)
    with pytest.raises(ValueError, match=f"^{field}: must be"):
        msgspec.structs.replace(RelaySettings(), **change)


def test_the_defaults_are_fine() -> None:
    assert RelaySettings().concurrency == 10
