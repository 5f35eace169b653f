"""Named SQL queries, kept as plain ``.sql`` package data (``-- name: <query>`` starts each one)."""

from __future__ import annotations

import functools
import re
from importlib import resources

_HEADER = re.compile(r"^-- name: ([a-z][a-z0-9_]*)\s*$", re.MULTILINE)


def parse(text: str, source: str) -> dict[str, str]:
    """The queries of one file; text before the first header is the file's own commentary."""
    found: dict[str, str] = {}
    pieces = _HEADER.split(text)
    for name, body in zip(pieces[1::2], pieces[2::2], strict=True):
        if name in found:
            raise ValueError(f"{source}: query {name} is defined twice")
        found[name] = body.strip().rstrip(";")
    return found


@functools.cache
def all_queries() -> dict[str, str]:
    queries: dict[str, str] = {}
    for entry in resources.files("portside.adapters.postgres.sql").iterdir():
        if entry.name.endswith(".sql"):
            for name, sql in parse(entry.read_text(encoding="utf-8"), entry.name).items():
                if name in queries:
                    raise ValueError(f"{entry.name}: query {name} is already defined in another file")
                queries[name] = sql
    return queries


def query(name: str) -> str:
    """The SQL of query ``name``, loaded from the package on first use."""
    try:
        return all_queries()[name]
    except KeyError:
        raise KeyError(f"no SQL query named {name!r} in portside.adapters.postgres.sql") from None


# A lock clause makes a SELECT part of its transaction (the rows stay locked until it ends).
_LOCKS = re.compile(r"\bFOR\s+(UPDATE|NO\s+KEY\s+UPDATE|SHARE|KEY\s+SHARE)\b", re.IGNORECASE)
_COMMENT = re.compile(r"--[^\n]*")


@functools.cache
def is_plain_read(name: str) -> bool:
    """Whether query ``name`` only reads: a ``SELECT`` (no ``WITH``, which may hide a write) locking no
    row. Such a query needs no transaction of its own (``Session``)."""
    sql = _COMMENT.sub("", query(name)).strip()
    return sql[:6].upper() == "SELECT" and _LOCKS.search(sql) is None
