"""Accounts and their API keys: a key is shown once, only its SHA-256 is stored, revoked keys fail."""

from __future__ import annotations

import hashlib
import secrets

from ..errors import NotFound, ValidationFailed
from ..model import Account, ApiKey
from ..ports import Clock, UnitOfWorkFactory
from .ids import new_id

API_KEY_PREFIX = "ps_live_"
_SHOWN = len(API_KEY_PREFIX) + 4  # kept in clear so a person can tell keys apart in a list


def new_api_key() -> str:
    return API_KEY_PREFIX + secrets.token_urlsafe(32)


def hash_api_key(key: str) -> str:
    """A key is 256 random bits: nobody can guess it back from a plain SHA-256, so no salt or stretching
    (which would also make each request pay for a slow hash)."""
    return hashlib.sha256(key.encode()).hexdigest()


async def create_account(name: str, *, uow: UnitOfWorkFactory, clock: Clock, account_id: str | None = None) -> Account:
    if not name.strip():
        raise ValidationFailed("an account needs a name", {"name": "must not be empty"})
    account = Account(id=account_id or new_id(), name=name.strip(), created_at=clock.now())
    async with uow() as u:
        await u.accounts.add(account)
        await u.commit()
    return account


async def create_api_key(
    account_id: str, *, uow: UnitOfWorkFactory, clock: Clock, label: str | None = None
) -> tuple[ApiKey, str]:
    """The stored key and the key itself, which exists only in this return value: show it once."""
    key = new_api_key()
    record = ApiKey(
        id=new_id(),
        account_id=account_id,
        prefix=key[:_SHOWN],
        key_hash=hash_api_key(key),
        created_at=clock.now(),
        label=label,
    )
    async with uow() as u:
        if await u.accounts.get(account_id) is None:
            raise NotFound("account", account_id)
        await u.api_keys.add(record)
        await u.commit()
    return record, key


async def authenticate(key: str, *, uow: UnitOfWorkFactory) -> ApiKey | None:
    """The active key ``key`` is, or None (unknown or revoked: the caller cannot tell which)."""
    if not key.startswith(API_KEY_PREFIX):
        return None  # not one of ours: no need to ask the database
    async with uow() as u:
        found = await u.api_keys.find_by_hash(hash_api_key(key))
    return found if found is not None and found.active else None


async def list_api_keys(account_id: str, *, uow: UnitOfWorkFactory) -> list[ApiKey]:
    """The account's keys, revoked ones included, oldest first (their hashes, never the keys)."""
    async with uow() as u:
        if await u.accounts.get(account_id) is None:
            raise NotFound("account", account_id)
        return await u.api_keys.list_for_account(account_id)


async def revoke_api_key(account_id: str | None, key_id: str, *, uow: UnitOfWorkFactory, clock: Clock) -> None:
    """Revoke a key of ``account_id`` (another account's is not found), or any key when ``account_id`` is
    None (the operator). Effective at once: the next request with it is refused. Revoking a revoked key
    changes nothing (it keeps its first revocation time)."""
    async with uow() as u:
        if account_id is not None:
            keys = {k.id for k in await u.api_keys.list_for_account(account_id)}
            if key_id not in keys:
                raise NotFound("api key", key_id)
        await u.api_keys.revoke(key_id, at=clock.now())  # NotFound when no account has it
        await u.commit()
