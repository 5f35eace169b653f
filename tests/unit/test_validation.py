"""Edge validation messages: every bad field named, values never echoed, the prose left intact."""

from __future__ import annotations

from typing import Annotated

import msgspec
import pytest

from portside.core.errors import ValidationFailed
from portside.core.services.validation import convert_fields


class Endpoint(msgspec.Struct, frozen=True, kw_only=True):
    base_url: str

    def __post_init__(self) -> None:
        if not self.base_url.startswith("https://"):
            raise ValueError(f"base_url must be the operator's instance URL, got {self.base_url!r}")


def test_a_rule_message_keeps_its_apostrophes_and_hides_the_value() -> None:
    with pytest.raises(ValidationFailed) as failed:
        convert_fields({"base_url": "ftp://secret-host"}, Endpoint, what="settings")
    (message,) = failed.value.problems.values()
    assert message == "base_url must be the operator's instance URL, got the given value"
    assert "secret-host" not in str(failed.value)


class Hook(msgspec.Struct, frozen=True, kw_only=True):
    url: Annotated[str, msgspec.Meta(pattern="^https?://")]


def test_a_pattern_mismatch_says_which_form_is_expected() -> None:
    with pytest.raises(ValidationFailed) as failed:
        convert_fields({"url": "ftp://example.com/hooks"}, Hook, what="webhook")
    assert failed.value.problems == {"url": "must match the pattern ^https?:// (an absolute http or https URL)"}
