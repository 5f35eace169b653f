"""Mirakl error answers, both shapes (reference §12), as typed channel errors that say what to do next."""

from __future__ import annotations

import re
from collections.abc import Callable

import msgspec

from portside.adapters.http import HttpResponse
from portside.core.errors import ChannelAuthFailed, ChannelError, ChannelRejected

from .answers import WireError
from .schemas import decoder

Redact = Callable[[str], str]

AUTH_REJECTED = (
    "Mirakl refused the shop API key. In the marketplace's seller back office open your user menu (top "
    "right) › User settings › API key, generate a key and enter it here again; a new key replaces the old "
    "one for every tool that uses it."
)
# OR21's documented codes (§7) and the like: whether Mirakl sends them in a ``code`` key or inside the
# message is uncertain, so both are read.
_CODE = re.compile(r"\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b")
_MAX_TEXT = 300


class MiraklRejected(ChannelRejected):
    """Mirakl answered with a 4xx: its status, error code (when given) and message."""

    def __init__(self, message: str, *, status: int, code: str | None = None, detail: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.detail = detail


def _text(value: object) -> str | None:
    return (value.strip() or None) if isinstance(value, str) else None


def read_error(response: HttpResponse, redact: Redact) -> tuple[str | None, str | None]:
    """``(message, code)`` from ``{"status", "message"}``, ``{"errors": [{"message", "code"}]}``, or a
    short plain-text body; an HTML error page from a gateway says nothing useful and is dropped."""
    message = code = None
    try:
        wire = decoder(WireError).decode(response.body)
    except msgspec.DecodeError:
        wire = None
    if wire is not None:
        message, code = _text(wire.message), _text(wire.code)
        if isinstance(wire.errors, list):
            items = [e for e in wire.errors if isinstance(e, dict)]
            parts = [t for t in (_text(e.get("message")) for e in items) if t]
            message = "; ".join(([message] if message else []) + parts) or None
            code = code or next((c for c in (_text(e.get("code")) for e in items) if c), None)
    elif response.body and "html" not in response.content_type:
        message = response.body[:_MAX_TEXT].decode("utf-8", "replace").strip() or None
    if code is None and message is not None:
        found = _CODE.search(message)
        code = found.group(0) if found else None
    return (redact(message)[:_MAX_TEXT] if message else None), code


WRONG_URL = (
    "the store's base_url may be wrong, or a proxy or firewall answered instead: check base_url, the operator's "
    "instance address such as https://<name>-prod.mirakl.net (ask the marketplace for it)"
)


class NotMiraklAnswer(ChannelRejected):
    """A refusal that did not come from Mirakl's API (an HTML page): the URL, not the key, is suspect."""


def _is_html(response: HttpResponse) -> bool:
    # Mirakl's API answers errors in JSON (or short text); an HTML page is a proxy, a login wall or another site.
    return "html" in response.content_type or response.body.lstrip()[:1] == b"<"


def error_for(response: HttpResponse, what: str, redact: Redact, shop_id: str | None) -> ChannelError:
    """The typed error for a non-2xx answer to ``what`` (e.g. ``"PUT /orders/{id}/ship"``). Never a 429 or
    a 5xx: the shared client raises on those (``channel_error`` turns that into ChannelUnavailable/OutcomeUnknown)."""
    message, code = read_error(response, redact)
    said = message or "no details given"
    status = response.status
    if status in (401, 403) and _is_html(response):
        reason = f"{what} was answered HTTP {status} with an HTML page, not by Mirakl's API: {WRONG_URL}"
        return NotMiraklAnswer(reason, field_errors={"base_url": [WRONG_URL]})
    if status == 401:
        return ChannelAuthFailed(f"{AUTH_REJECTED} ({what}: HTTP 401, {said})")
    if status == 403:
        shop = f"shop {shop_id}" if shop_id else "the key's default shop"
        return ChannelAuthFailed(
            f"Mirakl refused access to {shop} with this API key ({what}: HTTP 403, {said}). Check the shop id "
            "(seller back office › My account › Settings) or leave it empty to use the key's own shop."
        )
    return MiraklRejected(
        f"Mirakl refused {what} (HTTP {status}{f', {code}' if code else ''}): {said}",
        status=status,
        code=code,
        detail=message,
    )
