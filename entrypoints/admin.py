"""The operator's commands: accounts, API keys, stores and a one-off sync, each on the running container."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import msgspec

from portside.core.errors import NotFound, ValidationFailed
from portside.core.services import accounts
from portside.core.services.stores import StoreDraft

from .application import Portside
from .commands import application, ready_schema, running
from .config import Settings
from .progress import SyncProgressBar


async def _app(container: Any) -> Portside:
    await ready_schema(container, migrate=False)
    return await application(container)


async def create_account(settings: Settings, name: str) -> int:
    async with running(settings) as container:
        account = await (await _app(container)).create_account(name)
    print(f"created account {account.name!r}; its id (for 'portside apikeys create --account'):")
    print(account.id)
    return 0


async def create_api_key(settings: Settings, account_id: str, label: str | None) -> int:
    async with running(settings) as container:
        key, secret = await (await _app(container)).create_api_key(account_id, label=label)
    print(f"API key {key.prefix}… for account {account_id}. It is shown this once (only its hash is kept):")
    print(secret)
    return 0


async def list_api_keys(settings: Settings, account_id: str) -> int:
    async with running(settings) as container:
        app = await _app(container)
        keys = await accounts.list_api_keys(account_id, uow=app.uow)
    rows = [
        (
            k.id,
            f"{k.prefix}…",
            k.label or "",
            f"{k.created_at:%Y-%m-%d %H:%M}Z",
            f"{k.revoked_at:%Y-%m-%d %H:%M}Z" if k.revoked_at else "no",
        )
        for k in keys
    ]
    _print_table(("ID", "PREFIX", "LABEL", "CREATED", "REVOKED"), rows)
    return 0


async def revoke_api_key(settings: Settings, key_id: str) -> int:
    async with running(settings) as container:
        app = await _app(container)
        await accounts.revoke_api_key(None, key_id, uow=app.uow, clock=app.clock)
    print(f"revoked API key {key_id}: every request with it is refused from now on, on every process")
    return 0


def _print_table(header: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> None:
    table = [header, *rows]
    widths = [max(len(r[i]) for r in table) for i in range(len(header))]
    for row in table:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())


def parse_config(values: Sequence[str] | None, kind: type[Any], what: str) -> dict[str, Any]:
    """``{"json": "object"}``, ``@file.json`` (``@-`` reads stdin), or ``key=value`` pairs typed by
    ``kind``'s fields (``page_size=50`` is a number, ``seller_id=123`` stays text)."""
    if not values:
        return {}
    if len(values) == 1 and values[0].startswith("@"):
        return _json_object(_read_source(values[0][1:], what), what)
    if len(values) == 1 and values[0].lstrip().startswith("{"):
        return _json_object(values[0].encode(), what)
    # An unknown channel has no types to read pairs by: they stay text, and the channel check says what is wrong.
    struct = isinstance(kind, type) and issubclass(kind, msgspec.Struct)
    fields = {f.encode_name: f.type for f in msgspec.structs.fields(kind)} if struct else {}
    parsed: dict[str, Any] = {}
    for number, pair in enumerate(values, start=1):
        key, sep, value = pair.partition("=")
        if not sep or not key:
            # Named by its position, never quoted: a secret passed without its name would be printed.
            problem = f"pair {number} of {len(values)} is not key=value"
            raise ValidationFailed(f"{what}: expected key=value pairs; {problem}", {what: problem})
        kind_of = fields.get(key)
        if kind_of is None:
            parsed[key] = value  # unknown: the channel's validation names it
            continue
        try:
            parsed[key] = msgspec.to_builtins(msgspec.convert(_scalar(value), kind_of, strict=False))
        except msgspec.ValidationError:
            parsed[key] = value  # let the channel's validation say what is wrong, without the value
    return parsed


_FORMS = "give a JSON object, @file.json (@- for stdin) or key=value pairs"


def _read_source(name: str, what: str) -> bytes:
    if not name:
        raise ValidationFailed(f"{what}: '@' names no file; write @path/to/file.json, or @- to read stdin")
    if name == "-":
        return sys.stdin.buffer.read()
    try:
        return Path(name).read_bytes()
    except FileNotFoundError:
        problem = f"no file {name!r} (from {Path.cwd()})"
    except IsADirectoryError:
        problem = f"{name!r} is a directory, not a file"
    except PermissionError:
        problem = f"{name!r} cannot be read (permission denied)"
    except OSError as exc:
        problem = f"{name!r} cannot be read ({exc.strerror or type(exc).__name__})"
    raise ValidationFailed(f"{what}: {problem}; check the path after '@', or {_FORMS}")


def _scalar(value: str) -> Any:
    try:
        return msgspec.json.decode(value)
    except msgspec.DecodeError:
        return value


_JSON_KINDS = {list: "an array", str: "a string", bool: "true or false", type(None): "null"}


def _json_object(raw: bytes, what: str) -> dict[str, Any]:
    try:
        data = msgspec.json.decode(raw)
    except msgspec.DecodeError as exc:
        # msgspec says where ("invalid character (byte 12)"), never quoting the text: it may hold a secret.
        raise ValidationFailed(f"{what}: not valid JSON ({exc}); {_FORMS}") from None
    if not isinstance(data, dict):
        raise ValidationFailed(
            f"{what}: must be a JSON object, not {_JSON_KINDS.get(type(data), 'a number')}; {_FORMS}"
        )
    return data


async def add_store(
    settings: Settings,
    *,
    account_id: str,
    channel: str,
    name: str,
    credentials: Sequence[str] | None,
    store_settings: Sequence[str] | None,
    sync_interval_s: int | None,
) -> int:
    async with running(settings) as container:
        app = await _app(container)
        async with app.uow() as u:
            if await u.accounts.get(account_id) is None:
                raise NotFound("account", account_id)
        registry = app.channels.registry
        if channel not in registry:
            installed = ", ".join(registry.names()) or "none"
            raise ValidationFailed(f"unknown channel {channel!r}; installed channels: {installed}")
        plugin = registry.get(channel)
        draft = StoreDraft(
            channel=channel,
            name=name,
            credentials=parse_config(credentials, plugin.credentials_type, "credentials"),
            settings=parse_config(store_settings, plugin.settings_type, "settings"),
            sync_interval_s=sync_interval_s,
        )
        store = await app.connect_store(account_id, draft)
    print(f"connected {store.channel} store {store.name!r} (credentials verified); first sync due now. Its id:")
    print(store.id)
    return 0


async def list_stores(settings: Settings, account_id: str | None) -> int:
    async with running(settings) as container:
        app = await _app(container)
        async with app.uow() as u:
            if account_id is not None and await u.accounts.get(account_id) is None:
                raise NotFound("account", account_id)
            stores = await u.stores.find(account_id=account_id)
            last = {s.id: next(iter(await u.sync_reports.find(s.id, limit=1)), None) for s in stores}
    rows: list[tuple[str, ...]] = []
    for s in stores:
        report = last[s.id]
        synced = f"{report.outcome} {report.started_at:%Y-%m-%d %H:%M}Z" if report else "never"
        rows.append((s.id, s.channel, s.name, "yes" if s.active else "no", f"{s.sync_interval_s}s", synced))
    _print_table(("ID", "CHANNEL", "NAME", "ACTIVE", "EVERY", "LAST SYNC"), rows)
    return 0


async def sync_store(settings: Settings, store_id: str) -> int:
    async with running(settings) as container:
        app = await _app(container)
        # The API's rule: refused while a sync runs, or sooner after the last one started than the
        # store's marketplace allows (a one-line error saying when it may run).
        store, owner = await app.claim_sync_now(store_id)
        bar = SyncProgressBar(f"sync {store.name}")
        try:
            report = await app.sync_store(store_id, owner=owner, progress=bar)
        except BaseException:
            bar.done("failed")
            raise
        finally:
            async with app.uow() as u:  # released by the import already, unless it failed before taking over
                await u.sync_leases.release(store_id, owner=owner)
                await u.commit()
        bar.done(report.outcome)
    print(msgspec.json.format(msgspec.json.encode(report)).decode())
    return 0 if report.outcome == "completed" else 1
