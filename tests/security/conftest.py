"""Fixtures for the security suite."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def logs(tmp_path: Path) -> Path:
    """Where the suite's ``portside`` processes write their output."""
    path = tmp_path / "logs"
    path.mkdir()
    return path
