"""API keys as the API shows them: never the key, only the prefix a person tells keys apart by."""

from __future__ import annotations

from typing import Annotated

import msgspec

from .common import UtcTime


class ApiKeyJson(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    prefix: Annotated[str, msgspec.Meta(description="the key's first characters, to tell keys apart; never the key")]
    label: str | None
    created_at: UtcTime
    revoked_at: UtcTime | None
    active: bool  # false once revoked: requests with it are refused


class ApiKeyList(msgspec.Struct, frozen=True, kw_only=True):
    items: list[ApiKeyJson]
