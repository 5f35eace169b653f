"""Accounts, API keys (hashes only) and idempotent responses in Postgres."""

from __future__ import annotations

from datetime import datetime

import msgspec

from portside.core.model import Account, ApiKey
from portside.core.ports import IdempotentResponse

from .session import Repository


class PostgresAccounts(Repository):
    async def add(self, account: Account) -> None:
        await self._insert_new("account_add", "account", account.id, account.id, account.name, account.created_at)

    async def get(self, account_id: str) -> Account | None:
        row = await self._fetchrow("account_get", account_id)
        return None if row is None else msgspec.convert(dict(row), Account)


class PostgresApiKeys(Repository):
    async def add(self, key: ApiKey) -> None:
        await self._insert_new(
            "api_key_add",
            "api key",
            key.id,
            key.id,
            key.account_id,
            key.prefix,
            key.key_hash,
            key.label,
            key.created_at,
            key.revoked_at,
        )

    async def find_by_hash(self, key_hash: str) -> ApiKey | None:
        row = await self._fetchrow("api_key_find_by_hash", key_hash)
        return None if row is None else msgspec.convert(dict(row), ApiKey)

    async def revoke(self, key_id: str, *, at: datetime) -> None:
        await self._update_existing("api_key_revoke", "api key", key_id, key_id, at)

    async def list_for_account(self, account_id: str) -> list[ApiKey]:
        return [msgspec.convert(dict(row), ApiKey) for row in await self._fetch("api_key_list_for_account", account_id)]


class PostgresIdempotency(Repository):
    async def get(self, account_id: str, key: str) -> IdempotentResponse | None:
        row = await self._fetchrow("idempotency_get", account_id, key)
        return None if row is None else msgspec.convert(dict(row), IdempotentResponse)

    async def reserve(
        self, account_id: str, key: str, request_hash: str, *, now: datetime, stale_before: datetime
    ) -> IdempotentResponse | None:
        if await self._fetchval("idempotency_claim", account_id, key, request_hash, now) is not None:
            return None
        if await self._fetchval("idempotency_take_over", account_id, key, request_hash, stale_before, now):
            return None
        return await self.get(account_id, key)

    async def complete(self, response: IdempotentResponse) -> None:
        await self._execute(
            "idempotency_complete",
            response.account_id,
            response.key,
            response.request_hash,
            response.status,
            response.body,
            response.created_at,
        )

    async def release(self, account_id: str, key: str) -> None:
        await self._execute("idempotency_release", account_id, key)
