"""The channel plugin registry: channels found through entry points or registered by a host."""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterable, Mapping
from importlib.metadata import entry_points
from typing import Any, Protocol, TypeVar

import msgspec

from portside.adapters.http import HttpClient
from portside.core.errors import ValidationFailed
from portside.core.model import OrderStatus, Store
from portside.core.ports import ChannelBundle, ChannelCapabilities, Clock

log = logging.getLogger("portside.channels")

ENTRY_POINT_GROUP = "portside.channels"

T = TypeVar("T")


class ChannelDeps(msgspec.Struct, frozen=True, kw_only=True):
    """What the composition root hands a channel to build one store's ports."""

    http: HttpClient
    clock: Clock


class ChannelPlugin(Protocol):
    name: str  # stable identifier stored on each store ("cdiscount")
    display_name: str
    credentials_type: type[msgspec.Struct]
    settings_type: type[msgspec.Struct]
    default_status_mapping: Mapping[str, OrderStatus]
    capabilities: ChannelCapabilities

    def build(self, store: Store, deps: ChannelDeps) -> ChannelBundle:
        """The ports for ``store``; credentials and settings are decoded with ``decode_config``."""
        ...

    def store_identity(self, credentials: Mapping[str, Any], settings: Mapping[str, Any]) -> str | None:
        """The marketplace seller (shop) a store with this configuration imports, as a stable string
        (an account may not connect one twice); None if the channel cannot tell. Added after the first
        plugins were written: one without it still loads (warned once), with no duplicate check."""
        ...


def decode_config(kind: type[T], data: Mapping[str, Any], what: str) -> T:
    """Validate store credentials or settings, naming the bad field and never echoing values."""
    try:
        return msgspec.convert(dict(data), kind)
    except msgspec.ValidationError as exc:
        # msgspec's message names the path ("Expected `str`, got `int` - at `$.seller_id`") and
        # never the value, so it is safe to show even for credentials.
        raise ValidationFailed(f"invalid {what}: {exc}", {what: str(exc)}) from None


_warned: set[tuple[str, tuple[str, ...]]] = set()


@functools.cache
def _field_names(kind: type[Any]) -> frozenset[str]:
    # Once per type: a store's configuration is decoded each time its ports are built.
    return frozenset(field.encode_name for field in msgspec.structs.fields(kind))


def decode_stored_config(kind: type[T], data: Mapping[str, Any], what: str) -> T:
    """``decode_config`` for what a store already holds. Fields this release does not know (saved by a
    newer release, before a rollback) are left out, with a warning once per process, instead of
    stopping the store's syncs and notifications; setting one is refused where it is set (the API and
    the command line validate strictly)."""
    known = _field_names(kind)  # type: ignore[arg-type]  # a Struct type is hashable
    unknown = tuple(sorted(name for name in data if name not in known))
    if unknown:
        if (what, unknown) not in _warned:
            _warned.add((what, unknown))
            log.warning("%s: ignoring %s, unknown to this release (saved by a newer one?)", what, ", ".join(unknown))
        data = {name: value for name, value in data.items() if name in known}
    return decode_config(kind, data, what)


class DuplicateChannel(ValueError):
    pass


class UnknownChannel(LookupError):
    pass


class ChannelRegistry:
    def __init__(self, plugins: Iterable[ChannelPlugin] = ()) -> None:
        self._plugins: dict[str, ChannelPlugin] = {}
        for plugin in plugins:
            self.register(plugin)

    def register(self, plugin: ChannelPlugin) -> None:
        existing = self._plugins.get(plugin.name)
        if existing is not None:
            raise DuplicateChannel(
                f"channel {plugin.name!r} is registered twice ({type(existing).__module__} and "
                f"{type(plugin).__module__}); uninstall one of the packages or rename its channel"
            )
        if not callable(getattr(plugin, "store_identity", None)):
            log.warning(
                "channel %r (%s) has no store_identity(credentials, settings): an account may connect the same "
                "seller twice on it and import every order twice; the plugin should implement it "
                "(docs/channels/writing-a-channel.md)",
                plugin.name,
                type(plugin).__module__,
            )
        self._plugins[plugin.name] = plugin

    def get(self, name: str) -> ChannelPlugin:
        try:
            return self._plugins[name]
        except KeyError:
            known = ", ".join(sorted(self._plugins)) or "none"
            raise UnknownChannel(f"unknown channel {name!r}; installed channels: {known}") from None

    def names(self) -> list[str]:
        return sorted(self._plugins)

    def __contains__(self, name: object) -> bool:
        return name in self._plugins

    @classmethod
    def discover(cls, extra: Iterable[ChannelPlugin] = ()) -> ChannelRegistry:
        """Every plugin published under the ``portside.channels`` entry-point group, plus ``extra``."""
        registry = cls()
        for ep in entry_points(group=ENTRY_POINT_GROUP):
            plugin = ep.load()
            if plugin.name != ep.name:
                log.warning("entry point %r loads channel named %r; using the channel's name", ep.name, plugin.name)
            registry.register(plugin)
        for plugin in extra:
            registry.register(plugin)
        return registry
