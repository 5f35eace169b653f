"""Webhook subscriptions in Postgres, their signing secrets encrypted like store credentials."""

from __future__ import annotations

from typing import Any

import asyncpg
import msgspec

from portside.core.model import WebhookSubscription

from .cipher import Cipher, CipherError
from .session import Repository, Session

_DECODER = msgspec.json.Decoder(WebhookSubscription)


class PostgresWebhooks(Repository):
    def __init__(self, session: Session, cipher: Cipher | None) -> None:
        super().__init__(session)
        self._cipher = cipher

    def _require_cipher(self, subscription_id: str) -> Cipher:
        if self._cipher is None:
            raise CipherError(f"webhook {subscription_id} has a secret but no secret key is configured")
        return self._cipher

    def _params(self, s: WebhookSubscription) -> tuple[Any, ...]:
        sealed = self._require_cipher(s.id).encrypt(s.secret.encode())
        doc = msgspec.structs.replace(s, secret="")
        return (s.id, s.account_id, s.active, s.created_at, sealed, doc)

    def _open(self, row: asyncpg.Record) -> WebhookSubscription:
        subscription = _DECODER.decode(row["doc"])
        secret = self._require_cipher(subscription.id).decrypt(row["secret"]).decode()
        return msgspec.structs.replace(subscription, secret=secret)

    async def add(self, subscription: WebhookSubscription) -> None:
        await self._insert_new("webhook_add", "webhook", subscription.id, *self._params(subscription))

    async def get(self, subscription_id: str) -> WebhookSubscription | None:
        row = await self._fetchrow("webhook_get", subscription_id)
        return None if row is None else self._open(row)

    async def update(self, subscription: WebhookSubscription) -> None:
        await self._update_existing("webhook_update", "webhook", subscription.id, *self._params(subscription))

    async def find(self, account_id: str, *, active: bool | None = None) -> list[WebhookSubscription]:
        return [self._open(row) for row in await self._fetch("webhook_find", account_id, active)]
