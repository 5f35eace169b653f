"""Reprs that never show a secret, for Structs carrying credentials, keys or passwords.

A Struct marks its secret fields with ``__secret_fields__`` and takes ``masked_repr`` as its
``__repr__``/``__str__`` and ``masked_rich_repr`` as its ``__rich_repr__`` (msgspec gives every Struct a
``__rich_repr__`` listing every field: rich, pytest and debuggers would print the secret). A field whose
value is safe only in part names a function in ``__shown_as__`` (a URL shown without its query string).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit


class _Masked:
    """Stands for a secret value: ``***``, unquoted, in every repr."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "***"


MASKED: Any = _Masked()


def shown_fields(obj: Any) -> Iterator[tuple[str, Any]]:
    """``obj``'s fields as they may be shown: secrets (when set) as ``***``, partial ones transformed."""
    kind = type(obj)
    secret: frozenset[str] = kind.__secret_fields__
    shown_as: dict[str, Any] = getattr(kind, "__shown_as__", {})
    for name in kind.__struct_fields__:
        value = getattr(obj, name)
        if name in secret and value is not None:
            value = MASKED
        elif name in shown_as and value is not None:
            value = shown_as[name](value)
        yield name, value


def masked_repr(self: Any) -> str:
    return f"{type(self).__name__}({', '.join(f'{name}={value!r}' for name, value in shown_fields(self))})"


def masked_rich_repr(self: Any) -> list[tuple[str, Any]]:
    return list(shown_fields(self))


def url_for_display(url: str) -> str:
    """Host, port and path of ``url`` (as ``portside.adapters.http.where`` shows it): never a user name,
    password, query string or fragment (receivers put tokens there)."""
    try:
        parts = urlsplit(url)
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return "<unparsable URL>"
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    return f"{host}{port}{parts.path}"
