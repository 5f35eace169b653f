"""The embedded Postgres: starts in a data directory, is shared by processes, stops with the last one."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import asyncpg
import pytest

from portside.adapters.postgres import EmbeddedPostgres


async def _select_one(dsn: str) -> int:
    conn = await asyncpg.connect(dsn)
    try:
        return int(await conn.fetchval("SELECT 1"))
    finally:
        await conn.close()


_ATTACH = """
import sys
from portside.adapters.postgres import EmbeddedPostgres
server = EmbeddedPostgres(sys.argv[1])
print(server.start())
server.stop()
"""


def test_start_attach_from_another_process_and_stop() -> None:
    # tmpfs when there is one: initdb on a busy disk is what makes this test slow.
    root = "/dev/shm" if os.access("/dev/shm", os.W_OK) else None
    scratch = Path(tempfile.mkdtemp(prefix="portside-embedded-", dir=root))
    data_dir = scratch / "data"
    server = EmbeddedPostgres(data_dir, delete_on_stop=True)
    try:
        dsn = server.start()
        assert server.start() == dsn  # idempotent
        assert asyncio.run(_select_one(dsn)) == 1
        # Another process attaches to the running server instead of starting a second one, and
        # its stop leaves the server up for this process.
        attached = subprocess.run(
            [sys.executable, "-W", "ignore", "-c", _ATTACH, str(data_dir)],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        assert attached.stdout.strip() == dsn
        assert asyncio.run(_select_one(dsn)) == 1
        # A holder that died without stopping must not keep the server alive forever.
        holders = server.pgdata / ".handle_pids.json"
        holders.write_text(json.dumps([*json.loads(holders.read_text()), 2**22 + 12345]))
    finally:
        server.stop()
        stopped = not (server.pgdata / "postmaster.pid").exists()
        shutil.rmtree(scratch, ignore_errors=True)
    assert stopped
    with pytest.raises(Exception, match="not started"):
        _ = server.dsn
