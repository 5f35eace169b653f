"""``portside demo``: the service on its embedded defaults."""

from __future__ import annotations

import os

from portside.adapters.postgres.migrate import migrate as apply_migrations
from portside.adapters.postgres.migrate import migrations_status

from .commands import running
from .config import Settings


def _absolute(path: str) -> str:
    return os.path.abspath(path)


async def run_demo(settings: Settings) -> int:
    async with running(settings) as container:
        pool = await container.storage.pool()
        applied = await apply_migrations(pool)
        status = await migrations_status(pool)
        container.storage.cipher()  # creates the credentials key on first run
        data_dir = _absolute(settings.data_dir)
        print(f"portside demo: embedded Postgres running in {os.path.join(data_dir, 'pgdata')}")
        print(f"  migrations applied now: {len(applied)}; schema up to date: {status.up_to_date}")
        print(f"  credentials key: {os.path.join(data_dir, 'secret.key')}")
    return 0
