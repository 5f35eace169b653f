"""Where portside may send requests on an account's behalf: the policy for URLs a tenant chooses.

A tenant picks its webhook URLs, its own carrier endpoint and its stores' marketplace URLs; portside
then calls them (at once, to verify, and later) and reports what it got. Left open, that lets any
tenant probe the network portside runs in (the cloud metadata service, the database, an admin port).
So, unless the operator sets ``PORTSIDE_ALLOW_PRIVATE_URLS``, a tenant's URL must name a public
address: checked when it is saved (its host name resolved then), and again on every connection made
through the tenant client (``public_only_socket``), so that a name re-pointed at a private address
later (DNS rebinding) still reaches nothing. The operator's own configuration is not checked.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any

from yarl import URL

from portside.core.errors import ValidationFailed

ALLOW_VARIABLE = "PORTSIDE_ALLOW_PRIVATE_URLS"
RESOLVE_TIMEOUT_S = 5.0
_HOW_TO_ALLOW = f"an operator can allow such addresses with {ALLOW_VARIABLE}=true"
_LOCAL_NAMES = ("localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback")

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
# (host, port) -> the addresses it resolves to; the default asks the event loop's getaddrinfo.
Resolver = Callable[[str, int], Awaitable[list[str]]]


def address_refusal(address: IPAddress) -> str | None:
    """What kind of non-public address ``address`` is (``"loopback"``, ``"private"``, …), or None if public."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped  # ::ffff:127.0.0.1 is 127.0.0.1
    for kind, flag in (
        ("loopback", address.is_loopback),
        ("unspecified", address.is_unspecified),
        ("link-local", address.is_link_local),
        ("multicast", address.is_multicast),
        ("private", address.is_private),
        ("reserved", address.is_reserved),
    ):
        if flag:
            return kind
    # Shared (100.64/10), documentation, benchmarking ranges…: not private, not reachable on the internet either.
    return None if address.is_global else "non-public"


def _literal(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


async def _getaddrinfo(host: str, port: int) -> list[str]:
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


def _a(kind: str) -> str:
    return f"an {kind}" if kind[0] in "aeiou" else f"a {kind}"


def _refused(field: str, why: str) -> ValidationFailed:
    return ValidationFailed(
        "portside does not send requests to private or internal addresses on an account's behalf",
        {field: f"{why}; use a public http(s) URL ({_HOW_TO_ALLOW})"},
    )


@dataclass(frozen=True)
class OutboundPolicy:
    """``allow_private``: any address goes (tests, the demo, a host whose tenants are trusted)."""

    allow_private: bool = False
    resolve: Resolver = _getaddrinfo

    async def check(self, url: str, *, field: str) -> None:
        """Raise ValidationFailed (a 422 naming ``field``) if ``url`` leads to a non-public address.
        A URL that does not parse is left to the caller's own validation, which says what is wrong."""
        if self.allow_private:
            return
        try:
            # Parsed as aiohttp will parse it (yarl): a parser that read another host would check the wrong one.
            parsed = URL(url.strip())
            host, port = parsed.raw_host, parsed.port
        except (ValueError, TypeError):
            return  # aiohttp cannot send to it either
        if parsed.scheme not in ("http", "https") or not host:
            return
        name = host.rstrip(".").lower()
        if name in _LOCAL_NAMES or name.endswith(".localhost"):
            raise _refused(field, "the host is this machine (localhost)")
        literal = _literal(name.split("%", 1)[0])
        if literal is not None:
            kind = address_refusal(literal)
            if kind is not None:
                raise _refused(field, f"the host is {_a(kind)} address")
            return
        try:
            async with asyncio.timeout(RESOLVE_TIMEOUT_S):
                addresses = await self.resolve(name, port or 80)
        except (OSError, TimeoutError, UnicodeError):
            raise ValidationFailed(
                "the URL's host name could not be resolved", {field: "the host name does not resolve; check it"}
            ) from None
        kinds = sorted({k for k in (address_refusal(ipaddress.ip_address(a.split("%", 1)[0])) for a in addresses) if k})
        if kinds or not addresses:
            # Every address must be public: a client may connect to any of them.
            raise _refused(field, f"the host name resolves to {_a(' and '.join(kinds) or 'non-public')} address")

    async def check_all(self, urls: Iterable[tuple[str, str]]) -> None:
        """``check`` each ``(field, url)``."""
        for field, url in urls:
            await self.check(url, field=field)


PERMISSIVE = OutboundPolicy(allow_private=True)


class AddressRefused(OSError):
    """A connection to a non-public address, refused by the tenant client's socket factory."""


def public_only_socket(addr_info: tuple[Any, ...]) -> socket.socket:
    """aiohttp's ``socket_factory``: the socket for a connection to a public address, else AddressRefused.
    It sees the address being connected to, after any resolution, literals included: no rebinding window."""
    family, type_, proto, _, address = addr_info
    kind = address_refusal(ipaddress.ip_address(str(address[0]).split("%", 1)[0]))
    if kind is not None:
        raise AddressRefused(f"refused: the host is or resolves to {_a(kind)} address ({_HOW_TO_ALLOW})")
    return socket.socket(family=family, type=type_, proto=proto)


def url_leaves(value: Any, path: str) -> list[tuple[str, str]]:
    """Every string in ``value`` (nested mappings and lists) that looks like an absolute http(s) URL,
    with where it is (``settings.base_url``): the URLs a tenant put in its store's settings."""
    if isinstance(value, str):
        return [(path, value)] if value.strip().lower().startswith(("http://", "https://")) else []
    if isinstance(value, dict):
        return [found for key, item in value.items() for found in url_leaves(item, f"{path}.{key}")]
    if isinstance(value, list | tuple):
        return [found for index, item in enumerate(value) for found in url_leaves(item, f"{path}[{index}]")]
    return []
