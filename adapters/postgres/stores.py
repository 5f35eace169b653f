"""Stores in Postgres, with their credentials encrypted at rest by an injected ``Cipher``."""

from __future__ import annotations

from typing import Any

import asyncpg
import msgspec

from portside.core.errors import Conflict
from portside.core.model import Store

from .cipher import Cipher, CipherError
from .session import Repository, Session

_ENCODER = msgspec.json.Encoder()
_DECODER = msgspec.json.Decoder(Store)
_CREDENTIALS = msgspec.json.Decoder(dict[str, Any])


def _taken(store: Store) -> str:
    return (
        f"store {store.id} already exists, or another store of account {store.account_id} already "
        f"connects the same {store.channel} seller"
    )


class PostgresStores(Repository):
    def __init__(self, session: Session, cipher: Cipher | None) -> None:
        super().__init__(session)
        self._cipher = cipher

    def _seal(self, store: Store) -> bytes | None:
        if not store.credentials:
            return None
        if self._cipher is None:
            raise CipherError(f"store {store.id} has credentials but no secret key is configured to encrypt them")
        return self._cipher.encrypt(_ENCODER.encode(store.credentials))

    def _open(self, row: asyncpg.Record) -> Store:
        store = _DECODER.decode(row["doc"])
        sealed: bytes | None = row["credentials"]
        if sealed is None:
            return store
        if self._cipher is None:
            raise CipherError(f"store {store.id} has credentials but no secret key is configured to decrypt them")
        try:
            credentials = _CREDENTIALS.decode(self._cipher.decrypt(sealed))
        except CipherError as exc:
            raise CipherError(f"store {store.id}: {exc}; was the key replaced without keeping the old one?") from None
        return msgspec.structs.replace(store, credentials=credentials)

    def _params(self, store: Store) -> tuple[Any, ...]:
        # The document never holds the secret: only the encrypted column does.
        doc = msgspec.structs.replace(store, credentials={})
        return (
            store.id,
            store.account_id,
            store.channel,
            store.active,
            store.created_at,
            self._seal(store),
            doc,
            store.seller_key,
        )

    async def add(self, store: Store) -> None:
        if await self._fetchval("store_add", *self._params(store)) is None:
            raise Conflict(_taken(store))

    async def get(self, store_id: str, *, for_update: bool = False) -> Store | None:
        row = await self._fetchrow("store_get_for_update" if for_update else "store_get", store_id)
        return None if row is None else self._open(row)

    async def update(self, store: Store) -> None:
        try:
            await self._update_existing("store_update", "store", store.id, *self._params(store))
        except asyncpg.UniqueViolationError:
            raise Conflict(_taken(store)) from None

    async def find(self, *, account_id: str | None = None, active: bool | None = None) -> list[Store]:
        return [self._open(row) for row in await self._fetch("store_find", account_id, active)]
