"""Stores: connect one (credentials proven with the channel before saving), change it, deactivate it."""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, Protocol

import msgspec

from ..errors import ChannelAuthFailed, ChannelRejected, Conflict, ValidationFailed
from ..model import AcceptancePolicy, Store
from ..model.masking import masked_repr, masked_rich_repr
from ..ports import ChannelCapabilities, Clock, UnitOfWork, UnitOfWorkFactory
from .ids import new_id
from .tenancy import owned_store
from .validation import convert_fields, merge_patch, redact, string_leaves

DEFAULT_SYNC_INTERVAL_S = 900

Verify = Callable[[Store], Awaitable[None]]  # raises ChannelAuthFailed/ChannelRejected when refused


class ChannelConfig(Protocol):
    """What the core needs of a channel plugin to accept a store's configuration."""

    @property
    def credentials_type(self) -> type[msgspec.Struct]: ...
    @property
    def settings_type(self) -> type[msgspec.Struct]: ...
    @property
    def capabilities(self) -> ChannelCapabilities: ...

    def store_identity(self, credentials: Mapping[str, Any], settings: Mapping[str, Any]) -> str | None:
        """Which marketplace seller (shop) a store with this configuration pulls orders of, as a stable
        string: two stores with the same identity would import the same orders. None: cannot tell.
        Optional: a channel without it gets no duplicate check."""
        ...


class StoreDraft(msgspec.Struct, frozen=True, kw_only=True):
    channel: str
    name: str
    credentials: dict[str, Any]
    settings: dict[str, Any] = {}
    acceptance_policy: AcceptancePolicy = AcceptancePolicy.manual
    sync_interval_s: int | None = None  # None: the default, or the channel's minimum if higher

    __secret_fields__ = frozenset({"credentials"})
    __repr__ = __str__ = masked_repr
    __rich_repr__ = masked_rich_repr


class StoreChanges(msgspec.Struct, frozen=True, kw_only=True):
    """Fields left None stay as they are; ``credentials`` and ``settings`` are merge patches."""

    name: str | None = None
    credentials: dict[str, Any] | None = None
    settings: dict[str, Any] | None = None
    acceptance_policy: AcceptancePolicy | None = None
    sync_interval_s: int | None = None
    active: bool | None = None

    __secret_fields__ = frozenset({"credentials"})
    __repr__ = __str__ = masked_repr
    __rich_repr__ = masked_rich_repr


def _check_config(config: ChannelConfig, credentials: Mapping[str, Any], settings: Mapping[str, Any]) -> None:
    problems: dict[str, str] = {}
    for what, kind, data, secret in (
        ("credentials", config.credentials_type, credentials, True),
        ("settings", config.settings_type, settings, False),
    ):
        try:
            convert_fields(dict(data), kind, what=what, prefix=what, secret=secret)
        except ValidationFailed as exc:
            problems.update(exc.problems)
    if problems:
        raise ValidationFailed("the store's configuration is not what the channel expects", problems)


def _interval(config: ChannelConfig, requested: int | None) -> int:
    minimum = max(60, config.capabilities.min_poll_interval_s)
    if requested is None:
        return max(DEFAULT_SYNC_INTERVAL_S, minimum)
    if requested < minimum:
        raise ValidationFailed(
            f"this channel may be polled at most every {minimum} s", {"sync_interval_s": f"at least {minimum}"}
        )
    return requested


async def _verified(store: Store, verify: Verify) -> None:
    try:
        await verify(store)
    except ChannelRejected as exc:
        # The channel's own words tell the seller what to fix; masked in case they quote a credential.
        reason = redact(str(exc), string_leaves(store.credentials))
        problems = {"credentials": reason}
        if not isinstance(exc, ChannelAuthFailed):
            problems.update({f"channel.{k}": "; ".join(v) for k, v in exc.field_errors.items()})
        raise ValidationFailed(f"the marketplace refused the store: {reason}", problems) from None


def _seller_key(config: ChannelConfig, channel: str, store: Store) -> str | None:
    """A digest of the channel's identity of the store's seller: the database holds no seller id in clear."""
    # A plugin written before store_identity existed has none (the registry warns at start-up): its
    # stores are not checked for duplicates rather than failing every store change.
    store_identity = getattr(config, "store_identity", None)
    if store_identity is None:
        return None
    try:
        identity = store_identity(store.credentials, store.settings)
    except ValidationFailed:  # a store saved under an older version of the channel's types
        return None
    if identity is None:
        return None
    return hashlib.sha256(f"{channel}\x1f{identity}".encode()).hexdigest()


async def _holder(u: UnitOfWork, config: ChannelConfig, store: Store, key: str | None) -> Store | None:
    """Another store of ``store``'s account connecting the same seller. Each store's key is worked out
    again from its configuration, so stores saved before keys existed are found too."""
    if key is None:
        return None
    for other in await u.stores.find(account_id=store.account_id):
        if other.id != store.id and other.channel == store.channel and _seller_key(config, other.channel, other) == key:
            return other
    return None


def _already_connected(holder: Store) -> Conflict:
    state = "" if holder.active else ' (inactive: reactivate it with PATCH {"active": true})'
    return Conflict(
        f"store {holder.id} ({holder.name!r}) of this account already connects this {holder.channel} seller"
        f"{state}; change that store (PATCH /v1/stores/{holder.id}) instead of connecting the seller twice, "
        "which would import every order twice"
    )


def _config(channels: Mapping[str, ChannelConfig], name: str) -> ChannelConfig:
    config = channels.get(name)
    if config is None:
        installed = ", ".join(sorted(channels)) or "none"
        raise ValidationFailed(
            f"unknown channel {name!r}; installed channels: {installed}", {"channel": f"one of: {installed}"}
        )
    return config


async def connect_store(
    account_id: str,
    draft: StoreDraft,
    *,
    channels: Mapping[str, ChannelConfig],
    verify: Verify,
    uow: UnitOfWorkFactory,
    clock: Clock,
) -> Store:
    """Save a store the channel accepted, due for its first sync now. Nothing is saved on any error."""
    config = _config(channels, draft.channel)
    if not draft.name.strip():
        raise ValidationFailed("a store needs a name", {"name": "must not be empty"})
    _check_config(config, draft.credentials, draft.settings)
    store = Store(
        id=new_id(),
        account_id=account_id,
        channel=draft.channel,
        name=draft.name.strip(),
        credentials=dict(draft.credentials),
        settings=dict(draft.settings),
        acceptance_policy=draft.acceptance_policy,
        sync_interval_s=_interval(config, draft.sync_interval_s),
        created_at=clock.now(),
    )
    store = msgspec.structs.replace(store, seller_key=_seller_key(config, draft.channel, store))
    async with uow() as u:  # before asking the channel: a duplicate is refused without a call
        holder = await _holder(u, config, store, store.seller_key)
    if holder is not None:
        raise _already_connected(holder)
    await _verified(store, verify)
    async with uow() as u:
        # Checked again in the writing transaction; two requests racing past both checks are
        # stopped by the storage's unique seller key.
        holder = await _holder(u, config, store, store.seller_key)
        if holder is not None:
            raise _already_connected(holder)
        await u.stores.add(store)
        await u.sync_leases.schedule(store.id, clock.now())
        await u.commit()
    return store


async def _keyed(u: UnitOfWork, config: ChannelConfig, store: Store, updated: Store) -> Store:
    """``updated`` with its seller key; Conflict if new credentials or settings point it at a seller
    another store of the account connects."""
    key = _seller_key(config, store.channel, updated)
    holder = await _holder(u, config, updated, key)
    if holder is not None:
        if key != _seller_key(config, store.channel, store):
            raise _already_connected(holder)
        # Two stores connected to one seller before portside refused it: both keep working (the
        # seller must deactivate one), and this one leaves the unique key to the other.
        key = None
    return msgspec.structs.replace(updated, seller_key=key)


async def update_store(
    account_id: str,
    store_id: str,
    changes: StoreChanges,
    *,
    channels: Mapping[str, ChannelConfig],
    verify: Verify,
    uow: UnitOfWorkFactory,
    clock: Clock,
) -> Store:
    """Apply ``changes``; new credentials or settings are proven with the channel before they are saved.
    Deactivating keeps the store and its orders; reactivating makes it due for a sync now."""
    async with uow() as u:
        store = await owned_store(u, account_id, store_id)
    config = _config(channels, store.channel)
    if changes.name is not None and not changes.name.strip():
        raise ValidationFailed("a store needs a name", {"name": "must not be empty"})
    updated = _changed(store, changes, config)
    async with uow() as u:  # before asking the channel: a refused change costs no call
        updated = await _keyed(u, config, store, updated)
    proven = updated.active and (updated.credentials != store.credentials or updated.settings != store.settings)
    if proven:
        await _verified(updated, verify)
    async with uow() as u:
        # The changes applied again to the store as it is now, locked: what another request committed
        # while the channel was asked (a deactivation, a status mapping, a name) is kept, not undone
        # by the copy read before it.
        current = await owned_store(u, account_id, store_id, for_update=True)
        final = _changed(current, changes, config)
        config_now = (final.credentials, final.settings)
        unproven = config_now != (current.credentials, current.settings) and not (
            proven and config_now == (updated.credentials, updated.settings)
        )
        if final.active and unproven:
            raise Conflict(
                f"store {store_id} was changed by another request while this change was being made; its "
                "credentials or settings together were never checked with the channel: read the store again "
                "and send the change again"
            )
        final = await _keyed(u, config, current, final)  # again, in the writing transaction
        await u.stores.update(final)
        if final.active and not current.active:
            await u.sync_leases.schedule(store.id, clock.now())
        await u.commit()
    return final


def _changed(store: Store, changes: StoreChanges, config: ChannelConfig) -> Store:
    """``store`` with ``changes`` applied and checked (credentials and settings against the channel's
    shapes); nothing saved, nothing asked of the channel."""
    credentials = (
        store.credentials if changes.credentials is None else merge_patch(store.credentials, changes.credentials)
    )
    settings = store.settings if changes.settings is None else merge_patch(store.settings, changes.settings)
    _check_config(config, credentials, settings)
    return msgspec.structs.replace(
        store,
        name=store.name if changes.name is None else changes.name.strip(),
        credentials=credentials,
        settings=settings,
        acceptance_policy=changes.acceptance_policy or store.acceptance_policy,
        sync_interval_s=store.sync_interval_s
        if changes.sync_interval_s is None
        else _interval(config, changes.sync_interval_s),
        active=store.active if changes.active is None else changes.active,
    )
