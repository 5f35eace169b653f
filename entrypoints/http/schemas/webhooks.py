"""Webhook subscriptions as the API shows them; the secret only in the answer that creates one."""

from __future__ import annotations

from typing import Annotated

import msgspec

from portside.core.model import WebhookEvent
from portside.core.model.masking import masked_repr, masked_rich_repr, url_for_display

from .common import UtcTime


class WebhookCreate(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    url: Annotated[str, msgspec.Meta(min_length=8, max_length=2000, pattern="^https?://")]
    events: Annotated[list[WebhookEvent], msgspec.Meta(min_length=1)]


class WebhookJson(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    url: str
    events: list[WebhookEvent]
    active: bool
    created_at: UtcTime


class WebhookCreated(WebhookJson, frozen=True, kw_only=True):
    secret: str  # signs every delivery; shown here once, never again

    __secret_fields__ = frozenset({"secret"})
    __shown_as__ = {"url": url_for_display}
    __repr__ = __str__ = masked_repr
    __rich_repr__ = masked_rich_repr


class WebhookList(msgspec.Struct, frozen=True, kw_only=True):
    items: list[WebhookJson]
