"""Accounts' own carrier settings in Postgres, the settings sealed by the injected ``Cipher`` like store credentials."""

from __future__ import annotations

from typing import Any

import asyncpg
import msgspec

from portside.core.model import CarrierAccountSettings

from .cipher import Cipher, CipherError
from .session import Repository, Session

_ENCODER = msgspec.json.Encoder()
_DECODER = msgspec.json.Decoder(CarrierAccountSettings)
_SETTINGS = msgspec.json.Decoder(dict[str, Any])


class PostgresCarrierSettings(Repository):
    def __init__(self, session: Session, cipher: Cipher | None) -> None:
        super().__init__(session)
        self._cipher = cipher

    def _require_cipher(self, what: str) -> Cipher:
        if self._cipher is None:
            raise CipherError(f"{what} hold secrets but no secret key is configured to encrypt or decrypt them")
        return self._cipher

    def _open(self, row: asyncpg.Record) -> CarrierAccountSettings:
        item = _DECODER.decode(row["doc"])
        what = f"carrier settings {item.carrier.value} of account {item.account_id}"
        try:
            settings = _SETTINGS.decode(self._require_cipher(what).decrypt(row["settings"]))
        except CipherError as exc:
            raise CipherError(f"{what}: {exc}; was the key replaced without keeping the old one?") from None
        return msgspec.structs.replace(item, settings=settings)

    async def get(self, account_id: str, carrier: str) -> CarrierAccountSettings | None:
        row = await self._fetchrow("carrier_settings_get", account_id, carrier)
        return None if row is None else self._open(row)

    async def put(self, settings: CarrierAccountSettings) -> None:
        what = f"carrier settings {settings.carrier.value} of account {settings.account_id}"
        sealed = self._require_cipher(what).encrypt(_ENCODER.encode(settings.settings))
        doc = msgspec.structs.replace(settings, settings={})  # the document never holds a secret
        await self._execute(
            "carrier_settings_put", settings.account_id, settings.carrier, settings.updated_at, sealed, doc
        )

    async def delete(self, account_id: str, carrier: str) -> bool:
        return await self._fetchval("carrier_settings_delete", account_id, carrier) is not None

    async def find(self, account_id: str) -> list[CarrierAccountSettings]:
        return [self._open(row) for row in await self._fetch("carrier_settings_find", account_id)]
