"""Fixtures for the reliability suite: a database of its own and the environment of its ``portside`` processes."""

from __future__ import annotations

from pathlib import Path

import pytest

from .support import new_secret_key, portside_env


@pytest.fixture
def env(pg_dsn: str, tmp_path: Path) -> dict[str, str]:
    """PORTSIDE_* for worker processes on this test's database (fast polls, short leases)."""
    return portside_env(pg_dsn, new_secret_key(), tmp_path / "data")


@pytest.fixture
def logs(tmp_path: Path) -> Path:
    path = tmp_path / "logs"
    path.mkdir()
    return path
