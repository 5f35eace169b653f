"""The CLI never prints a secret it was given: a credential passed without its name is named by position."""

from __future__ import annotations

import pytest

from portside.channels.cdiscount.settings import CdiscountCredentials
from portside.core.errors import ValidationFailed
from portside.entrypoints.admin import parse_config
from portside.entrypoints.cli import _explain


@pytest.mark.parametrize("pairs", [["client_id=a", "S3cr3t"], ["=S3cr3t"], ["S3cr3t", "seller_id=1"]])
def test_a_pair_without_its_name_is_named_by_position_never_quoted(pairs: list[str]) -> None:
    with pytest.raises(ValidationFailed) as caught:
        parse_config(pairs, CdiscountCredentials, "credentials")
    shown = _explain(caught.value)
    assert "S3cr3t" not in shown
    position = next(i for i, p in enumerate(pairs, start=1) if "S3cr3t" in p)
    assert f"pair {position} of {len(pairs)} is not key=value" in shown
