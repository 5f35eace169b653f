"""Webhook subscriptions: an account says where to hear about its orders; the secret is shown once."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from urllib.parse import urlsplit

import msgspec

from ..errors import ValidationFailed
from ..model import WebhookEvent, WebhookSubscription
from ..ports import Clock, UnitOfWorkFactory
from .ids import new_id
from .tenancy import owned_webhook

SECRET_PREFIX = "whsec_"  # noqa: S105 (a label, not a secret)


def check_url(url: str) -> None:
    invalid = ValidationFailed("a webhook needs an absolute http(s) URL", {"url": "must be an absolute http(s) URL"})
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - parsing the port is the check (``:x`` or ``:99999`` raise)
    except ValueError:
        raise invalid from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise invalid
    if parts.username or parts.password:
        # It would be stored and listed in clear; each delivery is signed with the secret instead.
        raise ValidationFailed(
            "credentials in a webhook URL would be shown to anyone listing webhooks",
            {"url": "must not contain a user name or password; check the signature header instead"},
        )


async def subscribe(
    account_id: str, url: str, events: Sequence[WebhookEvent], *, uow: UnitOfWorkFactory, clock: Clock
) -> WebhookSubscription:
    """The new subscription, its secret included: the only time anyone sees it."""
    check_url(url)
    if not events:
        raise ValidationFailed("a webhook needs at least one event", {"events": "list at least one event"})
    hook = WebhookSubscription(
        id=new_id(),
        account_id=account_id,
        url=url,
        secret=SECRET_PREFIX + secrets.token_urlsafe(32),
        events=tuple(dict.fromkeys(events)),
        created_at=clock.now(),
    )
    async with uow() as u:
        await u.webhooks.add(hook)
        await u.commit()
    return hook


async def unsubscribe(account_id: str, subscription_id: str, *, uow: UnitOfWorkFactory) -> WebhookSubscription:
    """Deactivate (kept for the record): no event is queued for it any more."""
    async with uow() as u:
        hook = await owned_webhook(u, account_id, subscription_id)
        if hook.active:
            hook = msgspec.structs.replace(hook, active=False)
            await u.webhooks.update(hook)
            await u.commit()
    return hook
