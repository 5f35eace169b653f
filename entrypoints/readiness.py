"""Readiness: the database answers and its schema is the one this portside expects."""

from __future__ import annotations

import asyncio

import asyncpg
import msgspec

from portside.adapters.postgres.migrate import load_migrations, migrations_status


class ReadinessReport(msgspec.Struct, frozen=True, kw_only=True):
    ready: bool
    checks: dict[str, str]  # check -> "ok" or what is wrong, in words an operator acts on


class DatabaseReadiness:
    def __init__(self, pool: asyncpg.Pool, *, timeout_s: float = 2.0) -> None:
        self._pool = pool
        self._timeout_s = timeout_s
        self._shipped = load_migrations()  # read once: the package's files do not change while running

    async def __call__(self) -> str | None:
        """None when ready, else why not (what ``/readyz`` answers with its 503)."""
        report = await self.check()
        if report.ready:
            return None
        return "; ".join(f"{name}: {state}" for name, state in report.checks.items() if state != "ok")

    async def check(self) -> ReadinessReport:
        try:
            async with asyncio.timeout(self._timeout_s):
                status = await migrations_status(self._pool, self._shipped)
        except (TimeoutError, OSError, asyncpg.PostgresError) as exc:
            reason = "no answer in time" if isinstance(exc, TimeoutError) else type(exc).__name__
            return ReadinessReport(ready=False, checks={"database": f"unreachable ({reason})", "migrations": "unknown"})
        if status.up_to_date:
            migrations = "ok"
        elif status.changed:
            migrations = f"applied migrations differ from the shipped files: {', '.join(status.changed)}"
        else:
            migrations = f"pending: {', '.join(status.pending)}; run 'portside migrate'"
        return ReadinessReport(ready=migrations == "ok", checks={"database": "ok", "migrations": migrations})
