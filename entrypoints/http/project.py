"""Build a Struct from any object's attributes of the same names: one line per view, not one per field."""

from __future__ import annotations

from typing import Any, TypeVar

import msgspec

S = TypeVar("S", bound=msgspec.Struct)


def project(kind: type[S], source: object, **given: Any) -> S:
    """``kind`` filled from ``source``'s same-named attributes; ``given`` values win (conversions)."""
    values = {name: given[name] if name in given else getattr(source, name) for name in kind.__struct_fields__}
    return kind(**values)
