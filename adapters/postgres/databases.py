"""Create and drop whole databases on a server: throwaway test databases cloned from a migrated template."""

from __future__ import annotations

import re

import asyncpg

from .dsn import with_database

_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def _quoted(name: str) -> str:
    # CREATE/DROP DATABASE take no parameters, so names are checked instead of interpolated blindly.
    if not _IDENTIFIER.match(name):
        raise ValueError(f"database name {name!r} must be lowercase letters, digits and underscores")
    return f'"{name}"'


async def create_database(admin_dsn: str, name: str, *, template: str | None = None) -> str:
    """Create ``name`` (a copy of ``template`` when given) and return its DSN."""
    sql = f"CREATE DATABASE {_quoted(name)}"
    if template is not None:
        sql += f" TEMPLATE {_quoted(template)}"
    conn = await asyncpg.connect(admin_dsn)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()
    return with_database(admin_dsn, name)


async def drop_database(admin_dsn: str, name: str) -> None:
    """Drop ``name`` if it exists, closing any connection still on it."""
    conn = await asyncpg.connect(admin_dsn)
    try:
        await conn.execute(f"DROP DATABASE IF EXISTS {_quoted(name)} WITH (FORCE)")
    finally:
        await conn.close()
